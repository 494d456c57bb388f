//! The browser's client of the JSON API: one place that adds the CSRF token, turns
//! problem details into typed errors and knows who is signed in.

use domain::api::Problem;
use domain::validation::FieldError;
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::JsCast;

pub use domain::wire::{cookie_value, CSRF_COOKIE, CSRF_HEADER};
pub use crate::browser::{cookie, go_to, set_cookie, today};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    Unauthorized,
    Forbidden(String),
    NotFound,
    Invalid(Vec<FieldError>, String),
    Conflict(String),
    TooManyRequests(String),
    /// No answer: no network, the server down or behind a proxy that cannot reach it,
    /// or no reply in time. Said in the person's words, never as the browser's
    /// "TypeError: Failed to fetch".
    Unreachable,
    Other(String),
}

impl ApiError {
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Invalid(e, _) => e.clone(),
            _ => Vec::new(),
        }
    }
    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthorized => "401".into(),
            ApiError::NotFound => "404".into(),
            ApiError::Unreachable => domain::i18n::t(crate::i18n::current_lang(), "app.unreachable").to_string(),
            ApiError::Forbidden(m)
            | ApiError::Invalid(_, m)
            | ApiError::Conflict(m)
            | ApiError::TooManyRequests(m)
            | ApiError::Other(m) => m.clone(),
        }
    }
}


async fn send<T: DeserializeOwned>(req: Result<gloo_net::http::Request, gloo_net::Error>) -> Result<T, ApiError> {
    let req = req.map_err(|e| ApiError::Other(e.to_string()))?;
    let resp = req.send().await.map_err(|_| ApiError::Unreachable)?;
    let status = resp.status();
    if (200..300).contains(&status) {
        if status == 204 {
            return serde_json::from_str("null").map_err(|e| ApiError::Other(e.to_string()));
        }
        return resp.json::<T>().await.map_err(|e| ApiError::Other(e.to_string()));
    }
    Err(refusal(resp).await)
}

/// The typed error of an answer that is not a success.
async fn refusal(resp: gloo_net::http::Response) -> ApiError {
    let status = resp.status();
    let problem: Option<Problem> = resp.json().await.ok();
    let detail = problem.as_ref().map(|p| if p.detail.is_empty() { p.title.clone() } else { p.detail.clone() }).unwrap_or_default();
    match status {
        401 => ApiError::Unauthorized,
        403 => ApiError::Forbidden(detail),
        404 => ApiError::NotFound,
        409 => ApiError::Conflict(detail),
        422 => ApiError::Invalid(problem.map(|p| p.errors).unwrap_or_default(), detail),
        429 => ApiError::TooManyRequests(detail),
        502..=504 => ApiError::Unreachable,
        _ => ApiError::Other(if detail.is_empty() { format!("HTTP {status}") } else { detail }),
    }
}

/// How long a request may take before it counts as failed. A server that accepts the
/// connection and never answers must not stall the sync engine, which retries.
const TIMEOUT_MS: i32 = 20_000;

fn with_timeout(b: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    let Ok(controller) = web_sys::AbortController::new() else { return b };
    let signal = controller.signal();
    let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(abort.unchecked_ref(), TIMEOUT_MS);
    }
    b.abort_signal(Some(&signal))
}

thread_local! {
    /// The opening of a client's card the page is showing, if any (see [`open_card`]).
    static OPENING: std::cell::Cell<Option<uuid::Uuid>> = const { std::cell::Cell::new(None) };
}

/// Starts a new opening of a client's card (or ends it, with `None`): the reads made
/// until the next one carry its id, and the access log records them as one entry.
pub fn open_card(opening: Option<uuid::Uuid>) {
    OPENING.with(|o| o.set(opening));
}

fn with_headers(b: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    let b = with_timeout(b);
    let lang = crate::i18n::current_lang();
    let b = b.header("Accept-Language", lang.tag()).header("Accept", "application/json");
    let b = match OPENING.with(std::cell::Cell::get) {
        Some(opening) => b.header(domain::wire::OPENING_HEADER, &opening.to_string()),
        None => b,
    };
    match cookie(CSRF_COOKIE) {
        Some(token) => b.header(CSRF_HEADER, &token),
        None => b,
    }
}

/// Survey requests go without cookies or the CSRF token: the anonymous path must not
/// even be offered who holds the device (a consultant's tablet in kiosk mode).
fn anonymous(b: gloo_net::http::RequestBuilder) -> gloo_net::http::RequestBuilder {
    let lang = crate::i18n::current_lang();
    with_timeout(b)
        .credentials(web_sys::RequestCredentials::Omit)
        .header("Accept-Language", lang.tag())
        .header("Accept", "application/json")
}

pub async fn get_anonymous<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(anonymous(gloo_net::http::Request::get(path)).build()).await
}

pub async fn post_anonymous<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(anonymous(gloo_net::http::Request::post(path)).json(body)).await
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(with_headers(gloo_net::http::Request::get(path)).build()).await
}

pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(with_headers(gloo_net::http::Request::post(path)).json(body)).await
}

/// A file the server makes from a request a link cannot send (a password in the body),
/// saved as `name`.
pub async fn post_download<B: Serialize>(path: &str, body: &B, name: &str) -> Result<(), ApiError> {
    let req = with_headers(gloo_net::http::Request::post(path)).json(body).map_err(|e| ApiError::Other(e.to_string()))?;
    let resp = req.send().await.map_err(|_| ApiError::Unreachable)?;
    if !(200..300).contains(&resp.status()) {
        return Err(refusal(resp).await);
    }
    let mime = resp.headers().get("content-type").unwrap_or_else(|| "application/octet-stream".into());
    let bytes = resp.binary().await.map_err(|_| ApiError::Unreachable)?;
    crate::browser::save_file(name, &bytes, &mime);
    Ok(())
}

/// A replacement guarded by the version the user saw, so nobody's edit is silently lost.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B, version: i64) -> Result<T, ApiError> {
    let b = with_headers(gloo_net::http::Request::put(path)).header("If-Match", &format!("\"{version}\""));
    send(b.json(body)).await
}

/// A save the server merges field by field from what the device started from, so
/// it needs no version: nobody's text is replaced without a conflict.
pub async fn put_merged<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(with_headers(gloo_net::http::Request::put(path)).json(body)).await
}
