//! A round's results, withheld below the minimum, and their exports.


use axum::extract::{Path, State};
use axum::response::Response;
use domain::api::Problem;
use domain::survey::api::SurveyReport;
use domain::survey::QUESTIONS;
use domain::Lang;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::export;
use crate::extract::RequestLang;
use crate::AppState;


use crate::store::survey::rounds::*;

/// Results per question, withheld below 5 answers, with the previous month beside them.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, body = SurveyReport), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn results(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<SurveyReport> {
    // Asked before a connection is taken: the survey's lock may wait for one.
    let waiting = state.survey.waiting(&id.to_string()).await;
    let mut conn = state.db.pool.acquire().await?;
    let r = steered_round(&mut conn, &user, id).await?;
    Ok(ApiJson(report(&mut conn, r, waiting).await?))
}

/// The rows of an export: one per question and option (metrics included, each on its
/// own), then the free texts. Never one row per person.
fn export_rows(report: &SurveyReport, lang: Lang) -> Vec<[String; 5]> {
    use domain::i18n::t;
    let mut rows = vec![[
        t(lang, "survey.export.question").to_string(),
        t(lang, "survey.export.answer").to_string(),
        t(lang, "survey.export.count").to_string(),
        t(lang, "survey.export.percent").to_string(),
        t(lang, "survey.export.answered").to_string(),
    ]];
    for (q, r) in QUESTIONS.iter().zip(&report.current.questions) {
        for o in &r.options {
            rows.push([
                t(lang, &q.key()).to_string(),
                t(lang, &q.option_key(&o.option)).to_string(),
                o.count.to_string(),
                format!("{:.1}", o.percent),
                r.answered.to_string(),
            ]);
        }
        for text in &r.texts {
            rows.push([t(lang, &q.key()).to_string(), text.clone(), String::new(), String::new(), String::new()]);
        }
    }
    rows
}

fn download(report: &SurveyReport, ext: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    export::download(&export::file_name("ankieta", &report.round.partnership, &report.round.period, ext), content_type, body)
}

async fn exportable(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<SurveyReport, AppError> {
    let waiting = state.survey.waiting(&id.to_string()).await;
    let mut conn = state.db.pool.acquire().await?;
    let r = steered_round(&mut conn, user, id).await?;
    let report = report(&mut conn, r, waiting).await?;
    if report.current.withheld {
        return Err(AppError::Forbidden("results are shown from 5 answers"));
    }
    Ok(report)
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results.csv", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let report = exportable(&state, &user, id).await?;
    let rows: Vec<Vec<String>> = export_rows(&report, lang).into_iter().map(Vec::from).collect();
    let body = export::csv(&rows)?;
    Ok(download(&report, "csv", export::CSV, body))
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results.xlsx", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let report = exportable(&state, &user, id).await?;
    let rows: Vec<Vec<String>> = export_rows(&report, lang).into_iter().map(Vec::from).collect();
    let body = export::xlsx(&[export::Sheet { name: report.round.period.as_str(), rows, numbers_from: 2, widths: &[60.0, 50.0] }])?;
    Ok(download(&report, "xlsx", export::XLSX, body))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(results))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
}
