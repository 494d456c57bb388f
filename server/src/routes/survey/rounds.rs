//! A partnership's survey rounds: open, close, single-use codes, the QR code.


use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::api::Problem;
use domain::survey::api::{
    IssuedCodes, NewCodes, NewRound, SurveyRound,
    MAX_CODES,
};
use domain::survey::{self, CODE_ALPHABET, CODE_LEN};
use domain::calendar::Month;
use rand::Rng;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::internal;
use crate::store::audit::{self, Action};
use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::AppState;


use crate::store::survey::{pool::*, rounds::*};

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/surveys", tag = "survey",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<SurveyRound>), (status = 404, body = Problem)))]
pub async fn rounds(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<SurveyRound>> {
    user.role_in(id)?;
    let rows: Vec<RoundRow> = sqlx::query_as(&format!("{ROUNDS} WHERE s.partnership_id = $1 ORDER BY s.period DESC"))
        .bind(id.to_string())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(ApiJson(rows.into_iter().map(round).collect::<Result<_, _>>()?))
}

/// Opens a round for a month (any member, so a consultant can start a kiosk session);
/// an existing round of that month is returned as it is.
#[utoipa::path(post, path = "/api/v1/partnerships/{id}/surveys", tag = "survey", request_body = NewRound,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = SurveyRound), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn open_round(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<NewRound>,
) -> ApiResult<SurveyRound> {
    user.role_in(id)?;
    let period = Month::parse(&body.period).ok_or_else(|| {
        AppError::field(lang, "period", "invalid_period", lang.pick("Podaj miesiąc w postaci RRRR-MM.".into(), "Give the month as YYYY-MM.".into()))
    })?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    if create_round(&mut tx, id, period, body.codes_required, user.id).await?.is_some() {
        audit::record(&mut tx, &user, id, None, Action::Create, &format!("survey round {period}")).await?;
    }
    let row: RoundRow = sqlx::query_as(&format!("{ROUNDS} WHERE s.partnership_id = $1 AND s.period = $2"))
        .bind(id.to_string())
        .bind(period.to_string())
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ApiJson(round(row)?))
}

/// Closes a round. The answers this server still holds are counted as the last
/// batch (at least 5 are always kept back for it); fewer than 5 in all are left out
/// and the round says so, since counting them would show them.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/close", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, body = SurveyRound), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn close(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<SurveyRound> {
    let mut r = {
        let mut conn = state.db.pool.acquire().await?;
        steered_round(&mut conn, &user, id).await?
    };
    let entry = format!("survey round {} closed", r.period);
    let partnership = r.partnership_id;
    close_detached(state.survey.clone(), state.db.clone(), id.to_string(), move |tx| {
        Box::pin(async move { Ok(audit::record(tx, &user, partnership, None, Action::Update, &entry).await?) })
    })
    .await?;
    r.open = false;
    r.codes_left = 0;
    Ok(ApiJson(r))
}

/// Issues single-use codes to print on slips and hand out at random. They are shown
/// this once; only their hashes are kept, and a hash is deleted when its code is used.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/codes", tag = "survey", request_body = NewCodes,
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, body = IssuedCodes), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn codes(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<NewCodes>,
) -> ApiResult<IssuedCodes> {
    if body.count == 0 || body.count > MAX_CODES {
        return Err(AppError::field(lang, "count", "out_of_range", lang.pick(format!("Można wydać od 1 do {MAX_CODES} kodów naraz."), format!("Issue between 1 and {MAX_CODES} codes at a time."))));
    }
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let r = steered_round(&mut tx, &user, id).await?;
    if !r.open {
        return Err(AppError::SurveyClosed);
    }
    let mut out = Vec::new();
    let mut rng = rand::rngs::OsRng;
    while out.len() < body.count as usize {
        let code: String = (0..CODE_LEN).map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())])).collect();
        let done = sqlx::query("INSERT INTO survey_codes (hash, survey_id) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
            .bind(code_hash(&r.id.to_string(), &code))
            .bind(r.id.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            out.push(survey::format_code(&code));
        }
    }
    audit::record(&mut tx, &user, r.partnership_id, None, Action::Create, &format!("{} survey codes for {}", out.len(), r.period)).await?;
    tx.commit().await?;
    Ok(ApiJson(IssuedCodes { codes: out }))
}

/// The QR code of a round's public link, for the screen and the printed slips. The
/// link's origin is the one the coordinator reached this server by.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/qr.svg", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = Problem)))]
pub async fn qr(State(state): State<AppState>, user: CurrentUser, headers: axum::http::HeaderMap, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let r = visible_round(&mut conn, &user, id).await?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    let link = format!("{scheme}://{host}/ankieta/{}", r.token);
    let code = qrcode::QrCode::new(link.as_bytes()).map_err(internal)?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg).into_response())
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(rounds, open_round))
        .routes(routes!(close))
        .routes(routes!(codes))
        .routes(routes!(qr))
}
