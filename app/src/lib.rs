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

/// The compiled front end's addresses (content-hashed in a release build), which the
/// server reads from the build's `hash.txt`.
#[derive(Clone, Debug)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

/// The attribute that holds a resource hint's `rel` until the page has painted: the
/// shell writes the app's hints so, and the server rewrites the chunk hints Leptos's
/// router adds to the head (`<link rel="preload" …>`) the same way.
pub const AFTER_PAINT_ATTR: &str = "data-after-paint";

/// Starts the app once the page has painted its content (the first contentful paint;
/// a page that cannot paint, such as a tab opened in the background, starts after 3 s):
/// makes the held hints real, so the page's chunks download beside the app, then
/// imports the app and hydrates the page. The offline shell has nothing to paint
/// before the app draws it, so it starts as soon as the document is read.
fn start_script(assets: &Assets, at_once: bool) -> String {
    let js = serde_json::to_string(&assets.js).unwrap_or_default();
    let wasm = serde_json::to_string(&assets.wasm).unwrap_or_default();
    format!(
        r#"(function(js,wasm,atOnce){{var started=false;function start(){{if(started)return;started=true;for(const l of document.querySelectorAll("link[data-after-paint]")){{const n=l.cloneNode();n.rel=l.dataset.afterPaint;n.removeAttribute("data-after-paint");l.replaceWith(n)}}import(js).then(m=>m.default({{module_or_path:wasm}}).then(()=>m.hydrate()))}}if(atOnce){{document.addEventListener("DOMContentLoaded",start);return}}try{{new PerformanceObserver(function(list,o){{if(list.getEntriesByName("first-contentful-paint").length){{o.disconnect();start()}}}}).observe({{type:"paint",buffered:true}})}}catch(e){{}}setTimeout(start,3000)}})({js},{wasm},{at_once})"#
    )
}

/// The HTML document around the app, rendered by the server only.
pub fn shell(options: LeptosOptions, assets: Assets) -> impl IntoView {
    // `/offline` is the shell the service worker keeps for pages it cannot fetch: no
    // server-rendered body (and no personal data), rendered in the browser instead.
    let offline_shell = use_context::<http::request::Parts>().is_some_and(|p| p.uri.path() == "/offline");
    // Called for what it provides, not for its markup: the build's chunk manifest,
    // from which the router names the page's chunks in the head. The app's own hints
    // and its start are the shell's (`start_script`): Leptos's start the download
    // while the browser reads the head, before anything is on screen.
    let _ = HydrationScripts(HydrationScriptsProps::builder().options(options).build());
    let nonce = leptos::nonce::use_nonce();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <link rel="stylesheet" href=assets.css.clone()/>
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
                // The app (its JS, its wasm, the page's chunks: 600 KiB) is fetched after
                // the page has painted: on a slow link the HTML and the stylesheet paint
                // first, with the line to themselves.
                <link data-after-paint="modulepreload" href=assets.js.clone() crossorigin=""/>
                <link data-after-paint="preload" href=assets.wasm.clone() r#as="fetch" r#type="application/wasm" crossorigin=""/>
                <script nonce=nonce>{start_script(&assets, offline_shell)}</script>
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

    fn assets() -> Assets {
        Assets { css: "/pkg/a.1.css".into(), js: "/pkg/a.2.js".into(), wasm: "/pkg/a.3.wasm".into() }
    }

    /// The script finds and clears the attribute the shell and the server write, and
    /// starts the build's own files.
    #[test]
    fn the_start_script_restores_the_held_hints_and_imports_the_build() {
        let script = start_script(&assets(), false);
        assert!(script.contains(&format!("link[{AFTER_PAINT_ATTR}]")));
        assert!(script.contains(&format!("removeAttribute(\"{AFTER_PAINT_ATTR}\")")));
        assert_eq!(AFTER_PAINT_ATTR, "data-after-paint", "read as `dataset.afterPaint`");
        assert!(script.ends_with(r#"})("/pkg/a.2.js","/pkg/a.3.wasm",false)"#), "{script}");
        assert!(script.contains("first-contentful-paint"));
        assert!(start_script(&assets(), true).ends_with(",true)"));
    }
}
