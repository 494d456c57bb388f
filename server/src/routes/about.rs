//! What anyone may read about the installation, signed in or not: who answers for its
//! accessibility (the accessibility statement shows it).

use axum::extract::State;
use domain::api::AccessibilityContact;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiJson, ApiResult};
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/accessibility", tag = "about",
    responses((status = 200, body = AccessibilityContact)))]
pub async fn accessibility(State(state): State<AppState>) -> ApiResult<AccessibilityContact> {
    Ok(ApiJson(state.config.accessibility.clone()))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(accessibility))
}
