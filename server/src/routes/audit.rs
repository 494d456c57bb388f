//! The partnership's access log, for its coordinators.

use axum::extract::{Path, State};
use domain::api::{AuditEntry, Problem};
use domain::validation::format_timestamp_warsaw;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::CurrentUser;
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/audit", tag = "audit",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<AuditEntry>> {
    if !user.role_in(id)?.steers() {
        return Err(AppError::Forbidden("only coordinators read the audit log"));
    }
    let rows: Vec<(i64, String, String, Option<String>, Option<String>, String)> = sqlx::query_as(
        "SELECT a.at, u.display_name, a.action, a.client_id, c.display_name, a.detail
         FROM audit_log a JOIN users u ON u.id = a.user_id LEFT JOIN clients c ON c.id = a.client_id
         WHERE a.partnership_id = $1 ORDER BY a.id DESC LIMIT 500",
    )
    .bind(id.to_string())
    .fetch_all(&state.db.pool)
    .await?;
    Ok(ApiJson(
        rows.into_iter()
            .map(|(at, user_name, action, client_id, client_name, detail)| AuditEntry {
                at: format_timestamp_warsaw(at),
                user_name,
                action,
                client_id: client_id.and_then(|c| Uuid::parse_str(&c).ok()),
                client_name: client_name.unwrap_or_default(),
                detail,
            })
            .collect(),
    ))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
}
