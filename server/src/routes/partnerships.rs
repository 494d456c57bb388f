//! Partnerships as the user sees them: who can lead clients in one.

use axum::extract::{Path, State};
use domain::api::{Consultant, Problem};
use domain::caseload::MAX_CASELOAD;
use domain::org::Role;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{internal, ApiJson, ApiResult, AppError};
use crate::extract::CurrentUser;
use crate::store::partnership::consultant_rows;
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/consultants", tag = "partnerships",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<Consultant>), (status = 404, body = Problem)))]
pub async fn consultants(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Consultant>> {
    user.role_in(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows = consultant_rows(&mut conn, id).await?;
    let consultants = rows
        .into_iter()
        .map(|r| {
            Ok(Consultant {
                user_id: Uuid::parse_str(&r.user_id).map_err(internal)?,
                display_name: r.display_name,
                role: Role::parse(&r.role).ok_or_else(|| AppError::Internal(format!("unknown role {}", r.role)))?,
                organisation_name: r.organisation_name,
                active_clients: r.active_clients,
                limit: MAX_CASELOAD,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ApiJson(consultants))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consultants))
}
