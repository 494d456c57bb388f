//! What the server read for the page it rendered, handed to the browser with the page.
//!
//! The caseload and the client's card are drawn by the server with their data, so the
//! person sees them as soon as the page arrives instead of after the app's code, its
//! chunks and an API round trip (on a slow phone that was seconds: Lighthouse's largest
//! paint). The data goes into the page as `<meta name="sciezka-page-data">`; the
//! browser's first render reads it back, so it draws what the server drew and needs no
//! second request. Only that first render: after hydration every page asks the API,
//! as before. The server reads it with the API's own handlers, so the scoping and the
//! access log are the API's.
//!
//! The data is parsed by the page that uses it (a generic function, compiled into the
//! page's chunk), not by the shared module every page loads.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The page's data as JSON, given by the server's page handler as context.
#[derive(Clone, Debug)]
pub struct Rendered(pub String);

pub const PAGE_DATA_META: &str = "sciezka-page-data";

/// The caseload page's list (the consultant's own active clients): the browser asks
/// the API for it, the server reads it with the same query to draw the page.
pub const CASELOAD: &str = "/api/v1/clients?mine=true&status=active&limit=200";

/// The card's data: the record, and the opening of the card the server's read began
/// (the access log groups the card's further reads under it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CardData {
    pub record: domain::api::ClientRecord,
    pub opening: uuid::Uuid,
}

/// The data the server rendered this page with, while the page is being rendered by
/// the server or hydrated in the browser; `None` afterwards, and for data of another
/// kind than the page asks for.
pub fn first<T: DeserializeOwned>() -> Option<T> {
    if leptos::prelude::untrack(crate::hydration::done) {
        return None;
    }
    serde_json::from_str(&raw()?).ok()
}

fn raw() -> Option<String> {
    match leptos::prelude::use_context::<Rendered>() {
        Some(Rendered(json)) => Some(json),
        None => crate::browser::meta_content(PAGE_DATA_META),
    }
}
