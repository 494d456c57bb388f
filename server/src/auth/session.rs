//! Database-backed sessions. The cookie carries a random token; the database keeps only
//! its SHA-256, so a copy of the sessions table opens no session. Every state-changing
//! request must also carry the session's CSRF token in `X-CSRF-Token`.

use axum::http::HeaderValue;
use domain::api::Membership;
use domain::org::{PartnershipKind, Role};
use uuid::Uuid;

use crate::error::AppError;
use crate::store::user::CurrentUser;
use crate::token::{random_token, token_hash};
use crate::{now, AppState, Config};

pub const SESSION_COOKIE: &str = "sciezka_session";
pub use domain::wire::{CSRF_COOKIE, CSRF_HEADER};

/// The two cookies of a session: the HttpOnly session token and the CSRF token the
/// app reads to send back in a header.
pub fn session_cookies(config: &Config, token: &str, csrf: &str) -> [HeaderValue; 2] {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    [
        HeaderValue::from_str(&format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict{secure}")),
        HeaderValue::from_str(&format!("{CSRF_COOKIE}={csrf}; Path=/; SameSite=Strict{secure}")),
    ]
    .map(|v| v.unwrap_or_else(|_| HeaderValue::from_static("")))
}

pub fn clear_cookies(config: &Config) -> [HeaderValue; 2] {
    let secure = if config.secure_cookies { "; Secure" } else { "" };
    [SESSION_COOKIE, CSRF_COOKIE].map(|name| {
        HeaderValue::from_str(&format!("{name}=; Path=/; Max-Age=0; SameSite=Strict{secure}"))
            .unwrap_or_else(|_| HeaderValue::from_static(""))
    })
}

pub async fn create(db: &crate::Db, config: &Config, user_id: Uuid) -> Result<(String, String), AppError> {
    let token = random_token();
    let csrf = random_token();
    let t = now();
    sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(token_hash(&token))
        .bind(user_id.to_string())
        .bind(&csrf)
        .bind(t)
        .bind(t)
        .bind(t + config.absolute_timeout_secs)
        .execute(&db.pool)
        .await?;
    Ok((token, csrf))
}


/// Ends one session (signing out).
pub async fn end(db: &crate::Db, token_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&db.pool).await?;
    Ok(())
}

/// Ends every session of the user but this one (after a password change).
pub async fn end_others(db: &crate::Db, user: Uuid, keep_hash: &str) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2").bind(user.to_string()).bind(keep_hash).execute(&db.pool).await?;
    Ok(())
}

fn parse_uuid(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|e| AppError::Internal(format!("bad uuid in database: {e}")))
}

/// One partnership the user belongs to, and their role in it.
#[derive(sqlx::FromRow)]
struct MembershipRow {
    id: String,
    name: String,
    kind: String,
    role: String,
}

#[derive(sqlx::FromRow)]
struct SessionRow {
    user_id: String,
    csrf_token: String,
    last_seen_at: i64,
    expires_at: i64,
    email: String,
    display_name: String,
    organisation_name: String,
    organisation_id: String,
    installation_admin: i64,
}

/// The partnerships a user belongs to, with their role in each.
pub(crate) async fn memberships_of(pool: &sqlx::AnyPool, user_id: &str) -> Result<Vec<Membership>, AppError> {
    let rows: Vec<MembershipRow> = sqlx::query_as(
        "SELECT p.id, p.name, p.kind, r.role FROM user_roles r JOIN partnerships p ON p.id = r.partnership_id
         WHERE r.user_id = $1 ORDER BY p.name",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|MembershipRow { id, name, kind, role }| {
            Ok(Membership {
                partnership_id: parse_uuid(&id)?,
                partnership_name: name,
                partnership_kind: PartnershipKind::parse(&kind).ok_or_else(|| AppError::Internal(format!("unknown partnership kind {kind}")))?,
                role: Role::parse(&role).ok_or_else(|| AppError::Internal(format!("unknown role {role}")))?,
                partners: Vec::new(),
                custom_services: Vec::new(),
            })
        })
        .collect()
}

/// The user of a live session token, with the partnerships they may see. Ends the
/// session when it has been idle too long or is past its absolute limit.
pub async fn authenticate(state: &AppState, token: &str) -> Result<CurrentUser, AppError> {
    let hash = token_hash(token);
    let row: Option<SessionRow> = sqlx::query_as(
        "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.email, u.display_name, o.name AS organisation_name,
                o.id AS organisation_id, u.installation_admin
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
         WHERE s.token_hash = $1 AND u.active = 1",
    )
    .bind(&hash)
    .fetch_optional(&state.db.pool)
    .await?;
    let SessionRow { user_id, csrf_token, last_seen_at: last_seen, expires_at, email, display_name, organisation_name, organisation_id, installation_admin } =
        row.ok_or(AppError::Unauthorized)?;
    let t = now();
    if t >= expires_at || t - last_seen > state.config.idle_timeout_secs {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(&state.db.pool).await?;
        return Err(AppError::Unauthorized);
    }
    // Touch at most once a minute: the idle timeout needs no finer grain.
    if t - last_seen > 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2").bind(t).bind(&hash).execute(&state.db.pool).await?;
    }
    let memberships = memberships_of(&state.db.pool, &user_id).await?;
    Ok(CurrentUser {
        id: parse_uuid(&user_id)?,
        email,
        display_name,
        organisation_id: parse_uuid(&organisation_id)?,
        organisation_name,
        memberships,
        installation_admin: installation_admin != 0,
        csrf_token,
        token_hash: hash,
    })
}
