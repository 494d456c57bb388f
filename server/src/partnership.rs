//! Partnerships as the user sees them: who can lead clients in one, and how many each
//! already leads.

use axum::extract::{Path, State};
use domain::api::{Consultant, Problem};
use domain::caseload::MAX_CASELOAD;
use domain::org::Role;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiResult};
use crate::AppState;

/// Active clients led by a consultant, in every partnership: the caseload is the person's.
pub const ACTIVE_CASELOAD_SQL: &str = "SELECT COUNT(*) FROM clients WHERE key_consultant_id = $1 AND status = 'active'";

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/consultants", tag = "partnerships",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<Consultant>), (status = 404, body = Problem)))]
pub async fn consultants(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Consultant>> {
    user.role_in(id)?;
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.display_name, r.role, o.name,
                (SELECT COUNT(*) FROM clients c WHERE c.key_consultant_id = u.id AND c.status = 'active')
         FROM user_roles r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.organisation_id
         WHERE r.partnership_id = $1 AND r.role NOT IN ('administrator', 'coordinator') AND u.active = 1
         ORDER BY u.display_name",
    )
    .bind(id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(ApiJson(
        rows.into_iter()
            .filter_map(|(uid, display_name, role, organisation_name, active_clients)| {
                Some(Consultant {
                    user_id: Uuid::parse_str(&uid).ok()?,
                    display_name,
                    role: Role::parse(&role)?,
                    organisation_name,
                    active_clients,
                    limit: MAX_CASELOAD,
                })
            })
            .collect(),
    ))
}
