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

/// One person who leads clients in a partnership.
#[derive(sqlx::FromRow)]
pub(crate) struct ConsultantRow {
    pub user_id: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: String,
    pub organisation_name: String,
    /// Active clients in every partnership: the caseload is the person's.
    pub active_clients: i64,
}

/// The active people of a partnership who lead clients, by name.
pub(crate) async fn consultant_rows(conn: &mut sqlx::AnyConnection, partnership: Uuid) -> Result<Vec<ConsultantRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, r.role, o.id AS organisation_id, o.name AS organisation_name,
                (SELECT COUNT(*) FROM clients c WHERE c.key_consultant_id = u.id AND c.status = 'active') AS active_clients
         FROM user_roles r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.organisation_id
         WHERE r.partnership_id = $1 AND r.role NOT IN ('administrator', 'coordinator') AND u.active = 1
         ORDER BY u.display_name",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/consultants", tag = "partnerships",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<Consultant>), (status = 404, body = Problem)))]
pub async fn consultants(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Consultant>> {
    user.role_in(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows = consultant_rows(&mut conn, id).await?;
    Ok(ApiJson(
        rows.into_iter()
            .filter_map(|r| {
                Some(Consultant {
                    user_id: Uuid::parse_str(&r.user_id).ok()?,
                    display_name: r.display_name,
                    role: Role::parse(&r.role)?,
                    organisation_name: r.organisation_name,
                    active_clients: r.active_clients,
                    limit: MAX_CASELOAD,
                })
            })
            .collect(),
    ))
}
