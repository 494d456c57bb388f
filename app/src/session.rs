//! Who is signed in: the server's answer, or offline the person who opened the
//! drafts on this device.

use domain::api::Me;
use leptos::prelude::*;

use crate::api::{get, ApiError};

/// Who is signed in, fetched once per page load; `None` while loading.
#[derive(Clone, Copy)]
pub struct Session(pub LocalResource<Result<Me, ApiError>>);

pub fn provide_session() {
    provide_context(Session(LocalResource::new(|| get::<Me>("/api/v1/auth/me"))));
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
            // Offline: who opened the drafts on this device.
            _ => use_context::<crate::offline::Offline>().and_then(|o| o.me.get()),
        }
    }
    pub fn signed_out(&self) -> bool {
        matches!(self.0.get(), Some(Err(ApiError::Unauthorized)))
    }
}
