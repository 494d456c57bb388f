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
use domain::survey::api::{Fate, MAX_SUBMISSION_ID};
use domain::survey::{self, SurveyAnswer};
use domain::validation::FieldError;
use domain::Lang;
use serde::Deserialize;

use app::phone::{render, PhonePage, PhoneState};
use domain::calendar::Month;

use super::public::limited;
use crate::error::AppError;
use crate::extract::ClientIp;
use crate::store::survey::kiosk::kiosk_secret;
use crate::store::survey::pool::{submit_detached, Incoming};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use crate::store::survey::rounds::public_round;
use crate::AppState;

/// The page's policy: its own stylesheet and script, a form posting to itself, and
/// the script sending kept answers again to the survey's API.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
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
    /// The key the page's script seals the answer to, to keep it on the phone.
    key: String,
}

async fn round(state: &AppState, token: &str, lang: Lang) -> Result<Option<Round>, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let Some(r) = public_round(&mut conn, token).await? else { return Ok(None) };
    let key = B64.encode(kiosk_secret(&mut conn).await?.public_key().to_sec1_bytes());
    let period = Month::parse(&r.period).map_or_else(|| r.period.clone(), |m| m.label(lang));
    Ok(Some(Round { heading: format!("{} — {period}", r.partnership), codes_required: r.codes_required != 0, open: r.closed == 0, key }))
}

fn blank(state: &AppState, token: &str, lang: Lang) -> PhonePage {
    // The stylesheet's name is read from disk once, not on every respondent's request.
    static CSS: OnceLock<String> = OnceLock::new();
    let css = CSS.get_or_init(|| crate::assets::css_href(&state.leptos)).clone();
    PhonePage { lang, token: token.to_string(), heading: None, codes_required: false, key: String::new(), state: PhoneState::Unknown, css }
}

/// What the form posts: `s-<question>` for each chosen option (repeated for
/// several), `t-<question>` for a text, `code`, `sid` (the answer's id, given with
/// the form) and `lang`. Impossible combinations (question 2 after "no", a text whose
/// box is closed) are dropped as the form drops them; the rest is checked by
/// `domain::survey::validate` like any answer. A phone's script seals this same text.
pub(crate) struct Posted {
    pub answer: SurveyAnswer,
    pub code: String,
    pub id: Option<String>,
    pub lang: Option<String>,
}

impl Posted {
    pub(crate) fn parse(body: &[u8]) -> Posted {
        let mut posted = Posted { answer: SurveyAnswer::default(), code: String::new(), id: None, lang: None };
        for (k, v) in form_urlencoded::parse(body) {
            if let Some(q) = k.strip_prefix("s-") {
                posted.answer.choices.entry(q.to_string()).or_default().push(v.into_owned());
            } else if let Some(q) = k.strip_prefix("t-") {
                posted.answer.texts.insert(q.to_string(), v.into_owned());
            } else {
                match &*k {
                    "code" => posted.code = v.into_owned(),
                    "sid" => posted.id = Some(v.into_owned()).filter(|id| !id.is_empty() && id.len() <= MAX_SUBMISSION_ID),
                    "lang" => posted.lang = Some(v.into_owned()),
                    _ => {}
                }
            }
        }
        posted.answer.tidy();
        posted
    }
}

/// A new answer's id, given with the form: posting the same form twice (a double
/// tap, the back button) holds the answer once.
fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The form, a thank-you after an accepted answer, or why it takes no answer.
pub async fn show(State(state): State<AppState>, Path(token): Path<String>, Query(q): Query<PageQuery>, headers: HeaderMap) -> Result<Response, AppError> {
    let lang = lang_of(q.lang.as_deref(), &headers);
    let mut p = blank(&state, &token, lang);
    let Some(r) = round(&state, &token, lang).await? else { return Ok(page(StatusCode::NOT_FOUND, &p)) };
    p.heading = Some(r.heading);
    p.codes_required = r.codes_required;
    p.key = r.key;
    p.state = if q.dziekujemy.is_some() {
        PhoneState::Thanks
    } else if r.open {
        PhoneState::Form { answer: SurveyAnswer::default(), code: String::new(), sid: new_id(), errors: Vec::new() }
    } else {
        PhoneState::Closed
    };
    Ok(page(StatusCode::OK, &p))
}

/// One answer posted by the form.
pub async fn take(State(state): State<AppState>, ip: ClientIp, Path(token): Path<String>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let Posted { answer, code, id, lang } = Posted::parse(&body);
    let lang = lang_of(lang.as_deref(), &headers);
    let sid = id.unwrap_or_else(new_id);
    let mut p = blank(&state, &token, lang);
    let Some(r) = round(&state, &token, lang).await? else { return Ok(page(StatusCode::NOT_FOUND, &p)) };
    p.heading = Some(r.heading);
    p.codes_required = r.codes_required;
    p.key = r.key;
    if !r.open {
        p.state = PhoneState::Closed;
        return Ok(page(StatusCode::CONFLICT, &p));
    }
    let general = |message: &str| vec![FieldError { pointer: String::new(), code: "not_sent".into(), message: message.into() }];
    if limited(&state, &ip).is_err() {
        // The answers stay on the page, to send again in a moment.
        let busy = lang.pick(
            "Z tego miejsca wysłano przed chwilą bardzo wiele ankiet. Odpowiedzi są nadal w formularzu: proszę wysłać je ponownie za kilka minut.",
            "Very many surveys were sent from this place just now. Your answers are still in the form: please send them again in a few minutes.",
        );
        p.state = PhoneState::Form { answer, code, sid, errors: general(busy) };
        return Ok(page(StatusCode::TOO_MANY_REQUESTS, &p));
    }
    let clean = match survey::validate(&answer, lang) {
        Ok(clean) => clean,
        Err(errors) => {
            p.state = PhoneState::Form { answer, code, sid, errors };
            return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, &p));
        }
    };
    let incoming = Incoming { answer: clean, code: Some(code.clone()).filter(|c| !c.trim().is_empty()), id: Some(sid.clone()) };
    // One answer: its refusal (a spent code, a round closed a moment ago) is the
    // error of the whole call.
    let outcome = match submit_detached(state.survey.clone(), state.db.clone(), token.clone(), vec![Ok(incoming)]).await {
        Ok(fates) => fates.into_iter().next().unwrap_or(Ok(Fate::Received)),
        Err(e) => Err(e),
    };
    match outcome {
        // The id rides along so the phone's script knows its kept copy was received.
        Ok(_) => Ok(Redirect::to(&format!("/ankieta/{token}?dziekujemy=1&lang={}&sid={}", lang.tag(), form_urlencoded::byte_serialize(sid.as_bytes()).collect::<String>())).into_response()),
        Err(AppError::CodeRefused) => {
            let message = lang.pick("Kod jest nieprawidłowy albo został już wykorzystany.", "The code is not valid or has already been used.");
            let errors = vec![FieldError { pointer: "/code".into(), code: "code_refused".into(), message: message.into() }];
            p.state = PhoneState::Form { answer, code, sid, errors };
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
    Router::new()
        .route("/ankieta/{token}", get(show).post(take))
        .layer(tower_http::compression::CompressionLayer::new())
        // Caught inside the quiet span, so that not even a panic's error line is written.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(crate::error::caught_panic))
        .layer(axum::middleware::from_fn(crate::logging::quiet))
}
