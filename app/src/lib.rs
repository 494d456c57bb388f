#![recursion_limit = "512"]
//! Ścieżka's user interface: rendered on the server, hydrated in the browser.
//! Data comes from the JSON API (`/api/v1`) in the browser, the same API every other
//! client uses, so the offline engine can later sit between the two.

pub mod api;
pub mod browser;
pub mod hydration;
pub mod i18n;
mod layout;
pub mod offline;
pub mod page_data;
mod pages;
#[cfg(feature = "ssr")]
pub use pages::survey::phone;
pub mod routes;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, Lazy,
};

use crate::i18n::{provide_lang, tr, use_lang};

/// The attribute that holds a resource hint's `rel` until the page has painted: the
/// server writes `<link data-after-paint="preload" …>` for the framework's
/// `<link rel="preload" …>` in the page's head.
pub const AFTER_PAINT_ATTR: &str = "data-after-paint";

/// Makes the held hints real at the page's first idle moment, which comes after its
/// first paint. Registered before
/// the hydration script's own idle callback, so it runs first and the app's import
/// finds its wasm and the page's chunks already on the way.
const RESTORE_HINTS: &str = r#"(()=>{const go=()=>{for(const l of document.querySelectorAll("link[data-after-paint]")){const n=l.cloneNode();n.rel=l.dataset.afterPaint;n.removeAttribute("data-after-paint");l.replaceWith(n)}};"requestIdleCallback" in window?requestIdleCallback(go,{timeout:2000}):setTimeout(go)})()"#;

/// The HTML document around the app, rendered by the server only. `css_href` is the
/// stylesheet's (content-hashed) address.
pub fn shell(options: LeptosOptions, css_href: String) -> impl IntoView {
    // `/offline` is the shell the service worker keeps for pages it cannot fetch: no
    // server-rendered body (and no personal data), rendered in the browser instead.
    let offline_shell = use_context::<http::request::Parts>().is_some_and(|p| p.uri.path() == "/offline");
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=css_href/>
                // Who the page is for, so the browser's first render matches this one;
                // never in the offline shell, which the service worker keeps.
                {use_context::<session::SignedIn>().filter(|_| !offline_shell).and_then(|s| serde_json::to_string(&s.0).ok()).map(|me| view! {
                    <meta name=session::SIGNED_IN_META content=me/>
                })}
                // What the page was drawn with (the caseload, a client's card), so the
                // browser's first render draws the same without asking again.
                {use_context::<page_data::Rendered>().filter(|_| !offline_shell).map(|data| view! {
                    <meta name=page_data::PAGE_DATA_META content=data.0/>
                })}
                // The app (wasm, its JS and the page's chunks) is fetched after the first
                // paint: on a slow link the page's HTML and CSS paint first, and what a
                // consultant sees does not wait for 600 KiB it does not need to see it.
                // The server writes the framework's resource hints inert
                // (`AFTER_PAINT_ATTR`); this script turns them back into hints once the
                // page has painted, just before the hydration script (also deferred to
                // idle time) imports the app.
                <script nonce=leptos::nonce::use_nonce()>{RESTORE_HINTS}</script>
                <HydrationScripts options defer=true/>
                <MetaTags/>
            </head>
            <body data-csr=offline_shell.then_some("")>
                {(!offline_shell).then(|| view! { <App/> })}
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_lang();
    crate::session::provide_session();
    offline::provide_offline();
    let lang = use_lang();
    let engine = offline::use_offline();
    let session = crate::session::use_session();
    // Effects run only in the browser; the engine starts once the page has hydrated
    // (its copy of the caseload would otherwise change the page being hydrated).
    Effect::new(move |_| {
        if hydration::done() {
            engine.start();
        }
    });
    Effect::new(move |_| {
        if let Some(answer) = session.0.get() {
            engine.on_session(answer);
        }
    });

    view! {
        <Html attr:lang=move || lang.get().tag()/>
        <Title text=tr("app.name")/>
        <Router>
            <layout::Layout>
                <Routes fallback=|| view! { <p class="notice">{tr("app.not_found")}</p> }>
                    <Route path=path!("/login") view={Lazy::<routes::Login>::new()}/>
                    <Route path=path!("/setup") view={Lazy::<routes::FirstRun>::new()}/>
                    <Route path=path!("/admin") view={Lazy::<routes::Admin>::new()}/>
                    <Route path=path!("/deklaracja-dostepnosci") view={Lazy::<routes::Accessibility>::new()}/>
                    <Route path=path!("/") view={Lazy::<routes::Caseload>::new()}/>
                    <Route path=path!("/clients") view={Lazy::<routes::ClientList>::new()}/>
                    <Route path=path!("/clients/new") view={Lazy::<routes::NewClient>::new()}/>
                    <Route path=path!("/clients/:id") view={Lazy::<routes::ClientCard>::new()}/>
                    <Route path=path!("/clients/:id/edit") view={Lazy::<routes::EditClient>::new()}/>
                    <Route path=path!("/clients/:id/print/:doc") view={Lazy::<routes::PrintDocument>::new()}/>
                    <Route path=path!("/clients/:id/personal-data") view={Lazy::<routes::PersonalData>::new()}/>
                    <Route path=path!("/clients/:id/clause") view={Lazy::<routes::InformationClause>::new()}/>
                    <Route path=path!("/audit") view={Lazy::<routes::Audit>::new()}/>
                    <Route path=path!("/breaches") view={Lazy::<routes::Breaches>::new()}/>
                    <Route path=path!("/disposal") view={Lazy::<routes::Disposal>::new()}/>
                    <Route path=path!("/account") view={Lazy::<routes::Account>::new()}/>
                    <Route path=path!("/device") view={Lazy::<routes::Device>::new()}/>
                    <Route path=path!("/devices") view={Lazy::<routes::Devices>::new()}/>
                    <Route path=path!("/people") view={Lazy::<routes::People>::new()}/>
                    <Route path=path!("/import") view={Lazy::<routes::Import>::new()}/>
                    <Route path=path!("/people/:id/authorisation") view={Lazy::<routes::AuthorisationPrint>::new()}/>
                    <Route path=path!("/konto/:token") view={Lazy::<routes::AccountLink>::new()}/>
                    <Route path=path!("/nie-pamietam-hasla") view={Lazy::<routes::ForgottenPassword>::new()}/>
                    <Route path=path!("/offline") view={Lazy::<routes::OfflineShell>::new()}/>
                    <Route path=path!("/dashboard") view={Lazy::<routes::Dashboard>::new()}/>
                    <Route path=path!("/reports") view={Lazy::<routes::Reports>::new()}/>
                    <Route path=path!("/partnership") view={Lazy::<routes::Partnership>::new()}/>
                    <Route path=path!("/surveys") view={Lazy::<routes::Surveys>::new()}/>
                    <Route path=path!("/surveys/:id") view={Lazy::<routes::SurveyResults>::new()}/>
                    <Route path=path!("/surveys/:id/slips") view={Lazy::<routes::SurveySlips>::new()}/>
                    <Route path=path!("/kiosk/:token") view={Lazy::<routes::Kiosk>::new()}/>
                </Routes>
            </layout::Layout>
        </Router>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The script finds and clears the attribute the server writes.
    #[test]
    fn the_restoring_script_reads_the_attribute_the_server_writes() {
        assert!(RESTORE_HINTS.contains(&format!("link[{AFTER_PAINT_ATTR}]")));
        assert!(RESTORE_HINTS.contains(&format!("removeAttribute(\"{AFTER_PAINT_ATTR}\")")));
        assert_eq!(AFTER_PAINT_ATTR, "data-after-paint", "read as `dataset.afterPaint`");
    }
}
