//! The site: server-rendered pages, the compiled assets, and the headers every
//! response carries.

use std::path::Path;

use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes, ResponseOptions};
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;

fn page_csp(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub fn site_router(state: &AppState) -> Router<AppState> {
    let options = state.leptos.clone();
    let assets = crate::assets::front_end(&options);
    let routes = generate_route_list(app::App);
    let site_root = options.site_root.to_string();
    let pkg = Path::new(&site_root).join(options.site_pkg_dir.as_ref());
    // Hashed names never change content, so browsers may keep them for a year.
    // Assets without a precompressed copy (a debug build) are compressed as they go,
    // except the wasm, which is large and only ever precompressed in a release build.
    let compress = || CompressionLayer::new().compress_when(DefaultPredicate::new().and(NotForContentType::const_new("application/wasm")));
    let pkg_service = tower::ServiceBuilder::new()
        .layer(compress())
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static(if options.hash_files { "public, max-age=31536000, immutable" } else { "no-cache" }),
        ))
        .service(ServeDir::new(pkg).precompressed_br().precompressed_gzip());
    let public_service = tower::ServiceBuilder::new()
        .layer(compress())
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")))
        .service(ServeDir::new(&site_root).precompressed_br().precompressed_gzip().fallback(tower::service_fn(|_| async {
            Ok::<_, std::convert::Infallible>(crate::error::AppError::NotFound.into_response())
        })));
    Router::new()
        .leptos_routes_with_context(
            state,
            routes,
            || {
                let parts = use_context::<http::request::Parts>();
                if let Some(signed_in) = parts.as_ref().and_then(|p| p.extensions.get::<app::session::SignedIn>().cloned()) {
                    provide_context(signed_in);
                }
                if let Some(data) = parts.as_ref().and_then(|p| p.extensions.get::<app::page_data::Rendered>().cloned()) {
                    provide_context(data);
                }
                if let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) {
                    if let Ok(v) = HeaderValue::from_str(&page_csp(&nonce.to_string())) {
                        response.insert_header(header::CONTENT_SECURITY_POLICY, v);
                    }
                    response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                }
            },
            move || app::shell(options.clone(), assets.clone()),
        )
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), signed_in))
        .route_layer(axum::middleware::from_fn(crate::hints::after_paint))
        .nest_service("/pkg", pkg_service)
        .fallback_service(public_service)
}

/// Headers for every response; pages set their own CSP with the render's nonce.
pub async fn security_headers(request: Request<Body>, next: Next) -> Response {
    // The service worker's own requests obey the policy its script was served with.
    let worker = request.uri().path() == "/sw.js";
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    if worker {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'self'"));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert("permissions-policy", HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"));
    h.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("default-src 'none'; frame-ancestors 'none'; base-uri 'none'"));
    }
    if response.status() == StatusCode::UNAUTHORIZED || response.headers().get(header::CONTENT_TYPE).is_some_and(|c| c.as_bytes().starts_with(b"application/")) {
        response.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

/// Tells the page's render who asked for it (a valid session), so the server draws the
/// signed-in header and page the browser will hydrate, and reads the data of the pages
/// drawn with theirs (`page_data`). Secrets stay out: the page carries no CSRF token
/// and no device key.
async fn signed_in(State(state): State<AppState>, request: Request<Body>, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    if let Ok(user) = crate::extract::CurrentUser::from_request_parts(&mut parts, &state).await {
        let me = domain::api::Me { csrf_token: String::new(), device_key: String::new(), ..user.me() };
        parts.extensions.insert(app::session::SignedIn(me));
        if parts.method == axum::http::Method::GET {
            if let Some(data) = crate::page_data::read(&state, &user, parts.uri.path()).await {
                parts.extensions.insert(app::page_data::Rendered(data));
            }
        }
    }
    next.run(Request::from_parts(parts, body)).await
}
