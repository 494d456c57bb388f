//! Changes from a revoked device: kept unapplied until a coordinator decides.


use domain::sync::{Mutation, Outcome};
use domain::Lang;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::internal;
use crate::store::user::CurrentUser;
use crate::error::AppError;
use crate::store::sync::{not_found, refused, target_partnership};
use crate::now;

/// Keeps a revoked device's mutation for review. One applied before the revocation
/// gets its stored answer; one outside the user's partnerships is refused as usual.
pub(crate) async fn hold(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, device: Uuid, m: &Mutation) -> Result<Outcome, AppError> {
    let done: Option<String> =
        sqlx::query_scalar("SELECT result FROM sync_mutations WHERE id = $1 AND user_id = $2").bind(m.id.to_string()).bind(user.id.to_string()).fetch_optional(&mut *conn).await?;
    if let Some(result) = done.filter(|r| !r.is_empty()) {
        return serde_json::from_str(&result).map_err(internal);
    }
    let client = m.op.doc_id();
    let (partnership, _) = target_partnership(conn, &m.op).await?;
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
    Ok(Outcome::Held {
        message: lang.pick("To urządzenie zostało zablokowane. Zmiana czeka na serwerze na decyzję koordynatora.".into(), "This device was revoked. The change waits on the server for a coordinator's decision.".into()),
    })
}
