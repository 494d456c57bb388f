//! What every handler takes from a request besides its body: the signed-in user
//! (session cookie, CSRF header), the language of the answer, the peer address.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::{header, request::Parts, Method};
use domain::Lang;

use crate::auth::session::{authenticate, CSRF_HEADER, SESSION_COOKIE};
use crate::error::AppError;
use crate::AppState;

pub use crate::store::user::CurrentUser;

/// The language of a request's messages: `Accept-Language`, else the app's `lang`
/// cookie, else Polish.
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
            return Ok(RequestLang(Lang::from_accept_language(v)));
        }
        let cookie = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(RequestLang(domain::wire::cookie_value(cookie, domain::wire::LANG_COOKIE).map(|v| Lang::from_tag(&v)).unwrap_or_default()))
    }
}

/// The opening of a client's card a read belongs to (`X-Sciezka-Opening`, a UUID the
/// page makes per view), so the access log records one entry per opening.
pub struct Opening(pub Option<uuid::Uuid>);

impl<S: Send + Sync> FromRequestParts<S> for Opening {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Opening(parts.headers.get(domain::wire::OPENING_HEADER).and_then(|v| v.to_str().ok()).and_then(|v| uuid::Uuid::parse_str(v.trim()).ok())))
    }
}

/// The peer address, when the server runs with connection info (tests may not).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// Whether the request comes from the server's own machine: a loopback peer and no
/// sign of a proxy in between (a reverse proxy on the same machine forwards others'
/// requests from loopback, and says so in these headers).
pub struct Local(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Local {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let loopback = parts.extensions.get::<ConnectInfo<SocketAddr>>().is_some_and(|c| c.0.ip().is_loopback());
        let proxied = ["forwarded", "x-forwarded-for", "x-real-ip", "x-forwarded-host"].iter().any(|h| parts.headers.contains_key(*h));
        Ok(Local(loopback && !proxied))
    }
}

fn session_token(parts: &Parts) -> Option<String> {
    let cookies = parts.headers.get_all(header::COOKIE);
    cookies.iter().filter_map(|v| v.to_str().ok()).find_map(|c| domain::wire::cookie_value(c, SESSION_COOKIE))
}


impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = session_token(parts).ok_or(AppError::Unauthorized)?;
        let user = authenticate(state, &token).await?;
        if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
            if sent.is_empty() || sent != user.csrf_token {
                return Err(AppError::Forbidden("CSRF token missing or wrong"));
            }
        }
        Ok(user)
    }
}

