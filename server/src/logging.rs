//! The server's log, which says nothing about survey respondents at any level.
//!
//! The survey's public paths run inside a quiet span: nothing logged within it is
//! written, whatever `RUST_LOG` asks for and whichever crate logs it (sqlx's
//! statement lines would carry the time of one submission). Connection-level events
//! (axum's "connection … accepted" with the peer's address and port, hyper's, mio's,
//! tokio's) are dropped on every path, since they come before the path is known.
//! Other requests are logged at DEBUG by their route template, never their path.

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;
use tracing::{Instrument, Metadata, Subscriber};
use tracing_subscriber::filter::{DynFilterFn, EnvFilter, FilterExt};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::Layer;

const QUIET: &str = "survey_quiet";
const QUIET_TARGET: &str = "sciezka::quiet";

/// Crates whose events describe connections rather than requests.
const CONNECTION_LEVEL: &[&str] = &["axum::serve", "hyper", "hyper_util", "h2", "mio", "tokio", "runtime", "tower_http"];

/// The span the survey's public work runs in.
pub fn quiet_span() -> tracing::Span {
    // At ERROR level so that every filter keeps the span itself (only its events go).
    tracing::error_span!(target: QUIET_TARGET, QUIET)
}

/// Marks a response of a quiet route, so the request log leaves it out.
#[derive(Clone, Copy)]
struct Quiet;

/// Runs a request in the quiet span.
pub async fn quiet(request: Request, next: Next) -> Response {
    let mut response = next.run(request).instrument(quiet_span()).await;
    response.extensions_mut().insert(Quiet);
    response
}

/// Logs each request to a route at DEBUG: its method, its route (the template, so no
/// id from the path), status and time. Quiet routes are left out, and so are static
/// files and unknown paths: a respondent's phone fetches the stylesheet, the script
/// and an icon right after answering, and their times would date the answer.
pub async fn requests(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let Some(route) = request.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()) else {
        return next.run(request).await;
    };
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    if response.extensions().get::<Quiet>().is_none() {
        tracing::debug!(target: "sciezka::request", %method, route, status = response.status().as_u16(), ms = started.elapsed().as_millis());
    }
    response
}

fn connection_level(target: &str) -> bool {
    CONNECTION_LEVEL.iter().any(|c| target == *c || target.strip_prefix(c).is_some_and(|rest| rest.starts_with("::")))
}

fn allowed<S: Subscriber + for<'a> LookupSpan<'a>>(meta: &Metadata<'_>, cx: &Context<'_, S>) -> bool {
    if connection_level(meta.target()) {
        return false;
    }
    if meta.is_span() {
        return true;
    }
    cx.lookup_current().is_none_or(|span| span.scope().all(|s| s.name() != QUIET))
}

/// The subscriber `sciezka` logs with: `directives` as in `RUST_LOG`, written by
/// `writer`, coloured when `ansi` (a terminal).
pub fn subscriber<W>(directives: &str, writer: W, ansi: bool) -> impl Subscriber + Send + Sync
where
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let mut env = EnvFilter::try_new(directives).unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    // The quiet span must exist for this filter whatever the directives enable.
    if let Ok(directive) = format!("{QUIET_TARGET}=error").parse() {
        env = env.add_directive(directive);
    }
    let layer = tracing_subscriber::fmt::layer().with_ansi(ansi).with_writer(writer).with_filter(env.and(DynFilterFn::new(allowed)));
    tracing_subscriber::registry().with(layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_level_targets_are_matched_by_crate_not_by_prefix() {
        assert!(connection_level("axum::serve"));
        assert!(connection_level("hyper_util::client::legacy"));
        assert!(connection_level("mio::poll"));
        assert!(!connection_level("axum_extra"));
        assert!(!connection_level("server::routes"));
    }
}
