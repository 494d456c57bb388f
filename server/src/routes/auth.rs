
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::api::{LoginRequest, Me, PasswordChange, Problem};

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::auth::{password, session};
use crate::extract::{ClientIp, CurrentUser};
use crate::store::login;
use crate::AppState;

/// Sign-in requests come before any session exists, so the CSRF token cannot protect
/// them; a cross-site form post is refused by its Origin instead.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true; // not a browser form post from another site (browsers always send Origin on POST)
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    origin.split_once("://").map(|(_, h)| h == host).unwrap_or(false)
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = Problem), (status = 403, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden("cross-site sign-in refused"));
    }
    let account = req.email.trim().to_lowercase();
    let user = {
        let mut conn = state.db.pool.acquire().await?;
        if login::throttled(&mut conn, &account, &ip).await? {
            return Err(AppError::TooManyRequests);
        }
        login::credentials(&mut conn, &account).await?
    };
    // No connection is held while the hash is checked: a burst of sign-ins queues on
    // the hashing threads, not on the pool.
    let ok = password::verify(req.password, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let mut conn = state.db.pool.acquire().await?;
    let (true, Some(user)) = (ok, user) else {
        login::failed(&mut conn, &account, &ip).await?;
        return Err(AppError::Unauthorized);
    };
    // Only after the right password: whether someone's authorisation lapsed is not
    // told to whoever types their address.
    let authorisation = domain::people::Authorisation { expires: user.authorisation_expires, ..Default::default() };
    if authorisation.lapsed(crate::today()) {
        return Err(AppError::AuthorisationLapsed { lang, last_day: authorisation.expires });
    }
    let user_id = user.id;
    login::succeeded(&mut conn, &account).await?;
    drop(conn);
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
    session::end(&state.db, &user.token_hash).await?;
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
    let hash = login::password_hash(&mut *state.db.pool.acquire().await?, user.id).await?;
    if !password::verify(req.current_password, Some(hash)).await? {
        return Err(AppError::field(lang, "current_password", "wrong_password", lang.pick("Obecne hasło jest nieprawidłowe.".into(), "The current password is wrong.".into())));
    }
    if req.new_password.chars().count() < password::MIN_LENGTH || req.new_password.len() > 1024 {
        return Err(AppError::field(lang, "new_password", "password_length", lang.pick(format!("Hasło musi mieć od {} do 1024 znaków.", password::MIN_LENGTH), format!("The password must have {} to 1024 characters.", password::MIN_LENGTH))));
    }
    let new_hash = password::hash(req.new_password).await?;
    login::set_password_hash(&mut *state.db.pool.acquire().await?, user.id, &new_hash).await?;
    // Other devices signed in with the old password are signed out.
    session::end_others(&state.db, user.id, &user.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}
