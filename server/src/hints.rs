//! The page's resource hints, held until the page has painted.
//!
//! Leptos writes `<link rel="preload">` for the app's wasm and for the page's chunks,
//! and `<link rel="modulepreload">` for its JS, in the page's head. A browser starts
//! those downloads while it reads the head, so on a slow link 600 KiB of app share the
//! line with the HTML and the stylesheet the first paint needs (and Lighthouse's
//! simulation counts them before the largest paint). The server writes them inert,
//! with their `rel` moved to `app::AFTER_PAINT_ATTR`; the shell's script makes them
//! real once the page has painted.

use axum::body::Body;
use axum::http::{header, Request};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// No page comes near this; a render that does is an error, not a page to truncate.
const PAGE_LIMIT: usize = 32 * 1024 * 1024;

/// Holds the hints of every HTML page the app renders.
pub async fn after_paint(request: Request<Body>, next: Next) -> Response {
    let response = next.run(request).await;
    let html = response.headers().get(header::CONTENT_TYPE).is_some_and(|c| c.as_bytes().starts_with(b"text/html"));
    if !html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let page = match axum::body::to_bytes(body, PAGE_LIMIT).await {
        Ok(bytes) => bytes,
        Err(e) => return AppError::Internal(format!("page render could not be read: {e}")).into_response(),
    };
    let Ok(page) = String::from_utf8(page.to_vec()) else {
        return AppError::Internal("page render is not UTF-8".into()).into_response();
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(hold(&page)))
}

/// The page with the `rel` of each preload link in its head moved to
/// `app::AFTER_PAINT_ATTR`, wherever the attribute stands in the tag (Leptos writes
/// the app's links with `rel` first, the router's chunk links with it last). Only the
/// head: the body is the page's content, where escaping keeps any user's text from
/// ever reading as a tag.
pub fn hold(page: &str) -> String {
    let Some(end) = page.find("</head>") else {
        return page.to_string();
    };
    let (head, body) = page.split_at(end);
    let mut held = String::with_capacity(page.len() + 256);
    let mut rest = head;
    while let Some(at) = rest.find("<link ") {
        held.push_str(&rest[..at]);
        let len = rest[at..].find('>').map_or(rest.len() - at, |i| i + 1);
        let mut tag = rest[at..at + len].to_string();
        for rel in ["preload", "modulepreload"] {
            tag = tag.replace(&format!(" rel=\"{rel}\""), &format!(" {}=\"{rel}\"", app::AFTER_PAINT_ATTR));
        }
        held.push_str(&tag);
        rest = &rest[at + len..];
    }
    held.push_str(rest);
    held.push_str(body);
    held
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_the_preloads_of_the_head_only() {
        let page = concat!(
            r#"<html><head><link rel="stylesheet" href="/pkg/a.css">"#,
            r#"<link rel="modulepreload" href="/pkg/a.js" crossorigin="n">"#,
            r#"<link rel="preload" href="/pkg/a.wasm" as="fetch">"#,
            r#"<link as="fetch" href="/pkg/split_card.1.wasm" rel="preload" type="application/wasm"></head>"#,
            r#"<body><p>&lt;link rel="preload"</p></body></html>"#
        );
        let held = hold(page);
        assert_eq!(
            held,
            concat!(
                r#"<html><head><link rel="stylesheet" href="/pkg/a.css">"#,
                r#"<link data-after-paint="modulepreload" href="/pkg/a.js" crossorigin="n">"#,
                r#"<link data-after-paint="preload" href="/pkg/a.wasm" as="fetch">"#,
                r#"<link as="fetch" href="/pkg/split_card.1.wasm" data-after-paint="preload" type="application/wasm"></head>"#,
                r#"<body><p>&lt;link rel="preload"</p></body></html>"#
            )
        );
    }

    #[test]
    fn a_page_without_a_head_is_left_as_it_is() {
        assert_eq!(hold(r#"<link rel="preload" href="x">"#), r#"<link rel="preload" href="x">"#);
    }
}
