//! Devices that sync, their revocation, and the changes held for a coordinator's
//! decision: those a revoked device sent, and those to a client whose processing is
//! restricted (GDPR art. 18) or whose file was disposed of.


use domain::sync::{DeviceInfo, HeldChange, Mutation, Outcome};
use domain::validation::format_timestamp_warsaw;
use domain::Lang;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::internal;
use crate::store::user::CurrentUser;
use crate::error::AppError;
use crate::store::sync::{client_of, not_found, refused, target_partnership};
use crate::now;

/// Why a change waits for a coordinator instead of being applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hold {
    /// The device was revoked.
    Revoked,
    /// The client's processing is restricted.
    Restricted,
    /// The client's file was disposed of: nothing is applied to what is left of it.
    Disposed,
}

/// Keeps a mutation for review. One applied before gets its stored answer; one outside
/// the user's partnerships is refused as usual.
pub(crate) async fn hold(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, device: Uuid, m: &Mutation, why: Hold) -> Result<Outcome, AppError> {
    let done: Option<String> =
        sqlx::query_scalar("SELECT result FROM sync_mutations WHERE id = $1 AND user_id = $2").bind(m.id.to_string()).bind(user.id.to_string()).fetch_optional(&mut *conn).await?;
    if let Some(result) = done.filter(|r| !r.is_empty()) {
        return serde_json::from_str(&result).map_err(internal);
    }
    let client = client_of(conn, &m.op).await?.unwrap_or_else(|| m.op.doc_id());
    let (mut partnership, _) = target_partnership(conn, &m.op).await?;
    if partnership.is_none() {
        // An edit of a document whose creation is held itself: its client's partnership.
        let owner: Option<String> =
            sqlx::query_scalar("SELECT partnership_id FROM clients WHERE id = $1").bind(client.to_string()).fetch_optional(&mut *conn).await?;
        partnership = owner.and_then(|p| Uuid::parse_str(&p).ok());
    }
    let Some(partnership) = partnership.filter(|p| user.role_in(*p).is_ok()) else {
        refused(conn, user, m).await?;
        return Ok(not_found(lang));
    };
    sqlx::query(
        "INSERT INTO sync_held (mutation_id, device_id, user_id, partnership_id, client_id, body, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (mutation_id) DO NOTHING",
    )
    .bind(m.id.to_string())
    .bind(device.to_string())
    .bind(user.id.to_string())
    .bind(partnership.to_string())
    .bind(client.to_string())
    .bind(serde_json::to_string(m).map_err(internal)?)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    let message = match why {
        Hold::Revoked => lang.pick("To urządzenie zostało zablokowane. Zmiana czeka na serwerze na decyzję koordynatora.", "This device was revoked. The change waits on the server for a coordinator's decision."),
        Hold::Restricted => lang.pick(
            "Przetwarzanie danych tej osoby jest ograniczone (art. 18 RODO). Zmiana czeka na serwerze na decyzję koordynatora.",
            "The processing of this person's data is restricted (GDPR art. 18). The change waits on the server for a coordinator's decision.",
        ),
        Hold::Disposed => lang.pick(
            "Akta tej osoby zostały zbrakowane po upływie okresu przechowywania. Zmiana nie została zapisana i czeka na serwerze na decyzję koordynatora.",
            "This person's file was disposed of when its retention period ended. The change was not saved and waits on the server for a coordinator's decision.",
        ),
    };
    Ok(Outcome::Held { message: message.into() })
}

#[derive(sqlx::FromRow)]
struct DeviceRow {
    id: String,
    user_id: String,
    user_name: String,
    first_seen: i64,
    last_seen: i64,
    revoked_at: Option<i64>,
    revoked_by: Option<String>,
}

/// The devices of a partnership's people, the most recently seen first.
pub(crate) async fn of_partnership(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<DeviceInfo>, AppError> {
    let rows: Vec<DeviceRow> = sqlx::query_as(
        "SELECT d.id, d.user_id, u.display_name AS user_name, d.first_seen, d.last_seen, d.revoked_at, r.display_name AS revoked_by
         FROM devices d JOIN users u ON u.id = d.user_id LEFT JOIN users r ON r.id = d.revoked_by
         WHERE d.user_id IN (SELECT user_id FROM user_roles WHERE partnership_id = $1)
         ORDER BY d.last_seen DESC",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(DeviceInfo {
                device_id: Uuid::parse_str(&r.id).map_err(internal)?,
                user_id: Uuid::parse_str(&r.user_id).map_err(internal)?,
                user_name: r.user_name,
                first_seen: format_timestamp_warsaw(r.first_seen),
                last_seen: format_timestamp_warsaw(r.last_seen),
                revoked: match r.revoked_at {
                    Some(at) => format!("{}, {}", r.revoked_by.unwrap_or_default(), format_timestamp_warsaw(at)),
                    None => String::new(),
                },
            })
        })
        .collect()
}

/// Revokes `owner`'s device (once: a second revocation changes nothing); not found
/// unless the device is theirs.
pub(crate) async fn revoke(conn: &mut AnyConnection, by: &CurrentUser, device: Uuid, owner: Uuid) -> Result<(), AppError> {
    let done = sqlx::query("UPDATE devices SET revoked_at = $1, revoked_by = $2 WHERE id = $3 AND user_id = $4 AND revoked_at IS NULL")
        .bind(now())
        .bind(by.id.to_string())
        .bind(device.to_string())
        .bind(owner.to_string())
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        let exists: Option<String> = sqlx::query_scalar("SELECT id FROM devices WHERE id = $1 AND user_id = $2")
            .bind(device.to_string())
            .bind(owner.to_string())
            .fetch_optional(&mut *conn)
            .await?;
        exists.ok_or(AppError::NotFound)?;
    }
    Ok(())
}

/// A held change as stored, with the names the coordinator reads.
#[derive(sqlx::FromRow)]
pub(crate) struct HeldRow {
    pub mutation_id: String,
    pub device_id: String,
    pub user_name: String,
    pub client_id: String,
    pub client_name: Option<String>,
    pub body: String,
    pub received_at: i64,
    pub decision: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<i64>,
    pub partnership_id: String,
    pub user_id: String,
}

const HELD_SELECT: &str = "SELECT h.mutation_id, h.device_id, u.display_name AS user_name, h.client_id, c.display_name AS client_name,
        h.body, h.received_at, h.decision, d.display_name AS decided_by, h.decided_at, h.partnership_id, h.user_id
    FROM sync_held h JOIN users u ON u.id = h.user_id LEFT JOIN clients c ON c.id = h.client_id LEFT JOIN users d ON d.id = h.decided_by";

pub(crate) fn held_view(r: HeldRow) -> Result<HeldChange, AppError> {
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

/// The partnership's held changes, the newest first (at most 500).
pub(crate) async fn held_in(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<HeldChange>, AppError> {
    let rows: Vec<HeldRow> = sqlx::query_as(&format!("{HELD_SELECT} WHERE h.partnership_id = $1 ORDER BY h.received_at DESC LIMIT 500"))
        .bind(partnership.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(held_view).collect()
}

/// The changes held for one client, oldest first: part of what is held about them.
pub(crate) async fn held_of_client(conn: &mut AnyConnection, client: Uuid) -> Result<Vec<HeldChange>, AppError> {
    let rows: Vec<HeldRow> = sqlx::query_as(&format!("{HELD_SELECT} WHERE h.client_id = $1 ORDER BY h.received_at"))
        .bind(client.to_string())
        .fetch_all(&mut *conn)
        .await?;
    rows.into_iter().map(held_view).collect()
}

pub(crate) async fn held_one(conn: &mut AnyConnection, mutation: Uuid) -> Result<Option<HeldRow>, AppError> {
    Ok(sqlx::query_as(&format!("{HELD_SELECT} WHERE h.mutation_id = $1")).bind(mutation.to_string()).fetch_optional(&mut *conn).await?)
}

/// Records the coordinator's decision on a held change (`applied` or `discarded`).
pub(crate) async fn decided(conn: &mut AnyConnection, by: &CurrentUser, mutation: Uuid, verdict: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE sync_held SET decision = $1, decided_by = $2, decided_at = $3 WHERE mutation_id = $4")
        .bind(verdict)
        .bind(by.id.to_string())
        .bind(now())
        .bind(mutation.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}
