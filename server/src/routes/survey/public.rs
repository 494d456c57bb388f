//! Public survey endpoints: the questionnaire by its link, one answer, a kiosk's sealed
//! batch. No cookie, no session, nothing logged.


use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use domain::api::Problem;
use domain::survey::api::{BatchOutcome, Fate, PublicSurvey, Sealed, SealedBatch, Submission};
use domain::survey::MAX_BATCH;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::extract::ClientIp;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::AppState;


use crate::store::survey::rounds::{public_round, PublicRound};
use crate::store::survey::{kiosk::*, pool::*};

/// The per-address limit on answers to public links.
pub(crate) fn limited(state: &AppState, ip: &ClientIp) -> Result<(), AppError> {
    if state.survey.limit.allow(&ip.0, state.config.survey_per_minute) {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// What the respondent's device needs to show the survey.
#[utoipa::path(get, path = "/api/v1/survey/{token}", tag = "survey",
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 200, body = PublicSurvey), (status = 404, body = Problem)))]
pub async fn public(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<PublicSurvey> {
    let mut conn = state.db.pool.acquire().await?;
    let PublicRound { period, closed, codes_required, partnership } = public_round(&mut conn, &token).await?.ok_or(AppError::NotFound)?;
    let secret = kiosk_secret(&mut conn).await?;
    Ok(ApiJson(PublicSurvey {
        partnership,
        period,
        open: closed == 0,
        codes_required: codes_required != 0,
        kiosk_key: B64.encode(secret.public_key().to_sec1_bytes()),
    }))
}

/// One answer from a respondent's own device. No cookie or header is read but the
/// language of the messages. "Received" means held in memory until its batch: the
/// device keeps its copy and sends it again (same `id`) until it hears "counted".
#[utoipa::path(post, path = "/api/v1/survey/{token}/answers", tag = "survey", request_body = Submission,
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 202, body = Fate), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ip: ClientIp,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<Submission>,
) -> Result<Response, AppError> {
    limited(&state, &ip)?;
    // Refused by the rules: nothing to hold.
    let incoming = incoming(body, lang)?;
    let mut fates = submit_detached(state.survey.clone(), state.db.clone(), token, vec![Ok(incoming)]).await?;
    let fate = fates.pop().unwrap_or(Ok(Fate::Received))?;
    Ok((StatusCode::ACCEPTED, ApiJson(fate)).into_response())
}

/// Opens one sealed answer: a kiosk's [`Submission`] or a phone's form post.
fn unsealed(secret: &p256::SecretKey, sealed: &Sealed) -> Result<Submission, AppError> {
    let broken = || AppError::BadRequest("not a sealed answer".into());
    if sealed.form {
        let plain = open(secret, sealed).ok_or_else(broken)?;
        let posted = super::phone::Posted::parse(&plain);
        let id = posted.id.or_else(|| Some(sealed_id(sealed)));
        Ok(Submission { answer: posted.answer, code: Some(posted.code).filter(|c| !c.trim().is_empty()), id })
    } else {
        let mut sub = unseal(secret, sealed).ok_or_else(broken)?;
        // A kiosk of the version before kept answers without an id: the sealed text
        // itself, sent again unchanged, names the answer.
        sub.id = sub.id.or_else(|| Some(sealed_id(sealed)));
        Ok(sub)
    }
}

/// An id for a sealed answer that carries none: a hash of what was sealed.
fn sealed_id(sealed: &Sealed) -> String {
    salted(&sealed.epk, &[&sealed.iv, &sealed.ct])
}

/// Answers a kiosk tablet queued, or a phone's script kept, sealed to the server's
/// key; sent again until each is counted or refused. A closed round answers every
/// one with "closed".
#[utoipa::path(post, path = "/api/v1/survey/{token}/sealed", tag = "survey", request_body = SealedBatch,
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 200, body = BatchOutcome), (status = 404, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn sealed(
    State(state): State<AppState>,
    ip: ClientIp,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<SealedBatch>,
) -> ApiResult<BatchOutcome> {
    limited(&state, &ip)?;
    if body.answers.len() > MAX_BATCH {
        return Err(AppError::Unprocessable(format!("at most {MAX_BATCH} answers per upload")));
    }
    let secret = {
        let mut conn = state.db.pool.acquire().await?;
        kiosk_secret(&mut conn).await?
    };
    let items = body.answers.iter().map(|s| unsealed(&secret, s)).collect();
    let fates = match submit_detached(state.survey.clone(), state.db.clone(), token, check(items, lang)).await {
        Ok(fates) => fates,
        Err(AppError::SurveyClosed) => return Ok(ApiJson(BatchOutcome { fates: vec![Fate::Closed; body.answers.len()] })),
        Err(e) => return Err(e),
    };
    let fates = fates
        .into_iter()
        .map(|fate| match fate {
            Ok(fate) => fate,
            Err(AppError::Invalid { errors, .. }) => Fate::Refused { message: errors.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" ") },
            Err(other) => Fate::Refused { message: other.to_string() },
        })
        .collect();
    Ok(ApiJson(BatchOutcome { fates }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public))
        .routes(routes!(answer))
        .routes(routes!(sealed))
        // Caught inside the quiet span, so that not even a panic's error line is written.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(crate::error::caught_panic))
        .layer(axum::middleware::from_fn(crate::logging::quiet))
}
