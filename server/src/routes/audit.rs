//! The partnership's access log, for its coordinators: filtered by person, client,
//! action and days, paged by keyset, and exported as CSV or XLSX. Filtered to one
//! client it answers the question a person asks under GDPR art. 15: who saw my data.

use axum::extract::{Path, Query, State};
use axum::response::Response;
use domain::api::{AuditEntry, AuditPage, Problem, AUDIT_ACTIONS};
use domain::archive::ArchiveRequest;
use domain::i18n::t;
use domain::validation::{parse_iso_date, warsaw_day_start};
use domain::Lang;
use serde::Deserialize;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::export::{self, Sheet};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action, Filter};
use crate::AppState;

/// The longest page, and the most entries one export holds.
const MAX_PAGE: i64 = 500;
const MAX_EXPORT: i64 = 50_000;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only this person's reads and changes.
    pub person: Option<Uuid>,
    /// Only what concerns this client.
    pub client: Option<Uuid>,
    /// Only this action: read, create, update, list, sync or refused.
    pub action: Option<String>,
    /// From this day (`YYYY-MM-DD`, Warsaw time), inclusive.
    pub from: Option<String>,
    /// To this day (`YYYY-MM-DD`, Warsaw time), inclusive.
    pub to: Option<String>,
    /// The `next` of the previous page.
    pub before: Option<i64>,
    /// Entries per page (1–500, default 100).
    pub limit: Option<i64>,
}

impl AuditQuery {
    fn filter(&self) -> Result<Filter, AppError> {
        let day = |s: &Option<String>, name: &str| -> Result<Option<time::Date>, AppError> {
            match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                None => Ok(None),
                Some(v) => parse_iso_date(v).map(Some).ok_or_else(|| AppError::BadRequest(format!("{name} is a day, YYYY-MM-DD"))),
            }
        };
        let action = match self.action.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(a) => Some(*AUDIT_ACTIONS.iter().find(|x| **x == a).ok_or_else(|| AppError::BadRequest(format!("action is one of {}", AUDIT_ACTIONS.join(", "))))?),
        };
        Ok(Filter {
            person: self.person,
            client: self.client,
            action,
            from: day(&self.from, "from")?.map(warsaw_day_start),
            until: day(&self.to, "to")?.and_then(time::Date::next_day).map(warsaw_day_start),
            before: self.before,
        })
    }

    /// What the filter was, for the log's own entry about this reading.
    fn described(&self) -> String {
        let mut parts = vec!["access log".to_string()];
        for (k, v) in [("person", self.person.map(|u| u.to_string())), ("client", self.client.map(|u| u.to_string())), ("action", self.action.clone()), ("from", self.from.clone()), ("to", self.to.clone())] {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={v}"));
            }
        }
        parts.join(" ")
    }
}

async fn read(state: &AppState, user: &CurrentUser, id: Uuid, q: &AuditQuery, limit: i64, what: &str) -> Result<Vec<AuditEntry>, AppError> {
    user.read_log(id)?;
    let filter = q.filter()?;
    let mut conn = state.db.pool.acquire().await?;
    let entries = audit::entries(&mut conn, id, &filter, limit).await?;
    // Reading who read is itself recorded: the log answers for its own readers too.
    // The list's later pages are the same reading; an export is always recorded.
    if q.before.is_none() || !what.is_empty() {
        audit::record(&mut conn, user, id, q.client, Action::Read, &format!("{} {what}", q.described())).await?;
    }
    Ok(entries)
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/audit", tag = "audit",
    params(("id" = Uuid, Path, description = "partnership"), AuditQuery),
    responses((status = 200, body = AuditPage), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>, Query(q): Query<AuditQuery>) -> ApiResult<AuditPage> {
    let limit = q.limit.unwrap_or(100).clamp(1, MAX_PAGE);
    let mut items = read(&state, &user, id, &q, limit + 1, "").await?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    let next = if more { items.last().map(|e| e.id) } else { None };
    Ok(ApiJson(AuditPage { items, next }))
}

fn rows(entries: &[AuditEntry], lang: Lang) -> Vec<Vec<String>> {
    let mut rows = vec![["audit.at", "audit.who", "audit.action", "audit.client", "audit.detail"].iter().map(|k| t(lang, k).to_string()).collect::<Vec<_>>()];
    rows.extend(entries.iter().map(|e| {
        vec![e.at.clone(), e.user_name.clone(), t(lang, &format!("audit.action.{}", e.action)).to_string(), e.client_name.clone(), e.detail.clone()]
    }));
    rows
}

async fn partnership_name(state: &AppState, id: Uuid) -> Result<String, AppError> {
    crate::store::partnership::name(&mut *state.db.pool.acquire().await?, id).await
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/audit/export.csv", tag = "audit",
    params(("id" = Uuid, Path, description = "partnership"), AuditQuery),
    responses((status = 200, content_type = "text/csv"), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>, Query(q): Query<AuditQuery>) -> Result<Response, AppError> {
    let entries = read(&state, &user, id, &q, MAX_EXPORT, "exported as CSV").await?;
    let name = export::file_name("rejestr-dostepu", &partnership_name(&state, id).await?, &crate::today().to_string(), "csv");
    Ok(export::download(&name, export::CSV, export::csv(&rows(&entries, lang))?))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/audit/export.xlsx", tag = "audit",
    params(("id" = Uuid, Path, description = "partnership"), AuditQuery),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>, Query(q): Query<AuditQuery>) -> Result<Response, AppError> {
    let entries = read(&state, &user, id, &q, MAX_EXPORT, "exported as XLSX").await?;
    let name = export::file_name("rejestr-dostepu", &partnership_name(&state, id).await?, &crate::today().to_string(), "xlsx");
    let body = export::xlsx(&[Sheet { name: "log", rows: rows(&entries, lang), numbers_from: 99, widths: &[18.0, 24.0, 14.0, 28.0, 60.0] }])?;
    Ok(export::download(&name, export::XLSX, body))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/audit/export.zip", tag = "audit", request_body = ArchiveRequest,
    params(("id" = Uuid, Path, description = "partnership"), AuditQuery),
    responses((status = 200, content_type = "application/zip"), (status = 400, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn export_zip(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    Query(q): Query<AuditQuery>,
    ApiJson(req): ApiJson<ArchiveRequest>,
) -> Result<Response, AppError> {
    let password = req.validate(lang).map_err(AppError::fields(lang))?;
    let entries = read(&state, &user, id, &q, MAX_EXPORT, "exported as a ZIP archive locked with a password").await?;
    let rows = rows(&entries, lang);
    let csv = export::csv(&rows)?;
    let xlsx = export::xlsx(&[Sheet { name: "log", rows, numbers_from: 99, widths: &[18.0, 24.0, 14.0, 28.0, 60.0] }])?;
    // The log names clients: the files inside are named after nobody.
    let files = [("rejestr-dostepu.csv".to_string(), csv.as_slice()), ("rejestr-dostepu.xlsx".to_string(), xlsx.as_slice())];
    let name = export::file_name("rejestr-dostepu", &partnership_name(&state, id).await?, &crate::today().to_string(), "zip");
    Ok(export::download(&name, "application/zip", export::locked_zip(password, files.into_iter())?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export_csv))
        .routes(routes!(export_xlsx))
        .routes(routes!(export_zip))
}
