#![recursion_limit = "512"]
//! Ścieżka's user interface: rendered on the server, hydrated in the browser.
//! Data comes from the JSON API (`/api/v1`) in the browser, the same API every other
//! client uses, so the offline engine can later sit between the two.

pub mod api;
pub mod browser;
pub mod i18n;
mod layout;
pub mod offline;
mod pages;
#[cfg(feature = "ssr")]
pub use pages::survey::phone;
pub mod session;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Html, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path,
};

use crate::i18n::{provide_lang, tr, use_lang};

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
                <HydrationScripts options/>
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
    // Effects run only in the browser: the engine starts after hydration.
    Effect::new(move |_| engine.start());
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
                    <Route path=path!("/login") view=pages::account::login::LoginPage/>
                    <Route path=path!("/deklaracja-dostepnosci") view=pages::about::AccessibilityPage/>
                    <Route path=path!("/") view=pages::casework::caseload::CaseloadPage/>
                    <Route path=path!("/clients") view=pages::casework::clients::ClientListPage/>
                    <Route path=path!("/clients/new") view=pages::casework::client_form::NewClientPage/>
                    <Route path=path!("/clients/:id") view=pages::casework::client_card::ClientCardPage/>
                    <Route path=path!("/clients/:id/edit") view=pages::casework::client_form::EditClientPage/>
                    <Route path=path!("/clients/:id/print/:doc") view=pages::casework::docs::print::PrintPage/>
                    <Route path=path!("/audit") view=pages::coordination::audit::AuditPage/>
                    <Route path=path!("/account") view=pages::account::password::AccountPage/>
                    <Route path=path!("/device") view=pages::device::DevicePage/>
                    <Route path=path!("/devices") view=pages::coordination::devices::DevicesPage/>
                    <Route path=path!("/people") view=pages::coordination::people::PeoplePage/>
                    <Route path=path!("/people/:id/authorisation") view=pages::coordination::authorisation::AuthorisationPrintPage/>
                    <Route path=path!("/konto/:token") view=pages::account::link::AccountLinkPage/>
                    <Route path=path!("/offline") view=pages::device::OfflineShellPage/>
                    <Route path=path!("/dashboard") view=pages::coordination::dashboard::DashboardPage/>
                    <Route path=path!("/reports") view=pages::coordination::report::ReportsPage/>
                    <Route path=path!("/partnership") view=pages::partnership::PartnershipPage/>
                    <Route path=path!("/surveys") view=pages::survey::rounds::SurveysPage/>
                    <Route path=path!("/surveys/:id") view=pages::survey::results::ResultsPage/>
                    <Route path=path!("/surveys/:id/slips") view=pages::survey::rounds::SlipsPage/>
                    <Route path=path!("/kiosk/:token") view=pages::survey::respond::KioskPage/>
                </Routes>
            </layout::Layout>
        </Router>
    }
}
