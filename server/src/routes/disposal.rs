//! Retention and disposal (issue 20): the disposal list of a partnership's closed
//! clients whose time is up, the project's archive date, a person's approval with a
//! written justification, and the register of what went. The coordinator decides;
//! the data protection officer sees the list (without names) and the register.

use axum::extract::{Path, State};
use domain::api::Problem;
use domain::retention::{ArchiveDate, DisposalList, DisposalRegister, DisposalRequest, Disposed};
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::db::Engine;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::disposal;
use crate::AppState;

/// Passes for the partnership's coordinator; refused for its data protection officer
/// and its other people, not found for anyone else.
fn decides(user: &CurrentUser, id: Uuid, why: &'static str) -> Result<(), AppError> {
    match user.steer(id, why) {
        Err(AppError::NotFound) if user.read_log(id).is_ok() => Err(AppError::Forbidden(why)),
        other => other,
    }
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/disposals/due", tag = "personal data", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = DisposalList), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn due(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<DisposalList> {
    user.read_log(id)?;
    let mut conn = state.db.pool.acquire().await?;
    // The officer checks the rules and the dates; who the people are is the coordinator's to know.
    let named = user.role_in(id).is_ok();
    let list = disposal::list(&mut conn, id, named, state.config.retention_today()).await?;
    audit::record(&mut conn, &user, id, None, Action::List, &format!("disposal list ({} due)", list.due.len())).await?;
    Ok(ApiJson(list))
}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}/archive-date", tag = "personal data", request_body = ArchiveDate,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = DisposalList), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn archive_date(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<ArchiveDate>,
) -> ApiResult<DisposalList> {
    decides(&user, id, "only a coordinator records the project's archive date")?;
    let until = req.validate(lang).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    disposal::set_archive_until(&mut tx, id, until).await?;
    let detail = match until {
        Some(d) => format!("project archive date set to {d}"),
        None => "project archive date removed".to_string(),
    };
    audit::record(&mut tx, &user, id, None, Action::Update, &detail).await?;
    let list = disposal::list(&mut tx, id, true, state.config.retention_today()).await?;
    tx.commit().await?;
    Ok(ApiJson(list))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/disposals", tag = "personal data", request_body = DisposalRequest,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Disposed), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn approve(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<DisposalRequest>,
) -> ApiResult<Disposed> {
    decides(&user, id, "only a coordinator approves disposal")?;
    let (ids, justification) = req.validate(lang).map_err(AppError::fields(lang))?;
    let today = state.config.retention_today();
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    // All or nothing: an approval is one decision, recorded whole or not at all.
    for client in &ids {
        disposal::dispose(&mut tx, &user, lang, id, *client, &justification, today).await?;
    }
    tx.commit().await?;
    if state.db.engine == Engine::Sqlite {
        // secure_delete zeroes the freed pages; the checkpoint moves them out of the WAL.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await?;
    }
    Ok(ApiJson(Disposed { disposed: ids }))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/disposals", tag = "personal data", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = DisposalRegister), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn register(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<DisposalRegister> {
    user.read_log(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let register = disposal::register(&mut conn, id).await?;
    audit::record(&mut conn, &user, id, None, Action::Read, "disposal register").await?;
    Ok(ApiJson(register))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(due)).routes(routes!(archive_date)).routes(routes!(approve)).routes(routes!(register))
}
