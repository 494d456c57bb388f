//! The client registry: list and search, register, read and edit, scoped to the
//! user's partnerships.


use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use domain::api::{ClientPage, ClientRecord, ClientSummary, Problem};
use domain::client::{ClientInput, ClientKind, WorkForm};
use serde::Deserialize;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::store::history::*;
use domain::sync::Version;
use crate::store::audit::{self, Action};
use crate::store::history::Origin;
use crate::extract::{CurrentUser, Opening};
use crate::db::placeholders;
use crate::error::{internal, ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::AppState;

use crate::store::client::*;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Substring of surname, first names, name, PESEL or town.
    #[serde(default)]
    pub q: String,
    /// Only this partnership (empty: all of the user's).
    #[serde(default)]
    pub partnership_id: String,
    /// Only clients the user leads as key consultant.
    #[serde(default)]
    pub mine: bool,
    /// `active` or `closed` (empty: both).
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub offset: i64,
    #[serde(default)]
    pub limit: Option<i64>,
}

fn like_pattern(q: &str) -> String {
    // Folded as the stored search text is (composed, lower-cased).
    let escaped = domain::text::fold(q).replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// One line of the client list as stored; a value that does not decode is an error,
/// never a silently shorter list.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    partnership_id: String,
    kind: String,
    display_name: String,
    pesel: Option<String>,
    birth_date: String,
    city: String,
    work_form: String,
    key_consultant_id: Option<String>,
    key_consultant_name: Option<String>,
    status: String,
}

impl SummaryRow {
    fn summary(self) -> Result<ClientSummary, AppError> {
        let unknown = |what: &str, v: &str| AppError::Internal(format!("unknown {what} {v} in the client table"));
        Ok(ClientSummary {
            id: Uuid::parse_str(&self.id).map_err(internal)?,
            partnership_id: Uuid::parse_str(&self.partnership_id).map_err(internal)?,
            kind: ClientKind::parse(&self.kind).ok_or_else(|| unknown("kind", &self.kind))?,
            display_name: self.display_name,
            pesel: self.pesel.unwrap_or_default(),
            birth_date: self.birth_date,
            city: self.city,
            work_form: WorkForm::parse(&self.work_form).ok_or_else(|| unknown("work form", &self.work_form))?,
            key_consultant_id: self.key_consultant_id.as_deref().map(Uuid::parse_str).transpose().map_err(internal)?,
            key_consultant_name: self.key_consultant_name.unwrap_or_default(),
            status: self.status,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(ListQuery),
    responses((status = 200, body = ClientPage), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<ClientPage> {
    let scope: Vec<Uuid> = match query.partnership_id.trim() {
        "" => user.partnership_ids(),
        p => {
            let id = Uuid::parse_str(p).map_err(|_| AppError::BadRequest("partnership_id is not a UUID".into()))?;
            user.role_in(id)?;
            vec![id]
        }
    };
    let limit = query.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    let offset = query.offset.max(0);
    if scope.is_empty() {
        return Ok(ApiJson(ClientPage { items: Vec::new(), total: 0, offset, limit }));
    }
    let mut filter = format!("c.partnership_id IN ({})", placeholders(1, scope.len()));
    let mut n = scope.len();
    let mut binds: Vec<String> = scope.iter().map(Uuid::to_string).collect();
    if !query.q.trim().is_empty() {
        n += 1;
        filter.push_str(&format!(" AND c.search_text LIKE ${n} ESCAPE '\\'"));
        binds.push(like_pattern(&query.q));
    }
    if query.mine {
        n += 1;
        filter.push_str(&format!(" AND c.key_consultant_id = ${n}"));
        binds.push(user.id.to_string());
    }
    match query.status.as_str() {
        "" => {}
        s @ ("active" | "closed") => {
            n += 1;
            filter.push_str(&format!(" AND c.status = ${n}"));
            binds.push(s.to_string());
        }
        _ => return Err(AppError::BadRequest("status must be active or closed".into())),
    }

    let count_sql = format!("SELECT COUNT(*) FROM clients c WHERE {filter}");
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let total = count.fetch_one(&state.db.pool).await?;

    let page_sql = format!(
        "SELECT c.id, c.partnership_id, c.kind, c.display_name, c.pesel, c.birth_date, c.city, c.work_form,
                c.key_consultant_id, u.display_name AS key_consultant_name, c.status
         FROM clients c LEFT JOIN users u ON u.id = c.key_consultant_id
         WHERE {filter} ORDER BY c.sort_key, c.id LIMIT {limit} OFFSET {offset}"
    );
    let mut page = sqlx::query_as::<_, SummaryRow>(&page_sql);
    for b in &binds {
        page = page.bind(b);
    }
    let rows = page.fetch_all(&state.db.pool).await?;
    let items = rows.into_iter().map(SummaryRow::summary).collect::<Result<Vec<_>, AppError>>()?;

    let mut conn = state.db.pool.acquire().await?;
    let detail = if query.q.trim().is_empty() { String::new() } else { format!("q={}", query.q.trim()) };
    for p in &scope {
        audit::record(&mut conn, &user, *p, None, Action::List, &detail).await?;
    }
    Ok(ApiJson(ClientPage { items, total, offset, limit }))
}

#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body = ClientInput,
    responses((status = 201, body = ClientRecord), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    ApiJson(input): ApiJson<ClientInput>,
) -> Result<(StatusCode, ApiJson<ClientRecord>), AppError> {
    let id = Uuid::now_v7();
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    create_in(&mut tx, &user, lang, id, &input, Origin::default()).await?;
    tx.commit().await?;
    let record = load(&mut conn, &user, id).await?;
    Ok((StatusCode::CREATED, ApiJson(record)))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = ClientRecord), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> Result<(HeaderMap, ApiJson<ClientRecord>), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let record = load(&mut conn, &user, id).await?;
    audit::read_client(&mut conn, &user, record.data.partnership_id, id, "", opening).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = format!("\"{}\"", record.version).parse() {
        headers.insert(header::ETAG, v);
    }
    Ok((headers, ApiJson(record)))
}

fn if_match_version(headers: &HeaderMap) -> Result<i64, AppError> {
    let v = headers.get(header::IF_MATCH).ok_or(AppError::PreconditionRequired)?;
    v.to_str().ok().and_then(|s| s.trim().trim_matches('"').parse().ok()).ok_or_else(|| AppError::BadRequest("If-Match must be a version number".into()))
}

#[utoipa::path(put, path = "/api/v1/clients/{id}", tag = "clients", request_body = ClientInput,
    params(("id" = Uuid, Path, description = "client"), ("If-Match" = String, Header, description = "the version edited")),
    responses((status = 200, body = ClientRecord), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ClientInput>,
) -> ApiResult<ClientRecord> {
    let mut conn = state.db.pool.acquire().await?;
    let expected = if_match_version(&headers)?;
    let mut tx = conn.begin().await?;
    let current = lock_and_load(&mut tx, &user, id).await?;
    if current.version != expected {
        return Err(AppError::Conflict("the client was changed since you opened it"));
    }
    save_edit(&mut tx, &user, lang, &current, &input, Origin::default()).await?;
    tx.commit().await?;
    Ok(ApiJson(load(&mut conn, &user, id).await?))
}

const MAX_PAGE: i64 = 200;

#[utoipa::path(get, path = "/api/v1/clients/{id}/history", tag = "sync", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<Version>), (status = 404, body = Problem)))]
pub async fn client_history(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> ApiResult<Vec<Version>> {
    let mut conn = state.db.pool.acquire().await?;
    let client = crate::store::client::load(&mut conn, &user, id).await?;
    let versions = versions(&mut conn, id).await?;
    audit::read_client(&mut conn, &user, client.data.partnership_id, id, "history", opening).await?;
    Ok(ApiJson(versions))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(client_history))
}
