
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::api::{LoginRequest, Me, PasswordChange, Problem};
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::auth::{password, session};
use crate::extract::{ClientIp, CurrentUser};
use crate::{now, AppState};

/// Failed sign-ins allowed per account, and per address, within the window.
const MAX_FAILURES_PER_ACCOUNT: i64 = 5;
const MAX_FAILURES_PER_IP: i64 = 20;
const FAILURE_WINDOW_SECS: i64 = 15 * 60;

/// Sign-in requests come before any session exists, so the CSRF token cannot protect
/// them; a cross-site form post is refused by its Origin instead.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true; // not a browser form post from another site (browsers always send Origin on POST)
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").map(|(_, h)| h == host).unwrap_or(false)
}

/// An active account's id and password hash, found by e-mail.
#[derive(sqlx::FromRow)]
struct Credentials {
    id: String,
    password_hash: String,
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden("cross-site sign-in refused"));
    }
    let account = req.email.trim().to_lowercase();
    let since = now() - FAILURE_WINDOW_SECS;
    let by_account: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at > $2")
        .bind(&account)
        .bind(since)
        .fetch_one(&state.db.pool)
        .await?;
    let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2")
        .bind(&ip)
        .bind(since)
        .fetch_one(&state.db.pool)
        .await?;
    if by_account >= MAX_FAILURES_PER_ACCOUNT || by_ip >= MAX_FAILURES_PER_IP {
        return Err(AppError::TooManyRequests);
    }
    let user: Option<Credentials> = sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1 AND active = 1")
        .bind(&account)
        .fetch_optional(&state.db.pool)
        .await?;
    let ok = password::verify(req.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let user_id = match (ok, user) {
        (true, Some(Credentials { id, .. })) => Uuid::parse_str(&id).map_err(|e| AppError::Internal(e.to_string()))?,
        _ => {
            sqlx::query("INSERT INTO login_failures (account, ip, at) VALUES ($1, $2, $3)")
                .bind(&account)
                .bind(&ip)
                .bind(now())
                .execute(&state.db.pool)
                .await?;
            return Err(AppError::Unauthorized);
        }
    };
    sqlx::query("DELETE FROM login_failures WHERE account = $1 OR at < $2").bind(&account).bind(since).execute(&state.db.pool).await?;
    let (token, csrf) = session::create(&state.db, &state.config, user_id).await?;
    let user = session::authenticate(&state, &token).await?;
    let mut response = axum::Json(user.me_with_device_key(&state).await?).into_response();
    for c in session::session_cookies(&state.config, &token, &csrf) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(response)
}

#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn logout(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(&user.token_hash).execute(&state.db.pool).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    for c in session::clear_cookies(&state.config) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth",
    responses((status = 200, body = Me), (status = 401, body = Problem)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Me> {
    Ok(ApiJson(user.me_with_device_key(&state).await?))
}

#[utoipa::path(post, path = "/api/v1/auth/password", tag = "auth", request_body = PasswordChange,
    responses((status = 204), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn change_password(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1").bind(user.id.to_string()).fetch_one(&state.db.pool).await?;
    if !password::verify(req.current_password, Some(hash)).await? {
        return Err(AppError::field(lang, "current_password", "wrong_password", lang.pick("Obecne hasło jest nieprawidłowe.".into(), "The current password is wrong.".into())));
    }
    if req.new_password.chars().count() < password::MIN_LENGTH || req.new_password.len() > 1024 {
        return Err(AppError::field(lang, "new_password", "password_length", lang.pick(format!("Hasło musi mieć od {} do 1024 znaków.", password::MIN_LENGTH), format!("The password must have {} to 1024 characters.", password::MIN_LENGTH))));
    }
    let new_hash = password::hash(req.new_password).await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(new_hash).bind(user.id.to_string()).execute(&state.db.pool).await?;
    // Other devices signed in with the old password are signed out.
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.id.to_string())
        .bind(&user.token_hash)
        .execute(&state.db.pool)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}
