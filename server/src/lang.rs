//! The language of a request's messages: `Accept-Language`, else the app's `lang`
//! cookie, else Polish.

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use domain::Lang;

pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()) {
            return Ok(RequestLang(Lang::from_accept_language(v)));
        }
        let cookie = parts.headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
        Ok(RequestLang(app::api::cookie_value(cookie, app::i18n::LANG_COOKIE).map(|v| Lang::from_tag(&v)).unwrap_or_default()))
    }
}
