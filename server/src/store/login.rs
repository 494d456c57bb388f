//! Sign-in in storage: the failed attempts that throttle an account and an address,
//! and the password hashes.

use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::now;

/// Failed sign-ins allowed per account, and per address, within the window.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_IP: i64 = 20;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;

/// Whether the account or the address has failed too often lately.
pub(crate) async fn throttled(conn: &mut AnyConnection, account: &str, ip: &str) -> Result<bool, AppError> {
    let since = now() - FAILURE_WINDOW_SECS;
    let by_account: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at > $2").bind(account).bind(since).fetch_one(&mut *conn).await?;
    let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2").bind(ip).bind(since).fetch_one(&mut *conn).await?;
    Ok(by_account >= MAX_FAILURES_PER_ACCOUNT || by_ip >= MAX_FAILURES_PER_IP)
}

pub(crate) async fn failed(conn: &mut AnyConnection, account: &str, ip: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO login_failures (account, ip, at) VALUES ($1, $2, $3)").bind(account).bind(ip).bind(now()).execute(&mut *conn).await?;
    Ok(())
}

/// A successful sign-in is noted on the account and forgets its failures, and
/// everyone's expired ones.
pub(crate) async fn succeeded(conn: &mut AnyConnection, account: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET last_sign_in = $1 WHERE email = $2").bind(now()).bind(account).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM login_failures WHERE account = $1 OR at < $2").bind(account).bind(now() - FAILURE_WINDOW_SECS).execute(&mut *conn).await?;
    Ok(())
}

/// An active account's id, password hash and the last day of its authorisation to
/// process personal data (empty: none recorded, or until revoked).
#[derive(sqlx::FromRow)]
struct Credentials {
    id: String,
    display_name: String,
    password_hash: String,
    authorisation_expires: String,
}

/// What sign-in checks of the active account with this e-mail.
pub(crate) struct Account {
    pub id: Uuid,
    pub display_name: String,
    pub password_hash: String,
    pub authorisation_expires: String,
}

/// The active account with this e-mail, if any.
pub(crate) async fn credentials(conn: &mut AnyConnection, account: &str) -> Result<Option<Account>, AppError> {
    let row: Option<Credentials> = sqlx::query_as("SELECT id, display_name, password_hash, authorisation_expires FROM users WHERE email = $1 AND active = 1")
        .bind(account)
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|c| Ok(Account { id: Uuid::parse_str(&c.id).map_err(internal)?, display_name: c.display_name, password_hash: c.password_hash, authorisation_expires: c.authorisation_expires }))
        .transpose()
}

pub(crate) async fn password_hash(conn: &mut AnyConnection, user: Uuid) -> Result<String, AppError> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user.to_string()).fetch_one(&mut *conn).await?)
}

pub(crate) async fn set_password_hash(conn: &mut AnyConnection, user: Uuid, hash: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(user.to_string()).execute(&mut *conn).await?;
    Ok(())
}
