//! Restriction of processing (GDPR art. 18): a partnership's coordinator restricts the
//! processing of a client's data, or lifts it, with a written reason. While it holds,
//! every write to the client is refused (`store::client::writable`) and a device's
//! changes are held for a coordinator (`routes::sync`); both steps are in the access log.

use axum::extract::{Path, State};
use domain::api::{ClientRecord, Problem};
use domain::client::RestrictionInput;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::client;
use crate::AppState;

#[utoipa::path(put, path = "/api/v1/clients/{id}/restriction", tag = "clients", request_body = RestrictionInput,
    params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = ClientRecord), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<RestrictionInput>,
) -> ApiResult<ClientRecord> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let current = client::lock_and_load(&mut tx, &user, id).await?;
    let partnership = current.data.partnership_id;
    user.steer(partnership, "only a coordinator restricts processing or lifts a restriction")?;
    let reason = req.validate(lang).map_err(AppError::fields(lang))?;
    let detail = match (req.restricted, current.restriction.is_some()) {
        (true, false) => format!("processing restricted (GDPR art. 18): {reason}"),
        (false, true) => format!("restriction of processing lifted: {reason}"),
        (true, true) => return Err(AppError::Conflict(lang.pick("Przetwarzanie danych tej osoby jest już ograniczone.", "This person's processing is restricted already."))),
        (false, false) => return Err(AppError::Conflict(lang.pick("Przetwarzanie danych tej osoby nie jest ograniczone.", "This person's processing is not restricted."))),
    };
    client::set_restriction(&mut tx, &user, id, req.restricted.then_some(reason.as_str())).await?;
    audit::record(&mut tx, &user, partnership, Some(id), Action::Update, &detail).await?;
    let record = client::load(&mut tx, &user, id).await?;
    tx.commit().await?;
    Ok(ApiJson(record))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set))
}
