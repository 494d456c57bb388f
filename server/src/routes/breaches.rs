//! The register of personal-data breaches (GDPR art. 33(5)) for those who answer for
//! a partnership's data: its coordinators and its data protection officer. Entries are
//! recorded and updated under the rules of `domain::breach` (the 72-hour deadline to
//! report to UODO, art. 34 for a high risk); each change is in the access log.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use domain::api::Problem;
use domain::breach::{Breach, BreachInput};
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::breach::{self as store, Updated};
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/breaches", tag = "breaches",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<Breach>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Breach>> {
    user.read_log(id)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(store::list(&mut conn, id).await?))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/breaches", tag = "breaches", request_body = BreachInput,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 201, body = Breach), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<BreachInput>,
) -> Result<(StatusCode, ApiJson<Breach>), AppError> {
    user.read_log(id)?;
    let b = req.validate(lang, crate::now()).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    store::lock(&mut tx, id).await?;
    let breach = store::insert(&mut tx, id, user.id, &b).await?;
    let saved = store::one(&mut tx, id, breach).await?.ok_or(AppError::NotFound)?;
    audit::record(&mut tx, &user, id, None, Action::Create, &format!("breach {} recorded ({} people, risk {})", saved.number, b.people, b.risk.as_str())).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(saved)))
}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}/breaches/{breach}", tag = "breaches", request_body = BreachInput,
    params(("id" = Uuid, Path, description = "partnership"), ("breach" = Uuid, Path, description = "entry of the register"),
        ("If-Match" = String, Header, description = "the version edited")),
    responses((status = 200, body = Breach), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path((id, breach)): Path<(Uuid, Uuid)>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<BreachInput>,
) -> ApiResult<Breach> {
    user.read_log(id)?;
    let version = crate::routes::clients::if_match_version(&headers)?;
    let b = req.validate(lang, crate::now()).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    store::lock(&mut tx, id).await?;
    let before = store::one(&mut tx, id, breach).await?.ok_or(AppError::NotFound)?;
    match store::update(&mut tx, id, breach, version, user.id, &b).await? {
        Updated::Done => {}
        Updated::NotFound => return Err(AppError::NotFound),
        Updated::Stale => {
            return Err(AppError::Conflict(lang.pick(
                "Ktoś zapisał ten wpis, odkąd go otwarto: otwórz go ponownie.",
                "Someone saved this entry since you opened it: open it again.",
            )))
        }
    }
    let saved = store::one(&mut tx, id, breach).await?.ok_or(AppError::NotFound)?;
    // The register may be corrected, never silently: what changed, old and new, is in
    // the append-only access log.
    let state_now = if b.closed { "closed" } else if b.reported.is_some() { "reported" } else { "open" };
    let changed = store::changes(&before.input, &saved.input);
    let detail = format!("breach {} updated: {state_now}; {}", saved.number, if changed.is_empty() { "nothing changed".to_string() } else { changed.join("; ") });
    audit::record(&mut tx, &user, id, None, Action::Update, &detail).await?;
    tx.commit().await?;
    Ok(ApiJson(saved))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, record)).routes(routes!(update))
}
