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

pub mod about;
pub mod audit;
pub mod breaches;
pub mod auth;
pub mod clause;
pub mod clients;
pub mod dashboard;
pub mod devices;
pub mod disposal;
pub mod documents;
pub mod import;
pub mod installation;
pub mod partnership_docs;
pub mod partnerships;
pub mod people;
pub mod personal_data;
pub mod reports;
pub mod restriction;
pub mod second_factor;
pub mod survey;
pub mod sync;


#[derive(OpenApi)]
#[openapi(
    info(title = "Ścieżka API", version = "1", description = "Case work for social and vocational integration. Every state-changing request needs the X-CSRF-Token header of the session."),
    tags((name = "about"), (name = "auth"), (name = "clients"), (name = "partnerships"), (name = "audit"), (name = "breaches"), (name = "sync"), (name = "survey"), (name = "people"), (name = "installation"))
)]
struct ApiDoc;

/// Every area's routes, merged under one document.
pub fn api_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(about::router())
        .merge(auth::router())
        .merge(second_factor::router())
        .merge(clients::router())
        .merge(partnerships::router())
        .merge(dashboard::router())
        .merge(reports::router())
        .merge(restriction::router())
        .merge(partnership_docs::router())
        .merge(audit::router())
        .merge(breaches::router())
        .merge(sync::router())
        .merge(documents::router())
        .merge(devices::router())
        .merge(people::router())
        .merge(personal_data::router())
        .merge(disposal::router())
        .merge(clause::router())
        .merge(installation::router())
        .merge(import::router())
        .merge(survey::public::router())
        .merge(survey::rounds::router())
        .merge(survey::results::router())
}

pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = api_router().split_for_parts().1;
    complete(&mut doc);
    doc
}

/// Paths anyone may call without a session.
fn public(path: &str) -> bool {
    path.starts_with("/api/v1/survey/") || path == "/api/v1/auth/login" || path == "/api/v1/setup" || path == "/api/v1/accessibility"
}

/// Makes the document say what the API really answers: errors are
/// `application/problem+json`, and every operation may also answer what the framework
/// or the edge answers for it (a malformed path or query, a body too large or not
/// JSON, no session, a server error), each a problem document.
fn complete(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    const PROBLEM: &str = "application/problem+json";
    let problem = |what: &str| -> RefOr<utoipa::openapi::Response> {
        let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build();
        RefOr::T(ResponseBuilder::new().description(what).content(PROBLEM, content).build())
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            for response in op.responses.responses.values_mut() {
                if let RefOr::T(r) = response {
                    let is_problem = r.content.get("application/json").is_some_and(|c| {
                        matches!(&c.schema, Some(RefOr::Ref(reference)) if reference.ref_location.ends_with("/Problem"))
                    });
                    if is_problem {
                        if let Some(c) = r.content.shift_remove("application/json") {
                            r.content.insert(PROBLEM.to_string(), c);
                        }
                    }
                }
            }
            let mut also = vec![("400", "Malformed request: a path parameter, query or body that cannot be read"), ("500", "Server error")];
            if op.request_body.is_some() {
                also.extend([("413", "Body over the size limit"), ("415", "Body not sent as application/json"), ("422", "Body that breaks a rule")]);
            }
            if !public(path) {
                also.extend([("401", "No valid session"), ("403", "No right to do this (or, changing something, no CSRF token)")]);
            }
            for (status, what) in also {
                op.responses.responses.entry(status.to_string()).or_insert_with(|| problem(what));
            }
        }
    }
}

pub async fn serve_document() -> impl IntoResponse {
    axum::Json(document())
}
