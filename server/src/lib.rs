//! Ścieżka's server: the JSON API under `/api/v1`, database-backed sessions, the
//! per-partnership scoping of every read and write, and the server-side rendering of
//! the Leptos app. `main.rs` is only the command line around `build_app`.
//!
//! Layers, imports pointing one way: `routes` (HTTP: one module per area) → `store`
//! (queries, no HTTP) → `db`. `error` and `extract` are the edge every handler uses.

pub mod assets;
pub mod auth;
pub mod backup;
pub mod config;
pub mod db;
pub mod error;
pub mod export;
pub mod import;
pub mod extract;
pub mod hints;
pub mod logging;
pub mod mail;
pub mod page_data;
pub mod routes;
pub mod seed;
pub mod store;
pub mod token;
pub mod web;

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

pub use config::Config;
pub use db::Db;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub leptos: LeptosOptions,
    /// The public survey endpoints' rate limit and the answers held in memory.
    pub survey: Arc<store::survey::Desk>,
}

/// The whole application: API, site and the layers every response passes through.
pub fn build_app(state: AppState) -> axum::Router {
    let (api, _) = routes::api_router().split_for_parts();
    axum::Router::new()
        .merge(api)
        .route("/api/v1/openapi.json", axum::routing::get(routes::serve_document))
        .merge(routes::survey::phone::router())
        .merge(web::site_router(&state))
        .layer(axum::extract::DefaultBodyLimit::max(config::MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(web::security_headers))
        .layer(axum::middleware::from_fn(error::problems_only))
        .layer(axum::middleware::from_fn(logging::requests))
        // A bug in one request answers 500 instead of dropping the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(error::caught_panic))
        .with_state(state)
}

pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}
