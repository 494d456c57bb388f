//! Whether the page has finished hydrating.
//!
//! Pages are lazy routes, so hydration is asynchronous: between the app's start and
//! the page's hydration lie a few awaits (the page's chunk, loaded beforehand by
//! `routes::preload_rendered`). Anything that would change what the page shows in
//! that gap (the offline engine reading the device's copy of the caseload) would make
//! the browser's first render differ from the server's, which Leptos cannot repair.
//! Such work starts only once [`finish`] has been called by the wasm entry point.

use leptos::prelude::*;

thread_local! {
    static DONE: ArcRwSignal<bool> = ArcRwSignal::new(false);
}

/// True once the page is hydrated (always false while the server renders).
pub fn done() -> bool {
    DONE.with(|d| d.get())
}

/// Called by the wasm entry point when the whole page, its lazy route included, has
/// hydrated (or, on the offline shell, has been rendered in the browser). Marks the
/// document (`<html data-hydrated>`) for assistive tools and the browser tests.
pub fn finish() {
    DONE.with(|d| d.set(true));
    crate::browser::mark_hydrated();
}
