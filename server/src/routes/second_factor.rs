//! A person's own second factor, from the account page: where it stands, adding an
//! authenticator app the installation does not require, ten new recovery codes, and
//! switching off a factor the installation does not require. Each change asks again
//! for what proves the person (the password to add an app, a code from the app for the
//! rest): a session left open on a shared computer is not enough. A wrong answer
//! counts as a failed sign-in of the account, under the same throttle; every change is
//! in the access log of the person's partnerships (an administrator's in the
//! installation's log).

use axum::extract::State;
use axum::http::StatusCode;
use domain::api::{AppCode, PasswordConfirmation, Problem, RecoveryCodes, SecondFactorEnrolment, SecondFactorState};
use sqlx::{Acquire, AnyConnection};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::{password, second_factor};
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{ClientIp, CurrentUser, RequestLang};
use crate::routes::auth::{unix_now, wrong_code};
use crate::store::audit::{self, Action};
use crate::store::{login, second_factor as factor_store};
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/auth/second-factor", tag = "auth",
    responses((status = 200, body = SecondFactorState), (status = 401, body = Problem)))]
pub async fn second_factor_state(State(state): State<AppState>, user: CurrentUser) -> ApiResult<SecondFactorState> {
    let mut conn = state.db.pool.acquire().await?;
    let factor = factor_store::of(&mut conn, user.id).await?;
    Ok(ApiJson(SecondFactorState {
        enrolled: factor.secret.is_some(),
        required: factor_store::required(&mut conn, user.id).await?,
        recovery_codes_left: factor_store::recovery_codes_left(&mut conn, user.id).await?,
    }))
}

/// The secret for an authenticator app, after the password: a new one each time, and
/// only the latest can be confirmed. Signing in is unchanged until it is confirmed.
#[utoipa::path(post, path = "/api/v1/auth/second-factor/offer", tag = "auth", request_body = PasswordConfirmation,
    responses((status = 200, body = SecondFactorEnrolment), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn offer_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<PasswordConfirmation>,
) -> ApiResult<SecondFactorEnrolment> {
    password_again(&state, &user, &ip, lang, req.password).await?;
    let mut conn = state.db.pool.acquire().await?;
    if factor_store::of(&mut conn, user.id).await?.secret.is_some() {
        return Err(already_enrolled(lang));
    }
    let secret = second_factor::new_secret();
    factor_store::offer(&mut conn, user.id, &secret).await?;
    Ok(ApiJson(second_factor::enrolment(&secret, &user.email)?))
}

/// Confirms the offered secret with a code from the app: from now on every sign-in
/// asks for a code. Answers the ten recovery codes, shown once.
#[utoipa::path(post, path = "/api/v1/auth/second-factor", tag = "auth", request_body = AppCode,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn add_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<AppCode>,
) -> ApiResult<RecoveryCodes> {
    let mut conn = state.db.pool.acquire().await?;
    not_throttled(&mut conn, &user, &ip).await?;
    let factor = factor_store::of(&mut conn, user.id).await?;
    if factor.secret.is_some() {
        return Err(already_enrolled(lang));
    }
    let Some(pending) = factor.pending else {
        return Err(AppError::Conflict(lang.pick(
            "Najpierw pokaż klucz dla aplikacji (podając hasło), potem wpisz z niej kod.",
            "Show the key for the app first (with your password), then give a code from it.",
        )));
    };
    let Some(step) = second_factor::matching_step(&pending, &user.email, &req.code, unix_now())? else {
        return wrong_code(&mut conn, lang, &user.email, &ip).await;
    };
    let (codes, hashes) = second_factor::new_recovery_codes();
    let mut tx = conn.begin().await?;
    // Two confirmations at once, or another secret offered meanwhile: only one enrols.
    if !factor_store::enrol(&mut tx, user.id, &pending, step, &hashes).await? {
        return Err(already_enrolled(lang));
    }
    log_own(&mut tx, &user, "second factor added by its owner").await?;
    tx.commit().await?;
    Ok(ApiJson(RecoveryCodes { recovery_codes: codes }))
}

/// Ten new recovery codes for a code from the app; the earlier ones stop working.
#[utoipa::path(post, path = "/api/v1/auth/second-factor/recovery-codes", tag = "auth", request_body = AppCode,
    responses((status = 200, body = RecoveryCodes), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn renew_recovery_codes(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<AppCode>,
) -> ApiResult<RecoveryCodes> {
    let mut conn = state.db.pool.acquire().await?;
    app_code_again(&mut conn, &user, &ip, lang, &req.code).await?;
    let (codes, hashes) = second_factor::new_recovery_codes();
    let mut tx = conn.begin().await?;
    factor_store::replace_recovery_codes(&mut tx, user.id, &hashes).await?;
    log_own(&mut tx, &user, "recovery codes renewed by their owner").await?;
    tx.commit().await?;
    Ok(ApiJson(RecoveryCodes { recovery_codes: codes }))
}

/// Switches off a second factor the installation does not require of this account,
/// for a code from the app.
#[utoipa::path(post, path = "/api/v1/auth/second-factor/removal", tag = "auth", request_body = AppCode,
    responses((status = 204), (status = 401, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn remove_second_factor(
    State(state): State<AppState>,
    user: CurrentUser,
    ClientIp(ip): ClientIp,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<AppCode>,
) -> Result<StatusCode, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    if factor_store::required(&mut conn, user.id).await? {
        return Err(AppError::Conflict(lang.pick(
            "Ta instalacja wymaga logowania dwuetapowego od osób z Twoją rolą: nie można go wyłączyć.",
            "This installation requires two-factor sign-in of people in your role: it cannot be switched off.",
        )));
    }
    app_code_again(&mut conn, &user, &ip, lang, &req.code).await?;
    let mut tx = conn.begin().await?;
    factor_store::reset(&mut tx, user.id).await?;
    log_own(&mut tx, &user, "second factor switched off by its owner").await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

fn already_enrolled(lang: domain::Lang) -> AppError {
    AppError::Conflict(lang.pick(
        "To konto ma już drugi składnik. Nowy telefon? Wyłącz go tutaj albo poproś koordynatora o wyzerowanie.",
        "This account has a second factor already. A new phone? Switch it off here or ask a coordinator to reset it.",
    ))
}

async fn not_throttled(conn: &mut AnyConnection, user: &CurrentUser, ip: &str) -> Result<(), AppError> {
    if login::throttled(conn, &user.email, ip).await? {
        return Err(AppError::TooManyRequests);
    }
    Ok(())
}

/// The signed-in person's password once more; a wrong one counts as a failed sign-in.
async fn password_again(state: &AppState, user: &CurrentUser, ip: &str, lang: domain::Lang, given: String) -> Result<(), AppError> {
    let hash = {
        let mut conn = state.db.pool.acquire().await?;
        not_throttled(&mut conn, user, ip).await?;
        login::password_hash(&mut conn, user.id).await?
    };
    // No connection is held while the hash is checked.
    if password::verify(given, Some(hash)).await? {
        return Ok(());
    }
    login::failed(&mut *state.db.pool.acquire().await?, &user.email, ip).await?;
    Err(AppError::field(lang, "password", "wrong_password", lang.pick("Hasło jest nieprawidłowe.".into(), "The password is wrong.".into())))
}

/// A fresh code from the account's app (not a recovery code: whoever changes the
/// factor holds it). Each time step is taken once.
async fn app_code_again(conn: &mut AnyConnection, user: &CurrentUser, ip: &str, lang: domain::Lang, code: &str) -> Result<(), AppError> {
    not_throttled(conn, user, ip).await?;
    let Some(secret) = factor_store::of(conn, user.id).await?.secret else {
        return Err(AppError::Conflict(lang.pick("To konto nie ma drugiego składnika.", "This account has no second factor.")));
    };
    let taken = match second_factor::matching_step(&secret, &user.email, code, unix_now())? {
        Some(step) if second_factor::is_app_code(code) => factor_store::take_step(conn, user.id, step).await?,
        _ => false,
    };
    if taken {
        Ok(())
    } else {
        wrong_code(conn, lang, &user.email, ip).await
    }
}

/// The person's own change, in the access log of each partnership they work in (what
/// its coordinator and data protection officer read), and an administrator's in the
/// installation's log.
async fn log_own(conn: &mut AnyConnection, user: &CurrentUser, what: &str) -> Result<(), AppError> {
    for partnership in crate::store::user::partnerships_of(conn, user.id).await? {
        audit::record_by(conn, user.id, partnership, None, Action::Update, what).await?;
    }
    if user.installation_admin {
        crate::store::installation::log(conn, user.id, "second_factor", what).await?;
    }
    Ok(())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(second_factor_state))
        .routes(routes!(offer_second_factor))
        .routes(routes!(add_second_factor))
        .routes(routes!(renew_recovery_codes))
        .routes(routes!(remove_second_factor))
}
