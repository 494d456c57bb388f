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
    record_by(conn, user.id, partnership, client, action, detail).await
}

/// The same entry in each of several partnerships, as one statement: a list spanning
/// a region shows clients of up to fifty partnerships on a page, and fifty inserts,
/// each a round trip to the database's worker, cost more than the search itself.
pub async fn record_each(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    partnerships: &[Uuid],
    action: Action,
    detail: &str,
) -> Result<(), sqlx::Error> {
    if partnerships.is_empty() {
        return Ok(());
    }
    let rows = (0..partnerships.len()).map(|i| format!("($1, $2, ${}, NULL, $3, $4)", i + 5)).collect::<Vec<_>>().join(", ");
    let sql = format!("INSERT INTO audit_log (at, user_id, partnership_id, client_id, action, detail) VALUES {rows}");
    // `$4` is taken by `detail`; the partnerships start at `$5`.
    let mut query = sqlx::query(&sql).bind(now()).bind(user.id.to_string()).bind(action.as_str()).bind(detail);
    for p in partnerships {
        query = query.bind(p.to_string());
    }
    query.execute(conn).await?;
    Ok(())
}

/// An entry for a person acting without a session: choosing their password by link.
pub async fn record_by(
    conn: &mut AnyConnection,
    user: Uuid,
    partnership: Uuid,
    client: Option<Uuid>,
    action: Action,
    detail: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO audit_log (at, user_id, partnership_id, client_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now())
        .bind(user.to_string())
        .bind(partnership.to_string())
        .bind(client.map(|c| c.to_string()))
        .bind(action.as_str())
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}

/// How long one opening of a card lasts: its reads within this time are one entry;
/// a card kept open longer gets one more entry every this many seconds.
const OPENING_SECONDS: i64 = 600;

/// What one opening of a client's card reads, as its entry says. The documents hold
/// special-category data (GDPR art. 9), as every read of them is marked.
pub const CARD_READ: &str = "card: record, documents (art. 9), notes, conflicts, history";

/// A read of a client's data. The reads of one opening of the card (one view, named by
/// the `X-Sciezka-Opening` header) by the same person of the same client are one entry,
/// saying what the card shows, at most one every 10 minutes; a read without an
/// opening, or whose opening is another person's or another client's, is an entry of
/// its own. The entry is written before the opening is noted, so a failure can only
/// log a read twice, never not at all.
pub async fn read_client(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    partnership: Uuid,
    client: Uuid,
    detail: &str,
    opening: Option<Uuid>,
) -> Result<(), sqlx::Error> {
    let Some(opening) = opening else {
        return record(conn, user, partnership, Some(client), Action::Read, detail).await;
    };
    let at = now();
    let started: Option<i64> = sqlx::query_scalar("SELECT at FROM access_openings WHERE id = $1 AND user_id = $2 AND client_id = $3")
        .bind(opening.to_string())
        .bind(user.id.to_string())
        .bind(client.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if started.is_some_and(|s| at - s < OPENING_SECONDS) {
        return Ok(());
    }
    let owned: Option<String> = sqlx::query_scalar("SELECT user_id FROM access_openings WHERE id = $1").bind(opening.to_string()).fetch_optional(&mut *conn).await?;
    if owned.is_some() && started.is_none() {
        // Someone else's opening, or another client's: no grouping.
        return record(conn, user, partnership, Some(client), Action::Read, detail).await;
    }
    record(conn, user, partnership, Some(client), Action::Read, CARD_READ).await?;
    sqlx::query(
        "INSERT INTO access_openings (id, user_id, client_id, at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET at = excluded.at
         WHERE access_openings.user_id = excluded.user_id AND access_openings.client_id = excluded.client_id",
    )
    .bind(opening.to_string())
    .bind(user.id.to_string())
    .bind(client.to_string())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM access_openings WHERE at < $1").bind(at - 86_400).execute(&mut *conn).await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    at: i64,
    user_id: String,
    user_name: String,
    action: String,
    client_id: Option<String>,
    client_name: Option<String>,
    detail: String,
}

/// Which entries of a partnership's log to read: each set field narrows the list.
/// Times are Unix seconds (`from` inclusive, `until` exclusive); `before` is the id the
/// previous page ended with.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub person: Option<Uuid>,
    pub client: Option<Uuid>,
    pub action: Option<&'static str>,
    pub from: Option<i64>,
    pub until: Option<i64>,
    pub before: Option<i64>,
}

enum Bound {
    Text(String),
    Number(i64),
}

/// Up to `limit` entries of a partnership's log matching `filter`, newest first. Every
/// filter walks the index `(partnership_id, id)` backwards from `before`, so a deep page
/// costs what the first one does.
pub async fn entries(conn: &mut AnyConnection, partnership: Uuid, filter: &Filter, limit: i64) -> Result<Vec<AuditEntry>, AppError> {
    let mut sql = String::from(
        "SELECT a.id, a.at, a.user_id, u.display_name AS user_name, a.action, a.client_id, c.display_name AS client_name, a.detail
         FROM audit_log a JOIN users u ON u.id = a.user_id LEFT JOIN clients c ON c.id = a.client_id
         WHERE a.partnership_id = $1",
    );
    let mut binds = vec![Bound::Text(partnership.to_string())];
    let mut and = |column: &str, op: &str, value: Bound| {
        binds.push(value);
        sql.push_str(&format!(" AND a.{column} {op} ${}", binds.len()));
    };
    if let Some(p) = filter.person {
        and("user_id", "=", Bound::Text(p.to_string()));
    }
    if let Some(c) = filter.client {
        and("client_id", "=", Bound::Text(c.to_string()));
    }
    if let Some(a) = filter.action {
        and("action", "=", Bound::Text(a.to_string()));
    }
    if let Some(t) = filter.from {
        and("at", ">=", Bound::Number(t));
    }
    if let Some(t) = filter.until {
        and("at", "<", Bound::Number(t));
    }
    if let Some(id) = filter.before {
        and("id", "<", Bound::Number(id));
    }
    sql.push_str(&format!(" ORDER BY a.id DESC LIMIT {limit}"));
    let mut q = sqlx::query_as::<_, EntryRow>(&sql);
    for b in binds {
        q = match b {
            Bound::Text(t) => q.bind(t),
            Bound::Number(n) => q.bind(n),
        };
    }
    q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(AuditEntry {
                id: r.id,
                at: format_timestamp_warsaw(r.at),
                user_id: Uuid::parse_str(&r.user_id).map_err(internal)?,
                user_name: r.user_name,
                action: r.action,
                client_id: r.client_id.as_deref().map(Uuid::parse_str).transpose().map_err(internal)?,
                client_name: r.client_name.unwrap_or_default(),
                detail: r.detail,
            })
        })
        .collect()
}
