//! What the server reads to draw a page with its data (the caseload, a client's card),
//! handed to the render as `app::page_data::Rendered`. The reads are the API's own
//! handlers, so the page shows exactly what the API would answer the person: the same
//! partnership scoping, the same access-log entries. A read that fails (a client of
//! another partnership, a database error) only means the page is drawn without it and
//! the browser asks the API, which answers with the error.

use axum::extract::{Path, Query, State};
use axum::http::Uri;
use uuid::Uuid;

use crate::extract::{CurrentUser, Opening};
use crate::routes::clients;
use crate::AppState;

/// The data of the page at `path` as JSON, for the pages drawn with theirs.
pub async fn read(state: &AppState, user: &CurrentUser, path: &str) -> Option<String> {
    match path.trim_end_matches('/') {
        "" => {
            let query = Query::<clients::ListQuery>::try_from_uri(&Uri::from_static(app::page_data::CASELOAD)).ok()?;
            let page = clients::list(State(state.clone()), user.clone(), query).await.ok()?.0;
            serde_json::to_string(&page).ok()
        }
        card => {
            let id = Uuid::parse_str(card.strip_prefix("/clients/")?).ok()?;
            // The card's opening starts here; the browser's further reads join it.
            let opening = Uuid::new_v4();
            let (_, record) = clients::get(State(state.clone()), user.clone(), Opening(Some(opening)), Path(id)).await.ok()?;
            serde_json::to_string(&app::page_data::CardData { record: record.0, opening }).ok()
        }
    }
}
