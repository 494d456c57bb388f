//! The audit log: who read or changed which client's record, when, in which
//! partnership. Rows are only ever inserted (the database refuses updates and deletes);
//! a partnership's coordinators and administrators can read it.

use axum::extract::{Path, State};
use domain::api::{AuditEntry, Problem};
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::auth::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::{now, AppState};

#[derive(Debug, Clone, Copy)]
pub enum Action {
    Read,
    Create,
    Update,
    List,
    /// A device took the caseload for offline work.
    Sync,
    /// A write to a document outside the user's partnerships was refused.
    Refused,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Read => "read",
            Action::Create => "create",
            Action::Update => "update",
            Action::List => "list",
            Action::Sync => "sync",
            Action::Refused => "refused",
        }
    }
}

pub async fn record(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    partnership: Uuid,
    client: Option<Uuid>,
    action: Action,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (at, user_id, partnership_id, client_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now())
        .bind(user.id.to_string())
        .bind(partnership.to_string())
        .bind(client.map(|c| c.to_string()))
        .bind(action.as_str())
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

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
