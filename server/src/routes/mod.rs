//! The routes layer: one module per area, each owning its `router()` with its OpenAPI
//! paths, merged here. Routes and the document are built together by utoipa-axum, so a
//! route cannot exist without being documented (and walked by the scoping test).
//! Handlers parse the request, check the role, call `store`, and answer. Every query
//! shared by two handlers lives in `store`; some used by one handler only still sit
//! beside it (auth, devices, dashboard, reports, partnership documents, survey rounds)
//! and move to `store` as those areas change.

use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;

pub mod audit;
pub mod auth;
pub mod clients;
pub mod dashboard;
pub mod devices;
pub mod documents;
pub mod partnership_docs;
pub mod partnerships;
pub mod reports;
pub mod survey;
pub mod sync;


#[derive(OpenApi)]
#[openapi(
    info(title = "Ścieżka API", version = "1", description = "Case work for social and vocational integration. Every state-changing request needs the X-CSRF-Token header of the session."),
    tags((name = "auth"), (name = "clients"), (name = "partnerships"), (name = "audit"), (name = "sync"), (name = "survey"))
)]
struct ApiDoc;

/// Every area's routes, merged under one document.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(auth::router())
        .merge(clients::router())
        .merge(partnerships::router())
        .merge(dashboard::router())
        .merge(reports::router())
        .merge(partnership_docs::router())
        .merge(audit::router())
        .merge(sync::router())
        .merge(documents::router())
        .merge(devices::router())
        .merge(survey::public::router())
        .merge(survey::rounds::router())
        .merge(survey::results::router())
}

pub fn document() -> utoipa::openapi::OpenApi {
    api_router().split_for_parts().1
}

pub async fn serve_document() -> impl IntoResponse {
    axum::Json(document())
}
