//! Devices that sync, and what happens when one is revoked (a lost tablet): its later
//! pushes are held on the server, unapplied and never dropped, until a coordinator of
//! the partnership applies or discards each one.

use axum::extract::{Path, State};
use domain::api::Problem;
use domain::sync::{Decision, DeviceInfo, HeldChange, Mutation, Outcome, RevokeDevice};
use domain::validation::format_timestamp_warsaw;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::internal;
use crate::store::audit::{self, Action};
use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::store::sync::apply_once;
use crate::{now, AppState};

fn steering(user: &CurrentUser, partnership: Uuid) -> Result<(), AppError> {
    if user.role_in(partnership)?.steers() {
        Ok(())
    } else {
        Err(AppError::Forbidden("only coordinators manage devices"))
    }
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/devices", tag = "sync", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<DeviceInfo>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<DeviceInfo>> {
    steering(&user, id)?;
    type Row = (String, String, String, i64, i64, Option<i64>, Option<String>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT d.id, d.user_id, u.display_name, d.first_seen, d.last_seen, d.revoked_at, r.display_name
         FROM devices d JOIN users u ON u.id = d.user_id LEFT JOIN users r ON r.id = d.revoked_by
         WHERE d.user_id IN (SELECT user_id FROM user_roles WHERE partnership_id = $1)
         ORDER BY d.last_seen DESC",
    )
    .bind(id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    rows.into_iter()
        .map(|(device, user_id, user_name, first, last, revoked_at, revoked_by)| {
            Ok(DeviceInfo {
                device_id: Uuid::parse_str(&device).map_err(internal)?,
                user_id: Uuid::parse_str(&user_id).map_err(internal)?,
                user_name,
                first_seen: format_timestamp_warsaw(first),
                last_seen: format_timestamp_warsaw(last),
                revoked: match revoked_at {
                    Some(at) => format!("{}, {}", revoked_by.unwrap_or_default(), format_timestamp_warsaw(at)),
                    None => String::new(),
                },
            })
        })
        .collect::<Result<Vec<_>, AppError>>()
        .map(ApiJson)
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
    let shared: Vec<String> = sqlx::query_scalar("SELECT partnership_id FROM user_roles WHERE user_id = $1")
        .bind(req.user_id.to_string())
        .fetch_all(&mut *tx)
        .await?;
    let shared = shared.iter().map(|p| Uuid::parse_str(p).map_err(internal)).collect::<Result<Vec<Uuid>, AppError>>()?;
    let steered: Vec<Uuid> = shared.into_iter().filter(|p| user.role_in(*p).is_ok_and(domain::org::Role::steers)).collect();
    if steered.is_empty() {
        return Err(AppError::NotFound);
    }
    let done = sqlx::query("UPDATE devices SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL")
        .bind(now())
        .bind(user.id.to_string())
        .bind(id.to_string())
        .bind(req.user_id.to_string())
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM devices WHERE id = $1 AND user_id = $2")
            .bind(id.to_string())
            .bind(req.user_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        exists.ok_or(AppError::NotFound)?;
    }
    for p in steered {
        audit::record(&mut tx, &user, p, None, Action::Update, &format!("device {id} revoked")).await?;
    }
    tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

#[derive(sqlx::FromRow)]
struct HeldRow {
    mutation_id: String,
    device_id: String,
    user_name: String,
    client_id: String,
    client_name: Option<String>,
    body: String,
    received_at: i64,
    decision: Option<String>,
    decided_by: Option<String>,
    decided_at: Option<i64>,
    partnership_id: String,
    user_id: String,
}

const HELD_SELECT: &str = "SELECT h.mutation_id, h.device_id, u.display_name AS user_name, h.client_id, c.display_name AS client_name,
        h.body, h.received_at, h.decision, d.display_name AS decided_by, h.decided_at, h.partnership_id, h.user_id
    FROM sync_held h JOIN users u ON u.id = h.user_id LEFT JOIN clients c ON c.id = h.client_id LEFT JOIN users d ON d.id = h.decided_by";

fn held_view(r: HeldRow) -> Result<HeldChange, AppError> {
    Ok(HeldChange {
        mutation_id: Uuid::parse_str(&r.mutation_id).map_err(internal)?,
        device_id: Uuid::parse_str(&r.device_id).map_err(internal)?,
        user_name: r.user_name,
        client_id: Uuid::parse_str(&r.client_id).map_err(internal)?,
        client_name: r.client_name.unwrap_or_default(),
        received_at: format_timestamp_warsaw(r.received_at),
        mutation: serde_json::from_str(&r.body).map_err(internal)?,
        decision: r.decision.unwrap_or_default(),
        decided: match (r.decided_by, r.decided_at) {
            (Some(by), Some(at)) => format!("{by}, {}", format_timestamp_warsaw(at)),
            _ => String::new(),
        },
    })
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/held", tag = "sync", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<HeldChange>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn held(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<HeldChange>> {
    steering(&user, id)?;
    let rows: Vec<HeldRow> = sqlx::query_as(&format!("{HELD_SELECT} WHERE h.partnership_id = $1 ORDER BY h.received_at DESC LIMIT 500"))
        .bind(id.to_string())
        .fetch_all(&state.db.pool)
        .await?;
    rows.into_iter().map(held_view).collect::<Result<Vec<_>, _>>().map(ApiJson)
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
    let one = format!("{HELD_SELECT} WHERE h.mutation_id = $1");
    let row: HeldRow = sqlx::query_as(&one).bind(id.to_string()).fetch_optional(&mut *tx).await?.ok_or(AppError::NotFound)?;
    let partnership = Uuid::parse_str(&row.partnership_id).map_err(internal)?;
    steering(&user, partnership)?;
    if row.decision.is_some() {
        return Err(AppError::Conflict("this change was already decided"));
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
    sqlx::query("UPDATE sync_held SET decision = $1, decided_by = $2, decided_at = $3 WHERE mutation_id = $4")
        .bind(verdict)
        .bind(user.id.to_string())
        .bind(now())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    let client = Uuid::parse_str(&row.client_id).ok();
    audit::record(&mut tx, &user, partnership, client, Action::Update, &format!("held change {id} {verdict} (from {})", row.user_id)).await?;
    let row: HeldRow = sqlx::query_as(&one).bind(id.to_string()).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    held_view(row).map(ApiJson)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(revoke))
        .routes(routes!(held))
        .routes(routes!(decide))
}
