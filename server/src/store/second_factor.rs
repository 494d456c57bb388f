//! Two-factor sign-in in storage: the secret offered at the first sign-in and the one
//! the account holds, the last time step taken (a code works once), the recovery
//! codes (hashed), and the installation's setting that makes it compulsory.

use domain::installation::Settings;
use domain::org::Role;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::AppError;
use crate::now;

/// Where an account stands with its second factor.
#[derive(sqlx::FromRow)]
pub(crate) struct Factor {
    /// The secret the account holds (base32); none until enrolled.
    pub secret: Option<String>,
    /// The secret offered at the first sign-in, not yet confirmed by a code.
    pub pending: Option<String>,
}

pub(crate) async fn of(conn: &mut AnyConnection, user: Uuid) -> Result<Factor, AppError> {
    Ok(sqlx::query_as("SELECT totp_secret AS secret, totp_pending AS pending FROM users WHERE id = $1")
        .bind(user.to_string())
        .fetch_one(&mut *conn)
        .await?)
}

/// The installation's settings; no row means the defaults (two-factor required).
pub(crate) async fn settings(conn: &mut AnyConnection) -> Result<Settings, AppError> {
    let required: Option<i64> = sqlx::query_scalar("SELECT two_factor_required FROM installation_settings WHERE id = 1").fetch_optional(&mut *conn).await?;
    Ok(Settings { two_factor_required: required.is_none_or(|r| r != 0) })
}

pub(crate) async fn set_settings(conn: &mut AnyConnection, by: Option<Uuid>, s: &Settings) -> Result<(), AppError> {
    let by = by.map(|u| u.to_string());
    let changed = sqlx::query("UPDATE installation_settings SET two_factor_required = $1, changed_at = $2, changed_by = $3 WHERE id = 1")
        .bind(i64::from(s.two_factor_required))
        .bind(now())
        .bind(&by)
        .execute(&mut *conn)
        .await?;
    if changed.rows_affected() == 0 {
        sqlx::query("INSERT INTO installation_settings (id, two_factor_required, changed_at, changed_by) VALUES (1, $1, $2, $3)")
            .bind(i64::from(s.two_factor_required))
            .bind(now())
            .bind(&by)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Whether this account must sign in with a second factor: the installation asks for
/// it, and the account administers the installation or reads clients somewhere.
pub(crate) async fn required(conn: &mut AnyConnection, user: Uuid) -> Result<bool, AppError> {
    if !settings(conn).await?.two_factor_required {
        return Ok(false);
    }
    let admin: i64 = sqlx::query_scalar("SELECT installation_admin FROM users WHERE id = $1").bind(user.to_string()).fetch_one(&mut *conn).await?;
    let roles: Vec<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1").bind(user.to_string()).fetch_all(&mut *conn).await?;
    Ok(admin != 0 || roles.iter().filter_map(|r| Role::parse(r)).any(Role::needs_second_factor))
}

/// Offers a secret for the first sign-in; only the latest offered can be confirmed.
pub(crate) async fn offer(conn: &mut AnyConnection, user: Uuid, secret: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2").bind(secret).bind(user.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// Takes a time step: true only for a step later than any taken before, so a code
/// seen over someone's shoulder cannot be used again.
pub(crate) async fn take_step(conn: &mut AnyConnection, user: Uuid, step: u64) -> Result<bool, AppError> {
    let step = i64::try_from(step).map_err(crate::error::internal)?;
    let taken = sqlx::query("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1").bind(step).bind(user.to_string()).execute(&mut *conn).await?;
    Ok(taken.rows_affected() == 1)
}

/// The offered secret becomes the account's, with new recovery codes given by their
/// hashes (earlier ones stop working). False when the account enrolled meanwhile or
/// was offered another secret: nothing is changed then. Run in a transaction.
pub(crate) async fn enrol(conn: &mut AnyConnection, user: Uuid, secret: &str, step: u64, code_hashes: &[String]) -> Result<bool, AppError> {
    let step = i64::try_from(step).map_err(crate::error::internal)?;
    let taken = sqlx::query(
        "UPDATE users SET totp_secret = $1, totp_pending = NULL, totp_last_step = $2, totp_enrolled_at = $3
         WHERE id = $4 AND totp_secret IS NULL AND totp_pending = $1",
    )
    .bind(secret)
    .bind(step)
    .bind(now())
    .bind(user.to_string())
    .execute(&mut *conn)
    .await?;
    if taken.rows_affected() != 1 {
        return Ok(false);
    }
    replace_recovery_codes(conn, user, code_hashes).await?;
    Ok(true)
}

/// New recovery codes by their hashes; every earlier one, used or not, stops working.
pub(crate) async fn replace_recovery_codes(conn: &mut AnyConnection, user: Uuid, code_hashes: &[String]) -> Result<(), AppError> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.to_string()).execute(&mut *conn).await?;
    for hash in code_hashes {
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)").bind(user.to_string()).bind(hash).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Recovery codes the account has not used yet.
pub(crate) async fn recovery_codes_left(conn: &mut AnyConnection, user: Uuid) -> Result<u32, AppError> {
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user.to_string())
        .fetch_one(&mut *conn)
        .await?;
    Ok(u32::try_from(left).unwrap_or_default())
}

/// Uses a recovery code (by its hash) once; false for a wrong or used one.
pub(crate) async fn use_recovery_code(conn: &mut AnyConnection, user: Uuid, code_hash: &str) -> Result<bool, AppError> {
    let used = sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
        .bind(now())
        .bind(user.to_string())
        .bind(code_hash)
        .execute(&mut *conn)
        .await?;
    Ok(used.rows_affected() == 1)
}

/// Forgets the account's second factor (a lost phone): the next sign-in enrols anew.
pub(crate) async fn reset(conn: &mut AnyConnection, user: Uuid) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0, totp_enrolled_at = NULL WHERE id = $1")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// `sciezka reset-second-factor`, for whoever runs the server: an account no
/// coordinator can reach (an installation administrator's) that lost its phone and its
/// recovery codes. Its sessions end; the next sign-in enrols a new app. False when
/// there is no such account.
pub async fn reset_on_the_server(conn: &mut AnyConnection, email: &str) -> Result<bool, AppError> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_optional(&mut *conn).await?;
    let Some(id) = id else { return Ok(false) };
    let user = Uuid::parse_str(&id).map_err(crate::error::internal)?;
    reset(conn, user).await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.to_string()).execute(&mut *conn).await?;
    crate::store::installation::log(conn, user, "second_factor_reset", "second factor reset on the server (sciezka reset-second-factor)").await?;
    Ok(true)
}
