//! Devices that sync, and what happens when one is revoked (a lost tablet): its later
//! pushes are held on the server, unapplied and never dropped, until a coordinator of
//! the partnership applies or discards each one.

use axum::extract::{Path, State};
use domain::api::Problem;
use domain::sync::{Decision, DeviceInfo, HeldChange, Mutation, Outcome, RevokeDevice};
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::internal;
use crate::store::audit::{self, Action};
use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::store::sync::apply_once;
use crate::store::{self, device};
use crate::AppState;

fn steering(user: &CurrentUser, partnership: Uuid) -> Result<(), AppError> {
    user.steer(partnership, "only coordinators manage devices")
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/devices", tag = "sync", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<DeviceInfo>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<DeviceInfo>> {
    steering(&user, id)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(device::of_partnership(&mut conn, id).await?))
}

#[utoipa::path(post, path = "/api/v1/devices/{id}/revoke", tag = "sync", request_body = RevokeDevice,
    params(("id" = Uuid, Path, description = "device")),
    responses((status = 204), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<RevokeDevice>,
) -> Result<axum::http::StatusCode, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let steered: Vec<Uuid> = store::user::partnerships_of(&mut tx, req.user_id).await?.into_iter().filter(|p| user.role_in(*p).is_ok_and(domain::org::Role::steers)).collect();
    if steered.is_empty() {
        return Err(AppError::NotFound);
    }
    device::revoke(&mut tx, &user, id, req.user_id).await?;
    for p in steered {
        audit::record(&mut tx, &user, p, None, Action::Update, &format!("device {id} revoked")).await?;
    }
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/held", tag = "sync", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<HeldChange>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn held(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<HeldChange>> {
    steering(&user, id)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(device::held_in(&mut conn, id).await?))
}

#[utoipa::path(post, path = "/api/v1/held/{id}/decide", tag = "sync", request_body = Decision,
    params(("id" = Uuid, Path, description = "held mutation")),
    responses((status = 200, body = HeldChange), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn decide(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(decision): ApiJson<Decision>,
) -> ApiResult<HeldChange> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let row = device::held_one(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let partnership = Uuid::parse_str(&row.partnership_id).map_err(internal)?;
    steering(&user, partnership)?;
    if row.decision.is_some() {
        return Err(AppError::Conflict(lang.pick("O tej zmianie już zdecydowano.", "This change was already decided.")));
    }
    let device = Uuid::parse_str(&row.device_id).map_err(internal)?;
    let m: Mutation = serde_json::from_str(&row.body).map_err(internal)?;
    let verdict = if decision.apply {
        // Applied in the coordinator's name, who took the decision; history keeps the device.
        match apply_once(&mut tx, &user, lang, device, &m).await? {
            Outcome::Rejected { errors } => return Err(AppError::Invalid { errors, lang }),
            _ => "applied",
        }
    } else {
        "discarded"
    };
    device::decided(&mut tx, &user, id, verdict).await?;
    let client = Uuid::parse_str(&row.client_id).ok();
    audit::record(&mut tx, &user, partnership, client, Action::Update, &format!("held change {id} {verdict} (from {})", row.user_id)).await?;
    let row = device::held_one(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    tx.commit().await?;
    device::held_view(row).map(ApiJson)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(revoke))
        .routes(routes!(held))
        .routes(routes!(decide))
}
