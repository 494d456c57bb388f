//! The monthly monitoring report (tool 8) and the yearly indicators for the regional
//! centre (ROPS). The rules live in `domain::report`; this module reads one
//! partnership's clients and documents, keeps the coordinator's narrative with a
//! field-by-field merge (two coordinators, or one offline, never overwrite each
//! other silently), freezes the tables when the report is marked final, and exports.

use axum::extract::{Path, State};
use axum::response::Response;
use domain::api::Problem;
use domain::docs::effects::{Effects, INDICATORS};
use domain::docs::services::CUSTOM_PREFIX;
use domain::docs::{CustomService, DocStatus};
use domain::i18n::t;
use domain::merge;
use domain::report::{self, MonthlyReport, ReportSave, ReportSaved, YearIndicators, SECTIONS};
use domain::calendar::Month;
use domain::Lang;
use domain::docs::DocType;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::store::audit::{self, Action};
use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::export::{self, Sheet};
use crate::extract::RequestLang;
use crate::store::report::*;
use crate::store::whole;
use crate::AppState;

fn month_of(s: &str) -> Result<Month, AppError> {
    Month::parse(s).ok_or_else(|| AppError::BadRequest("the month is written YYYY-MM".into()))
}

/// Reports are for the partnership's coordinators; anyone else sees nothing.
fn steers(user: &CurrentUser, partnership: Uuid) -> Result<(), AppError> {
    user.steer(partnership, "monitoring reports are for coordinators")
}

async fn readable(state: &AppState, user: &CurrentUser, partnership: Uuid, month: &str, what: &str) -> Result<MonthlyReport, AppError> {
    steers(user, partnership)?;
    let month = month_of(month)?;
    let mut conn = state.db.pool.acquire().await?;
    let r = assemble(&mut conn, partnership, month).await?;
    // Section IX holds disability and addiction (GDPR art. 9).
    audit::record(&mut conn, user, partnership, None, Action::Read, &format!("{what} {month} (art. 9)")).await?;
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/reports/{month}", tag = "reports",
    params(("id" = Uuid, Path, description = "partnership"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = MonthlyReport), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path((id, month)): Path<(Uuid, String)>) -> ApiResult<MonthlyReport> {
    Ok(ApiJson(readable(&state, &user, id, &month, "report").await?))
}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}/reports/{month}", tag = "reports", request_body = ReportSave,
    params(("id" = Uuid, Path, description = "partnership"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, body = ReportSaved), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path((id, month)): Path<(Uuid, String)>,
    ApiJson(req): ApiJson<ReportSave>,
) -> ApiResult<ReportSaved> {
    steers(&user, id)?;
    let month = month_of(&month)?;
    // The browser ran the same check; the server never takes its word for it.
    req.narrative.validate(lang, DocStatus::Draft).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let doc = ReportSaving { partnership: id, month, lang };
    let (report, conflicts) = whole::save(&mut conn, &user, &doc, &req.base, &req.narrative, req.finalise).await?;
    let conflicts = conflicts.iter().map(|p| merge::pointer(p)).collect();
    Ok(ApiJson(ReportSaved { report, conflicts }))
}

fn service_name(code: &str, custom: &[CustomService], lang: Lang) -> String {
    match code.strip_prefix(CUSTOM_PREFIX) {
        Some(c) => custom.iter().find(|s| s.code == c).map(|s| s.name.clone()).unwrap_or_else(|| c.to_string()),
        None => t(lang, &format!("service.{code}")).to_string(),
    }
}

fn label(lang: Lang, prefix: &str, code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        t(lang, &format!("{prefix}.{code}")).to_string()
    }
}

fn client_label(lang: Lang, no: u32) -> String {
    format!("{} {no}", t(lang, "report.client"))
}

/// Sections IX, X and XI as rows with a header each, in the form's columns.
pub fn table_rows(r: &MonthlyReport, lang: Lang) -> [Vec<Vec<String>>; 3] {
    let h = |keys: &[&str]| keys.iter().map(|k| t(lang, k).to_string()).collect::<Vec<_>>();
    let yes_no = |b: bool| t(lang, if b { "report.yes" } else { "report.no" }).to_string();
    let mut ix = vec![h(&["report.col.client", "report.col.sex", "report.col.age", "report.col.labour", "report.col.single_parent", "report.col.disability", "report.col.other"])];
    for c in &r.tables.characteristics {
        let mut other: Vec<String> = c.features.iter().map(|f| label(lang, "support.feature", f)).collect();
        if !c.other_features.is_empty() {
            other.push(c.other_features.clone());
        }
        ix.push(vec![
            client_label(lang, c.no),
            label(lang, "client.sex", &c.sex),
            c.age.map(|a| a.to_string()).unwrap_or_default(),
            label(lang, "support.labour", &c.labour),
            yes_no(c.single_parent),
            label(lang, "as.disability", &c.disability),
            other.join("; "),
        ]);
    }
    let mut x = vec![h(&["report.col.client", "report.col.date", "report.col.service", "report.col.scope", "report.col.finished", "report.col.remarks"])];
    for c in &r.tables.services {
        for (i, s) in c.services.iter().enumerate() {
            x.push(vec![
                client_label(lang, c.no),
                s.date.clone(),
                service_name(&s.service, &r.custom_services, lang),
                s.scope.clone(),
                yes_no(s.finished),
                if i == 0 { c.remarks.join("; ") } else { String::new() },
            ]);
        }
    }
    let mut xi = vec![h(&["report.col.client", "report.col.ended", "report.col.weeks", "report.col.reason", "report.col.situation"])];
    for e in &r.tables.endings {
        let mut reason = label(lang, "support.reason", &e.reason);
        if !e.reason_text.is_empty() {
            reason = format!("{reason}: {}", e.reason_text);
        }
        xi.push(vec![client_label(lang, e.no), e.ended.clone(), e.weeks.to_string(), reason, e.situation.clone()]);
    }
    [ix, x, xi]
}

fn narrative_rows(r: &MonthlyReport, lang: Lang) -> Vec<Vec<String>> {
    let n = &r.narrative;
    let mut rows = vec![
        vec![t(lang, "report.section").to_string(), t(lang, "report.content").to_string()],
        vec!["I".into(), Month::parse(&r.month).map(|p| p.label(lang)).unwrap_or_default()],
        vec!["II".into(), [r.partnership.as_str(), &n.voivodeship, &n.county, &n.municipality, &n.author].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n")],
    ];
    for (key, no) in SECTIONS {
        rows.push(vec![no.to_string(), n.section(key).to_string()]);
    }
    rows
}

fn report_file(r: &MonthlyReport, ext: &str) -> String {
    export::file_name("raport-monitoringu", &r.partnership, &r.month, ext)
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/reports/{month}/export.xlsx", tag = "reports",
    params(("id" = Uuid, Path, description = "partnership"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, month)): Path<(Uuid, String)>) -> Result<Response, AppError> {
    let r = readable(&state, &user, id, &month, "report export").await?;
    let [ix, x, xi] = table_rows(&r, lang);
    let body = export::xlsx(&[
        Sheet { name: "IX", rows: ix, numbers_from: 2, widths: &[12.0, 12.0, 8.0, 24.0, 14.0, 16.0, 40.0] },
        Sheet { name: "X", rows: x, numbers_from: 99, widths: &[12.0, 12.0, 32.0, 32.0, 12.0, 48.0] },
        Sheet { name: "XI", rows: xi, numbers_from: 2, widths: &[12.0, 14.0, 12.0, 40.0, 60.0] },
        Sheet { name: "I-VIII, XII-XIII", rows: narrative_rows(&r, lang), numbers_from: 99, widths: &[10.0, 100.0] },
    ])?;
    Ok(export::download(&report_file(&r, "xlsx"), export::XLSX, body))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/reports/{month}/export.csv", tag = "reports",
    params(("id" = Uuid, Path, description = "partnership"), ("month" = String, Path, description = "YYYY-MM")),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, month)): Path<(Uuid, String)>) -> Result<Response, AppError> {
    let r = readable(&state, &user, id, &month, "report export").await?;
    // One file, the three generated tables one after another, each under its title.
    let mut rows = Vec::new();
    for (title, table) in ["report.ix", "report.x", "report.xi"].iter().zip(table_rows(&r, lang)) {
        if !rows.is_empty() {
            rows.push(Vec::new());
        }
        rows.push(vec![t(lang, title).to_string()]);
        rows.extend(table);
    }
    Ok(export::download(&report_file(&r, "csv"), export::CSV, export::csv(&rows)?))
}

async fn year(state: &AppState, user: &CurrentUser, id: Uuid, year: i32) -> Result<YearIndicators, AppError> {
    steers(user, id)?;
    if !(2000..=2999).contains(&year) {
        return Err(AppError::BadRequest("the year is written YYYY".into()));
    }
    let mut conn = state.db.pool.acquire().await?;
    let name = crate::store::partnership::name(&mut conn, id).await?;
    // Every client's effects, also of clients whose support has ended: the year counts them.
    let docs = crate::store::document::of_kinds(&mut conn, id, &[DocType::Effects]).await?;
    let effects: Vec<Effects> = docs.into_iter().filter_map(|d| serde_json::from_str(&d.data).ok()).collect();
    let refs: Vec<&Effects> = effects.iter().collect();
    let (months, clients) = report::year_indicators(&refs, year);
    audit::record(&mut conn, user, id, None, Action::Read, &format!("indicators {year}")).await?;
    Ok(YearIndicators { partnership_id: id, partnership: name, year, codes: INDICATORS.iter().map(|s| (*s).to_string()).collect(), months, clients })
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/indicators/{year}", tag = "reports",
    params(("id" = Uuid, Path, description = "partnership"), ("year" = i32, Path, description = "YYYY")),
    responses((status = 200, body = YearIndicators), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn indicators(State(state): State<AppState>, user: CurrentUser, Path((id, y)): Path<(Uuid, i32)>) -> ApiResult<YearIndicators> {
    Ok(ApiJson(year(&state, &user, id, y).await?))
}

/// The indicators as rows: one per indicator, a column per month, and the clients.
pub fn indicator_rows(y: &YearIndicators, lang: Lang) -> Vec<Vec<String>> {
    let mut header = vec![t(lang, "report.indicator").to_string()];
    header.extend(y.months.iter().map(|m| m.period.clone()));
    header.push(t(lang, "report.year_clients").to_string());
    let mut rows = vec![header];
    for (i, code) in y.codes.iter().enumerate() {
        let mut row = vec![t(lang, &format!("effect.{code}")).to_string()];
        row.extend(y.months.iter().map(|m| m.counts.get(i).copied().unwrap_or(0).to_string()));
        row.push(y.clients.get(i).copied().unwrap_or(0).to_string());
        rows.push(row);
    }
    rows
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/indicators/{year}/export.xlsx", tag = "reports",
    params(("id" = Uuid, Path, description = "partnership"), ("year" = i32, Path, description = "YYYY")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn indicators_xlsx(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, y)): Path<(Uuid, i32)>) -> Result<Response, AppError> {
    let data = year(&state, &user, id, y).await?;
    let body = export::xlsx(&[Sheet { name: &y.to_string(), rows: indicator_rows(&data, lang), numbers_from: 1, widths: &[48.0] }])?;
    Ok(export::download(&export::file_name("wskazniki-rops", &data.partnership, &y.to_string(), "xlsx"), export::XLSX, body))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/indicators/{year}/export.csv", tag = "reports",
    params(("id" = Uuid, Path, description = "partnership"), ("year" = i32, Path, description = "YYYY")),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn indicators_csv(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, y)): Path<(Uuid, i32)>) -> Result<Response, AppError> {
    let data = year(&state, &user, id, y).await?;
    Ok(export::download(&export::file_name("wskazniki-rops", &data.partnership, &y.to_string(), "csv"), export::CSV, export::csv(&indicator_rows(&data, lang))?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get, save))
        .routes(routes!(export_xlsx))
        .routes(routes!(export_csv))
        .routes(routes!(indicators))
        .routes(routes!(indicators_xlsx))
        .routes(routes!(indicators_csv))
}
