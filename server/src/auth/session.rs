//! Database-backed sessions. The cookie carries a random token; the database keeps only
//! its SHA-256, so a copy of the sessions table opens no session. Every state-changing
//! request must also carry the session's CSRF token in `X-CSRF-Token`.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, HeaderValue, Method};
use base64::Engine as _;
use domain::api::{Me, Membership};
use domain::org::{PartnershipKind, Role};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::AppError;
use crate::{now, AppState, Config};

pub const SESSION_COOKIE: &str = "sciezka_session";
pub use app::api::{CSRF_COOKIE, CSRF_HEADER};

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

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

/// The signed-in user of a request, with the partnerships they may see.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub memberships: Vec<Membership>,
    pub csrf_token: String,
    pub token_hash: String,
}

impl CurrentUser {
    /// The user's role in a partnership; `NotFound` when they have none, so that a
    /// foreign partnership's data is indistinguishable from missing data.
    pub fn role_in(&self, partnership: Uuid) -> Result<Role, AppError> {
        self.memberships.iter().find(|m| m.partnership_id == partnership).map(|m| m.role).ok_or(AppError::NotFound)
    }

    pub fn partnership_ids(&self) -> Vec<Uuid> {
        self.memberships.iter().map(|m| m.partnership_id).collect()
    }

    /// The signed-in user as the API shows them, with the secret that unlocks their
    /// drafts on a device (made on first use).
    pub async fn me_with_device_key(&self, state: &crate::AppState) -> Result<Me, sqlx::Error> {
        sqlx::query("UPDATE users SET device_key = $1 WHERE id = $2 AND device_key IS NULL")
            .bind(random_token())
            .bind(self.id.to_string())
            .execute(&state.db.pool)
            .await?;
        let (key,): (String,) =
            sqlx::query_as("SELECT device_key FROM users WHERE id = $1").bind(self.id.to_string()).fetch_one(&state.db.pool).await?;
        let mut me = Me { device_key: key, draft_lock_minutes: state.config.draft_lock_minutes, ..self.me() };
        // Documents are checked against their partnership's members and services, on
        // the device as on the server, so the device needs them for offline work.
        let mut conn = state.db.pool.acquire().await?;
        for m in &mut me.memberships {
            let (partners, services) =
                crate::document::partnership_context(&mut conn, m.partnership_id).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
            m.partners = partners;
            m.custom_services = services;
        }
        Ok(me)
    }

    pub fn me(&self) -> Me {
        Me {
            user_id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            organisation_id: Some(self.organisation_id),
            organisation_name: self.organisation_name.clone(),
            memberships: self.memberships.clone(),
            csrf_token: self.csrf_token.clone(),
            device_key: String::new(),
            draft_lock_minutes: 0,
        }
    }
}

fn session_token(parts: &Parts) -> Option<String> {
    let cookies = parts.headers.get_all(header::COOKIE);
    cookies.iter().filter_map(|v| v.to_str().ok()).find_map(|c| app::api::cookie_value(c, SESSION_COOKIE))
}

fn parse_uuid(s: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(s).map_err(|e| AppError::Internal(format!("bad uuid in database: {e}")))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or(AppError::Unauthorized)?;
        let user = authenticate(state, &token).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if sent.is_empty() || sent != user.csrf_token {
                return Err(AppError::Forbidden("CSRF token missing or wrong"));
            }
        }
        Ok(user)
    }
}

/// The user of a live session token, with the partnerships they may see. Ends the
/// session when it has been idle too long or is past its absolute limit.
pub async fn authenticate(state: &AppState, token: &str) -> Result<CurrentUser, AppError> {
    let hash = token_hash(token);
    let row: Option<(String, String, i64, i64, String, String, String, String)> = sqlx::query_as(
        "SELECT s.user_id, s.csrf_token, s.last_seen_at, s.expires_at, u.email, u.display_name, o.name, o.id
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
         WHERE s.token_hash = $1 AND u.active = 1",
    )
    .bind(&hash)
    .fetch_optional(&state.db.pool)
    .await?;
    let (user_id, csrf_token, last_seen, expires_at, email, display_name, organisation_name, organisation_id) = row.ok_or(AppError::Unauthorized)?;
    let t = now();
    if t >= expires_at || t - last_seen > state.config.idle_timeout_secs {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&hash).execute(&state.db.pool).await?;
        return Err(AppError::Unauthorized);
    }
    // Touch at most once a minute: the idle timeout needs no finer grain.
    if t - last_seen > 60 {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2").bind(t).bind(&hash).execute(&state.db.pool).await?;
    }
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT p.id, p.name, p.kind, r.role FROM user_roles r JOIN partnerships p ON p.id = r.partnership_id
         WHERE r.user_id = $1 ORDER BY p.name",
    )
    .bind(&user_id)
    .fetch_all(&state.db.pool)
    .await?;
    let memberships = rows
        .into_iter()
        .filter_map(|(id, name, kind, role)| {
            Some(Membership {
                partnership_id: Uuid::parse_str(&id).ok()?,
                partnership_name: name,
                partnership_kind: PartnershipKind::parse(&kind)?,
                role: Role::parse(&role)?,
                partners: Vec::new(),
                custom_services: Vec::new(),
            })
        })
        .collect();
    Ok(CurrentUser { id: parse_uuid(&user_id)?, email, display_name, organisation_id: parse_uuid(&organisation_id)?, organisation_name, memberships, csrf_token, token_hash: hash })
}
