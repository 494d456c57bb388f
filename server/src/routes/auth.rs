
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use domain::api::{LoginRequest, Me, PasswordChange, Problem, SecondFactorEnrolment};
use domain::people::{ForgottenPassword, LinkPurpose, ResetRequested, LINK_PATH};
use domain::validation::format_timestamp_warsaw;
use sqlx::Acquire;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::auth::{password, second_factor, session};
use crate::extract::{ClientIp, CurrentUser};
use crate::store::audit::{self, Action};
use crate::store::login;
use crate::store::people;
use crate::store::second_factor as factor_store;
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

/// The active account whose password this is, checked under the sign-in throttle: a
/// wrong password counts against the account and the address.
async fn verified_account(state: &AppState, ip: &str, lang: domain::Lang, headers: &HeaderMap, email: &str, pass: String) -> Result<(String, login::Account), AppError> {
    if !same_origin(headers) {
        return Err(AppError::Forbidden("cross-site sign-in refused"));
    }
    let account = email.trim().to_lowercase();
    let user = {
        let mut conn = state.db.pool.acquire().await?;
        if login::throttled(&mut conn, &account, ip).await? {
            return Err(AppError::TooManyRequests);
        }
        login::credentials(&mut conn, &account).await?
    };
    // No connection is held while the hash is checked: a burst of sign-ins queues on
    // the hashing threads, not on the pool.
    let ok = password::verify(pass, user.as_ref().map(|u| u.password_hash.clone())).await?;
    let (true, Some(user)) = (ok, user) else {
        login::failed(&mut *state.db.pool.acquire().await?, &account, ip).await?;
        return Err(AppError::Unauthorized);
    };
    // Only after the right password: whether someone's authorisation lapsed is not
    // told to whoever types their address.
    let authorisation = domain::people::Authorisation { expires: user.authorisation_expires.clone(), ..Default::default() };
    if authorisation.lapsed(crate::today()) {
        return Err(AppError::AuthorisationLapsed { lang, last_day: authorisation.expires });
    }
    Ok((account, user))
}

/// The second factor of a sign-in whose password was right. An enrolled account gives
/// a code from its app or a recovery code; an account that must enrol gives a code
/// from the secret it was offered, and gets its recovery codes (returned, shown once).
/// A wrong code counts as a failed sign-in.
async fn second_factor_passed(conn: &mut sqlx::AnyConnection, lang: domain::Lang, account: &str, ip: &str, user: uuid::Uuid, code: &str) -> Result<Vec<String>, AppError> {
    // Checked again after the password: a burst of guesses sent at once all pass the
    // first check before any is recorded, but queue on the hashing, so by now the
    // earlier ones' failures count.
    if !code.trim().is_empty() && login::throttled(conn, account, ip).await? {
        return Err(AppError::TooManyRequests);
    }
    let factor = factor_store::of(conn, user).await?;
    let secret = match (factor.secret, factor.pending) {
        (Some(s), _) => s,
        (None, pending) => {
            if !factor_store::required(conn, user).await? {
                return Ok(Vec::new());
            }
            let Some(pending) = pending.filter(|_| !code.trim().is_empty()) else {
                return Err(AppError::field(lang, "code", "second_factor_enrol", lang.pick(
                    "Ta instalacja wymaga logowania dwuetapowego: dodaj konto do aplikacji uwierzytelniającej i podaj z niej kod.".into(),
                    "This installation requires two-factor sign-in: add the account to an authenticator app and give a code from it.".into(),
                )));
            };
            return match second_factor::matching_step(&pending, account, code, unix_now())? {
                Some(step) => {
                    let (codes, hashes) = second_factor::new_recovery_codes();
                    let mut tx = conn.begin().await?;
                    // Two confirmations at once: only the first enrols (and shows codes).
                    if !factor_store::enrol(&mut tx, user, &pending, step, &hashes).await? {
                        return Err(AppError::Conflict(lang.pick("Drugi składnik został już dodany: zaloguj się kodem z aplikacji.", "The second factor was added already: sign in with the app's code.")));
                    }
                    tx.commit().await?;
                    Ok(codes)
                }
                None => wrong_code(conn, lang, account, ip).await,
            };
        }
    };
    if code.trim().is_empty() {
        return Err(AppError::field(lang, "code", "second_factor_required", lang.pick(
            "Podaj kod z aplikacji uwierzytelniającej albo jeden z kodów odzyskiwania.".into(),
            "Give the code from your authenticator app or one of your recovery codes.".into(),
        )));
    }
    let passed = if second_factor::is_app_code(code) {
        match second_factor::matching_step(&secret, account, code, unix_now())? {
            Some(step) => factor_store::take_step(conn, user, step).await?,
            None => false,
        }
    } else {
        factor_store::use_recovery_code(conn, user, &second_factor::recovery_hash(code)).await?
    };
    if passed {
        Ok(Vec::new())
    } else {
        wrong_code(conn, lang, account, ip).await
    }
}

/// A wrong, used or stale code: counted as a failed sign-in of the account.
pub(crate) async fn wrong_code<T>(conn: &mut sqlx::AnyConnection, lang: domain::Lang, account: &str, ip: &str) -> Result<T, AppError> {
    login::failed(conn, account, ip).await?;
    Err(AppError::field(lang, "code", "wrong_code", lang.pick(
        "Kod jest nieprawidłowy, już użyty albo nieaktualny.".into(),
        "The code is wrong, used already or out of date.".into(),
    )))
}

pub(crate) fn unix_now() -> u64 {
    u64::try_from(crate::now()).unwrap_or_default()
}

#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> Result<Response, AppError> {
    let (account, user) = verified_account(&state, &ip, lang, &headers, &req.email, req.password).await?;
    let mut conn = state.db.pool.acquire().await?;
    let recovery_codes = second_factor_passed(&mut conn, lang, &account, &ip, user.id, &req.code).await?;
    let user_id = user.id;
    login::succeeded(&mut conn, &account).await?;
    drop(conn);
    let (token, csrf) = session::create(&state.db, &state.config, user_id).await?;
    let user = session::authenticate(&state, &token).await?;
    let me = Me { recovery_codes, ..user.me_with_device_key(&state).await? };
    let mut response = axum::Json(me).into_response();
    for c in session::session_cookies(&state.config, &token, &csrf) {
        response.headers_mut().append(header::SET_COOKIE, c);
    }
    Ok(response)
}

/// The first sign-in of an account that must use a second factor: with its e-mail and
/// password again, the secret for the authenticator app (a new one each time: only the
/// latest shown can be confirmed).
#[utoipa::path(post, path = "/api/v1/auth/second-factor/enrolment", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = SecondFactorEnrolment), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem), (status = 429, body = Problem)))]
pub async fn enrolment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<SecondFactorEnrolment> {
    let (account, user) = verified_account(&state, &ip, lang, &headers, &req.email, req.password).await?;
    let mut conn = state.db.pool.acquire().await?;
    let factor = factor_store::of(&mut conn, user.id).await?;
    if factor.secret.is_some() {
        return Err(AppError::Conflict(lang.pick(
            "To konto ma już drugi składnik: podaj kod z aplikacji. Zgubiony telefon? Koordynator może go wyzerować.",
            "This account has a second factor already: give the code from the app. Lost the phone? A coordinator can reset it.",
        )));
    }
    // A new secret every time: one handed to someone who only knew the password (and
    // then stopped) must not become the account's when its owner enrols later.
    let secret = second_factor::new_secret();
    factor_store::offer(&mut conn, user.id, &secret).await?;
    Ok(ApiJson(second_factor::enrolment(&secret, &account)?))
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

/// How long after one link a forgotten-password request sends no other.
const RESET_PAUSE_SECS: i64 = 120;

#[utoipa::path(post, path = "/api/v1/auth/forgotten-password", tag = "auth", request_body = ForgottenPassword,
    responses((status = 202, body = ResetRequested), (status = 403, body = Problem), (status = 429, body = Problem)))]
pub async fn forgotten_password(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ForgottenPassword>,
) -> Result<(StatusCode, ApiJson<ResetRequested>), AppError> {
    if !same_origin(&headers) {
        return Err(AppError::Forbidden("cross-site request refused"));
    }
    let by_email = state.config.smtp_url.is_some();
    if !by_email {
        return Ok((StatusCode::ACCEPTED, ApiJson(ResetRequested { by_email })));
    }
    let account = req.email.trim().to_lowercase();
    // Counted apart from signing in (a reset request locks nobody out of signing in,
    // an office behind one address included), per address and per account asked for,
    // so one machine cannot fill mailboxes.
    let (asked, from) = (format!("reset:{account}"), format!("reset:{ip}"));
    let mut conn = state.db.pool.acquire().await?;
    if login::throttled(&mut conn, &asked, &from).await? {
        return Err(AppError::TooManyRequests);
    }
    login::failed(&mut conn, &asked, &from).await?;
    drop(conn);
    // Everything about the account happens after answering: neither the answer nor the
    // time it takes tells whether the address has one.
    let state = state.clone();
    tokio::spawn(async move {
        if let Err(e) = send_reset_link(&state, &account).await {
            tracing::warn!(error = %e, "a password reset link could not be e-mailed");
        }
    });
    Ok((StatusCode::ACCEPTED, ApiJson(ResetRequested { by_email })))
}

/// A reset link by e-mail to the active account with this address, unless it was sent
/// one lately. Links handed over earlier keep working: a stranger who knows the address
/// cannot cancel them by asking.
async fn send_reset_link(state: &AppState, account: &str) -> Result<(), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(user) = login::credentials(&mut conn, account).await? else { return Ok(()) };
    if people::link_sent_since(&mut conn, user.id, crate::now() - RESET_PAUSE_SECS).await? {
        return Ok(());
    }
    let mut tx = conn.begin().await?;
    let purpose = if people::account_kind(&mut tx, user.id).await?.1 { LinkPurpose::Invitation } else { LinkPurpose::Reset };
    let (token, expires) = people::new_link_keeping_others(&mut tx, user.id, user.id, purpose).await?;
    for p in crate::store::user::partnerships_of(&mut tx, user.id).await? {
        audit::record_by(&mut tx, user.id, p, None, Action::Update, "password reset asked for by e-mail").await?;
    }
    tx.commit().await?;
    let letter = crate::mail::link_letter(&state.config, purpose, &user.display_name, account, &format!("{LINK_PATH}/{token}"), &format_timestamp_warsaw(expires));
    crate::mail::send(&state.config, &letter).await.map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(enrolment))
        .routes(routes!(forgotten_password))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(change_password))
}
