//! A person's own data (GDPR art. 15 and 20): everything held about one client, for the
//! partnership's coordinator who answers the person's request (the data protection
//! officer reads who processed the data, never the data), to read and print, or to download as
//! JSON, CSV, XLSX or a ZIP archive locked with a password. Every reading and every
//! download is in the access log.

use axum::extract::{Path, State};
use axum::response::Response;
use domain::api::Problem;
use domain::i18n::t;
use domain::archive::ArchiveRequest;
use domain::personal::{self, PersonalData};
use domain::validation::format_timestamp_warsaw;
use domain::Lang;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{internal, ApiJson, ApiResult, AppError};
use crate::export::{self, Sheet};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action, Filter};
use crate::store::{client, conflict, device, document, history, note};
use crate::AppState;

/// The most access-log entries one person's data carries (a client read every working
/// day for ten years is about 2,500).
const MAX_ACCESS: i64 = 50_000;

/// Everything held about client `id`, read for `what` (recorded in the access log).
async fn gather(state: &AppState, user: &CurrentUser, id: Uuid, what: &str) -> Result<PersonalData, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let client = client::load(&mut conn, user, id).await?;
    let partnership = client.data.partnership_id;
    user.steer(partnership, "only a coordinator gives a person their data")?;
    let documents = document::of_client(&mut conn, id).await?;
    let mut ids = vec![id];
    ids.extend(documents.iter().map(|d| d.id));
    let versions = history::whole_versions(&mut conn, &ids).await?;
    let notes = note::client_notes(&mut conn, id).await?;
    let conflicts = conflict::client_conflicts(&mut conn, id).await?;
    let held = device::held_of_client(&mut conn, id).await?;
    let mut access = audit::entries(&mut conn, partnership, &Filter { client: Some(id), ..Filter::default() }, MAX_ACCESS).await?;
    let access_complete = access.len() < usize::try_from(MAX_ACCESS).unwrap_or(usize::MAX);
    access.reverse();
    let partnership_name = crate::store::partnership::name(&mut conn, partnership).await?;
    audit::record(&mut conn, user, partnership, Some(id), Action::Read, &format!("personal data (GDPR art. 15) {what}")).await?;
    Ok(PersonalData {
        format: personal::FORMAT.to_string(),
        exported_at: format_timestamp_warsaw(crate::now()),
        exported_by: user.display_name.clone(),
        partnership: partnership_name,
        client,
        documents,
        versions,
        notes,
        conflicts,
        held,
        access,
        access_complete,
    })
}

/// `dane-osoby-<surname or name>-<day>.<ext>`.
fn file_name(d: &PersonalData, ext: &str) -> String {
    let who = if d.client.data.kind.is_person() { &d.client.data.surname } else { &d.client.data.name };
    format!("dane-osoby-{}-{}.{ext}", export::slug(who), crate::today())
}

/// The tables one after another, each under its title, as one CSV file.
fn csv(d: &PersonalData, lang: Lang) -> Result<Vec<u8>, AppError> {
    let mut rows = Vec::new();
    for table in personal::tables(d, lang) {
        if !rows.is_empty() {
            rows.push(Vec::new());
        }
        rows.push(vec![t(lang, table.title).to_string()]);
        rows.extend(table.rows);
    }
    export::csv(&rows)
}

fn xlsx(d: &PersonalData, lang: Lang) -> Result<Vec<u8>, AppError> {
    let tables = personal::tables(d, lang);
    let sheets: Vec<Sheet> = tables.into_iter().map(|t| Sheet { name: t.sheet, rows: t.rows, numbers_from: 99, widths: &[24.0, 36.0, 40.0, 24.0, 36.0, 40.0] }).collect();
    export::xlsx(&sheets)
}

fn json(d: &PersonalData) -> Result<Vec<u8>, AppError> {
    serde_json::to_vec_pretty(d).map_err(internal)
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/personal-data", tag = "personal data",
    params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = PersonalData), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn show(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<PersonalData> {
    Ok(ApiJson(gather(&state, &user, id, "read").await?))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/personal-data/export.json", tag = "personal data",
    params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, content_type = "application/json"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_json(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let d = gather(&state, &user, id, "exported as JSON").await?;
    Ok(export::download(&file_name(&d, "json"), "application/json", json(&d)?))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/personal-data/export.csv", tag = "personal data",
    params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let d = gather(&state, &user, id, "exported as CSV").await?;
    Ok(export::download(&file_name(&d, "csv"), export::CSV, csv(&d, lang)?))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/personal-data/export.xlsx", tag = "personal data",
    params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let d = gather(&state, &user, id, "exported as XLSX").await?;
    Ok(export::download(&file_name(&d, "xlsx"), export::XLSX, xlsx(&d, lang)?))
}

#[utoipa::path(post, path = "/api/v1/clients/{id}/personal-data/export.zip", tag = "personal data", request_body = ArchiveRequest,
    params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, content_type = "application/zip"), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn export_zip(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<ArchiveRequest>,
) -> Result<Response, AppError> {
    let password = req.validate(lang).map_err(AppError::fields(lang))?;
    let d = gather(&state, &user, id, "exported as a ZIP archive locked with a password").await?;
    let files = [("json", json(&d)?), ("csv", csv(&d, lang)?), ("xlsx", xlsx(&d, lang)?)];
    // ZIP encrypts what files hold, never their names: neither the archive's name nor
    // those inside it name the person, so a mail's attachment list tells nobody whose it is.
    let body = export::locked_zip(password, files.iter().map(|(ext, bytes)| (format!("dane-osoby.{ext}"), bytes.as_slice())))?;
    Ok(export::download(&format!("dane-osoby-{}.zip", crate::today()), "application/zip", body))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(export_json))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
        .routes(routes!(export_zip))
}
