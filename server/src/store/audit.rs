//! The audit log: who read or changed which client's record, when, in which
//! partnership. Rows are only ever inserted (the database refuses updates and deletes);
//! a partnership's coordinators and administrators can read it.

use domain::api::AuditEntry;
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::store::user::CurrentUser;
use crate::error::{internal, AppError};
use crate::now;

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
    pub(crate) fn as_str(self) -> &'static str {
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

#[derive(sqlx::FromRow)]
struct EntryRow {
    at: i64,
    user_name: String,
    action: String,
    client_id: Option<String>,
    client_name: Option<String>,
    detail: String,
}

/// The newest entries of a partnership's log, newest first.
pub async fn entries(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<AuditEntry>, AppError> {
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT a.at, u.display_name AS user_name, a.action, a.client_id, c.display_name AS client_name, a.detail
         FROM audit_log a JOIN users u ON u.id = a.user_id LEFT JOIN clients c ON c.id = a.client_id
         WHERE a.partnership_id = $1 ORDER BY a.id DESC LIMIT 500",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(AuditEntry {
                at: format_timestamp_warsaw(r.at),
                user_name: r.user_name,
                action: r.action,
                client_id: r.client_id.as_deref().map(Uuid::parse_str).transpose().map_err(internal)?,
                client_name: r.client_name.unwrap_or_default(),
                detail: r.detail,
            })
        })
        .collect()
}
