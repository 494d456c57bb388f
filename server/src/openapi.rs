//! The JSON API's routes and its OpenAPI document are built together by utoipa-axum,
//! so a route cannot exist without being documented (and walked by the scoping test).

use axum::response::IntoResponse;
use utoipa::OpenApi;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{audit, auth, client, dashboard, device, document, history, partnership, partnership_doc, report, survey, sync, AppState};

#[derive(OpenApi)]
#[openapi(
    info(title = "Ścieżka API", version = "1", description = "Case work for social and vocational integration. Every state-changing request needs the X-CSRF-Token header of the session."),
    tags((name = "auth"), (name = "clients"), (name = "partnerships"), (name = "audit"), (name = "sync"), (name = "survey"))
)]
struct ApiDoc;

pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(auth::login))
        .routes(routes!(auth::logout))
        .routes(routes!(auth::me))
        .routes(routes!(auth::change_password))
        .routes(routes!(client::list, client::create))
        .routes(routes!(client::get, client::update))
        .routes(routes!(partnership::consultants))
        .routes(routes!(dashboard::get))
        .routes(routes!(report::get, report::save))
        .routes(routes!(partnership_doc::overview))
        .routes(routes!(partnership_doc::get, partnership_doc::save))
        .routes(routes!(partnership_doc::sign))
        .routes(routes!(partnership_doc::withdraw))
        .routes(routes!(partnership_doc::propose))
        .routes(routes!(partnership_doc::consent))
        .routes(routes!(report::export_xlsx))
        .routes(routes!(report::export_csv))
        .routes(routes!(report::indicators))
        .routes(routes!(report::indicators_xlsx))
        .routes(routes!(report::indicators_csv))
        .routes(routes!(audit::list))
        .routes(routes!(sync::push))
        .routes(routes!(sync::caseload))
        .routes(routes!(sync::conflicts))
        .routes(routes!(sync::resolve))
        .routes(routes!(sync::notes))
        .routes(routes!(history::client_history))
        .routes(routes!(document::list))
        .routes(routes!(document::get))
        .routes(routes!(document::history))
        .routes(routes!(document::version))
        .routes(routes!(document::services, document::add_service))
        .routes(routes!(device::list))
        .routes(routes!(device::revoke))
        .routes(routes!(device::held))
        .routes(routes!(device::decide))
        .routes(routes!(survey::public))
        .routes(routes!(survey::answer))
        .routes(routes!(survey::sealed))
        .routes(routes!(survey::rounds, survey::open_round))
        .routes(routes!(survey::close))
        .routes(routes!(survey::codes))
        .routes(routes!(survey::results))
        .routes(routes!(survey::export_csv))
        .routes(routes!(survey::export_xlsx))
        .routes(routes!(survey::qr))
}

pub fn document() -> utoipa::openapi::OpenApi {
    api_router().split_for_parts().1
}

pub async fn serve_document() -> impl IntoResponse {
    axum::Json(document())
}
