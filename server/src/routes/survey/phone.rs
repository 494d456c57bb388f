//! The survey page on a respondent's own phone, `/ankieta/{token}`: server-rendered
//! HTML (`app::phone`) and a plain form post, no wasm and no cookie. A refused
//! answer comes back as the form with the answers kept and each error beside its
//! question; an accepted one redirects to the thank-you page, so a reload does not
//! send it twice.

use std::sync::OnceLock;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use domain::survey::{self, SurveyAnswer};
use domain::validation::FieldError;
use domain::Lang;
use serde::Deserialize;

use app::phone::{render, PhonePage, PhoneState};
use domain::calendar::Month;

use super::public::limited;
use crate::error::AppError;
use crate::extract::ClientIp;
use crate::store::survey::rounds::public_round;
use crate::AppState;

/// The page's policy: its own stylesheet and script, a form posting to itself.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'none'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[derive(Debug, Deserialize)]
pub struct PageQuery {
    /// `en` or `pl`: the language link; otherwise the browser's `Accept-Language`.
    #[serde(default)]
    lang: Option<String>,
    /// Set by the redirect after an accepted answer.
    #[serde(default)]
    dziekujemy: Option<String>,
}

/// The language of the page: asked for, or the browser's. No cookie is read.
fn lang_of(asked: Option<&str>, headers: &HeaderMap) -> Lang {
    match asked {
        Some(tag) => Lang::from_tag(tag),
        None => headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::from_accept_language).unwrap_or_default(),
    }
}

fn page(status: StatusCode, page: &PhonePage) -> Response {
    let mut response = (status, render(page)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// What the page needs of the round a link names.
struct Round {
    heading: String,
    codes_required: bool,
    open: bool,
}

async fn round(state: &AppState, token: &str, lang: Lang) -> Result<Option<Round>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(public_round(&mut conn, token).await?.map(|r| {
        let period = Month::parse(&r.period).map_or_else(|| r.period.clone(), |m| m.label(lang));
        Round { heading: format!("{} — {period}", r.partnership), codes_required: r.codes_required != 0, open: r.closed == 0 }
    }))
}

fn blank(state: &AppState, token: &str, lang: Lang) -> PhonePage {
    // The stylesheet's name is read from disk once, not on every respondent's request.
    static CSS: OnceLock<String> = OnceLock::new();
    let css = CSS.get_or_init(|| crate::web::css_href(&state.leptos)).clone();
    PhonePage { lang, token: token.to_string(), heading: None, codes_required: false, state: PhoneState::Unknown, css }
}

/// The answer as the form posted it: `s-<question>` for each chosen option (repeated
/// for several), `t-<question>` for a text, `code`. Impossible combinations (question
/// 2 after "no", a text whose box is closed) are dropped as the form drops them; the
/// rest is checked by `domain::survey::validate` like any answer.
fn answer_of(pairs: &[(String, String)]) -> (SurveyAnswer, String) {
    let mut answer = SurveyAnswer::default();
    let mut code = String::new();
    for (k, v) in pairs {
        if let Some(q) = k.strip_prefix("s-") {
            answer.choices.entry(q.to_string()).or_default().push(v.clone());
        } else if let Some(q) = k.strip_prefix("t-") {
            answer.texts.insert(q.to_string(), v.clone());
        } else if k == "code" {
            code.clone_from(v);
        }
    }
    answer.tidy();
    (answer, code)
}

/// The form, a thank-you after an accepted answer, or why it takes no answer.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>, Query(q): Query<PageQuery>, headers: HeaderMap) -> Result<Response, AppError> {
    let lang = lang_of(q.lang.as_deref(), &headers);
    let mut p = blank(&state, &token, lang);
    let Some(r) = round(&state, &token, lang).await? else { return Ok(page(StatusCode::NOT_FOUND, &p)) };
    p.heading = Some(r.heading);
    p.codes_required = r.codes_required;
    p.state = if q.dziekujemy.is_some() {
        PhoneState::Thanks
    } else if r.open {
        PhoneState::Form { answer: SurveyAnswer::default(), code: String::new(), errors: Vec::new() }
    } else {
        PhoneState::Closed
    };
    Ok(page(StatusCode::OK, &p))
}

/// One answer posted by the form.
pub async fn take(State(state): State<AppState>, ip: ClientIp, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
    let lang = lang_of(pairs.iter().find(|(k, _)| k == "lang").map(|(_, v)| v.as_str()), &headers);
    let mut p = blank(&state, &token, lang);
    let Some(r) = round(&state, &token, lang).await? else { return Ok(page(StatusCode::NOT_FOUND, &p)) };
    p.heading = Some(r.heading);
    p.codes_required = r.codes_required;
    if !r.open {
        p.state = PhoneState::Closed;
        return Ok(page(StatusCode::CONFLICT, &p));
    }
    let (answer, code) = answer_of(&pairs);
    let general = |message: &str| vec![FieldError { pointer: String::new(), code: "not_sent".into(), message: message.into() }];
    if limited(&state, &ip).is_err() {
        // The answers stay on the page, to send again in a moment.
        let busy = lang.pick(
            "Z tego miejsca wysłano przed chwilą bardzo wiele ankiet. Odpowiedzi są nadal w formularzu: proszę wysłać je ponownie za kilka minut.",
            "Very many surveys were sent from this place just now. Your answers are still in the form: please send them again in a few minutes.",
        );
        p.state = PhoneState::Form { answer, code, errors: general(busy) };
        return Ok(page(StatusCode::TOO_MANY_REQUESTS, &p));
    }
    let clean = match survey::validate(&answer, lang) {
        Ok(clean) => clean,
        Err(errors) => {
            p.state = PhoneState::Form { answer, code, errors };
            return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let given = Some(code.clone()).filter(|c| !c.trim().is_empty());
    // One answer: the pool answers its refusal (a spent code, a round closed a moment
    // ago) as the error of the whole call.
    let outcome = match state.survey.submit(&state, token.clone(), vec![Ok((clean, given))], true).await {
        Ok(outcomes) => outcomes.into_iter().next().unwrap_or(Ok(())),
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("/ankieta/{token}?dziekujemy=1&lang={}", lang.tag())).into_response()),
        Err(AppError::CodeRefused) => {
            let message = lang.pick("Kod jest nieprawidłowy albo został już wykorzystany.", "The code is not valid or has already been used.");
            p.state = PhoneState::Form { answer, code, errors: vec![FieldError { pointer: "/code".into(), code: "code_refused".into(), message: message.into() }] };
            Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
        Err(AppError::SurveyClosed) => {
            p.state = PhoneState::Closed;
            Ok(page(StatusCode::CONFLICT, &p))
        }
        Err(AppError::NotFound) => Ok(page(StatusCode::NOT_FOUND, &blank(&state, &token, lang))),
        Err(e) => Err(e),
    }
}

/// The page's routes: HTML, not part of the API document. Compressed, since a
/// respondent may be on a prepaid plan.
pub fn router() -> Router<AppState> {
    Router::new().route("/ankieta/{token}", get(show).post(take)).layer(tower_http::compression::CompressionLayer::new())
}
