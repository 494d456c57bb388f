//! Public survey endpoints: the questionnaire by its link, one answer, a kiosk's sealed
//! batch. No cookie, no session, nothing logged.


use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use domain::api::Problem;
use domain::survey::api::{
    Accepted, BatchOutcome, PublicSurvey, SealedBatch, Submission,
};
use domain::survey::{self, MAX_BATCH};

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
/// language of the messages.
#[utoipa::path(post, path = "/api/v1/survey/{token}/answers", tag = "survey", request_body = Submission,
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 202, body = Accepted), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ip: ClientIp,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<Submission>,
) -> Result<Response, AppError> {
    limited(&state, &ip)?;
    // Refused by the rules: nothing to write.
    let answer = survey::validate(&body.answer, lang).map_err(AppError::fields(lang))?;
    let mut outcome = state.survey.submit(&state, token, vec![Ok((answer, body.code))], true).await?;
    outcome.pop().unwrap_or(Ok(()))?;
    Ok((StatusCode::ACCEPTED, ApiJson(Accepted { accepted: true })).into_response())
}

/// The answers a kiosk tablet queued, sealed to the server's key. Each is accepted or
/// refused for good; the tablet drops both and keeps its queue only on an error status.
#[utoipa::path(post, path = "/api/v1/survey/{token}/sealed", tag = "survey", request_body = SealedBatch,
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 200, body = BatchOutcome), (status = 404, body = Problem), (status = 409, body = Problem),
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
    let items = body.answers.iter().map(|s| unseal(&secret, s).ok_or_else(|| AppError::BadRequest("not a sealed answer".into()))).collect();
    let outcomes = state.survey.submit(&state, token, check(items, lang), false).await?;
    let refused: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err())
        .map(|e| match e {
            AppError::Invalid { errors, .. } => errors.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        })
        .collect();
    let accepted = u32::try_from(outcomes.len() - refused.len()).unwrap_or(u32::MAX);
    Ok(ApiJson(BatchOutcome { accepted, refused }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(public))
        .routes(routes!(answer))
        .routes(routes!(sealed))
}
