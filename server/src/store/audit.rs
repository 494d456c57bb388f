//! The audit log: who read or changed which client's record, when, in which
//! partnership. Rows are only ever inserted (the database refuses updates and deletes);
//! a partnership's coordinators and administrators can read it.

use sqlx::AnyConnection;
use uuid::Uuid;

use crate::store::user::CurrentUser;
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

