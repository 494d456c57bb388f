//! The partnership's access log, for its coordinators.

use axum::extract::{Path, State};
use domain::api::{AuditEntry, Problem};
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult};
use crate::extract::CurrentUser;
use crate::store::audit;
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/audit", tag = "audit",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<AuditEntry>> {
    user.steer(id, "only coordinators read the audit log")?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(audit::entries(&mut conn, id).await?))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
}
