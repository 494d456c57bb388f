//! Who is signed in: the server's answer, or offline the person who opened the
//! drafts on this device. The server renders a page knowing who asked for it
//! ([`SignedIn`]) and hands that to the browser in the page, so the first render in
//! the browser draws the same header and the same page (no jump when the answer of
//! `/api/v1/auth/me` arrives).

use domain::api::Me;
use leptos::prelude::*;

use crate::api::{get, ApiError};

/// Who is signed in, fetched once per page load; `None` while loading.
#[derive(Clone, Copy)]
pub struct Session(pub LocalResource<Result<Me, ApiError>>, StoredValue<Option<Me>>);

/// Who the server rendered the page for, without secrets (no CSRF token, no device
/// key): given by the server's page handler, written into the page as
/// `<meta name="sciezka-signed-in">` and read back by the browser.
#[derive(Clone, Debug)]
pub struct SignedIn(pub Me);

pub const SIGNED_IN_META: &str = "sciezka-signed-in";

pub fn provide_session() {
    provide_context(Session(LocalResource::new(|| get::<Me>("/api/v1/auth/me")), StoredValue::new(rendered_for())));
}

/// The person the page was rendered for: on the server from the request, in the
/// browser from the page's meta element.
fn rendered_for() -> Option<Me> {
    match use_context::<SignedIn>() {
        Some(SignedIn(me)) => Some(me),
        None => serde_json::from_str(&crate::browser::meta_content(SIGNED_IN_META)?).ok(),
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

impl Session {
    /// The signed-in user, once known.
    pub fn me(&self) -> Option<Me> {
        match self.0.get() {
            Some(Ok(me)) => Some(me),
            Some(Err(ApiError::Unauthorized)) => None,
            // Until the server answers: who the page was rendered for.
            None => self.1.get_value().or_else(|| use_context::<crate::offline::Offline>().and_then(|o| o.me.get())),
            // Offline: who opened the drafts on this device.
            _ => use_context::<crate::offline::Offline>().and_then(|o| o.me.get()).or_else(|| self.1.get_value()),
        }
    }
    pub fn signed_out(&self) -> bool {
        matches!(self.0.get(), Some(Err(ApiError::Unauthorized)))
    }
}
