//! The route table's pages, each loaded on its own.
//!
//! Every page is a lazy route: with `cargo leptos build --split` its code is a wasm
//! chunk of its own, fetched when the page is first opened (the server names the
//! chunks a page needs in `<link rel="preload">`, and the service worker keeps every
//! chunk of the current build for offline use). The first load then carries only what
//! all pages share: the framework, the layout, the offline engine and the labels.

use leptos::prelude::*;
use leptos_router::{lazy_route, LazyRoute};

use crate::pages;

/// Declares a lazy route for a page component without props. The route carries no
/// data of its own: every page loads what it shows through the offline engine or the
/// API, so `data()` has nothing to start before the chunk arrives.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {
        $(
        #[derive(Debug)]
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let $route = this;
                untrack(|| $page().into_any())
            }
        }
    )*

        /// Loads the chunk of the page the server rendered, before hydration starts:
        /// the page then hydrates at once, before anything (an answer from the
        /// network) can change what it shows. The server names the page's chunk in
        /// `<link rel="preload" href="…/split___{page}_view_….wasm">`.
        pub async fn preload_rendered() {
            let Some(href) = rendered_split() else { return };
            $(
                if href.contains(&format!("/split___{}_view_", snake(stringify!($route)))) {
                    return <$route as LazyRoute>::preload().await;
                }
            )*
        }
    };
}

/// The address of the page's own chunk among the server's preload links.
fn rendered_split() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let link = document.query_selector(r#"link[rel="preload"][href*="/split___"]"#).ok()??;
    link.get_attribute("href")
}

/// `ClientCard` → `client_card`: how wasm-split names a route's chunk.
fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

lazy_pages! {
    Login => pages::account::login::LoginPage,
    Accessibility => pages::about::AccessibilityPage,
    Caseload => pages::casework::caseload::CaseloadPage,
    ClientList => pages::casework::clients::ClientListPage,
    NewClient => pages::casework::client_form::NewClientPage,
    ClientCard => pages::casework::client_card::ClientCardPage,
    EditClient => pages::casework::client_form::EditClientPage,
    PrintDocument => pages::casework::docs::print::PrintPage,
    Audit => pages::coordination::audit::AuditPage,
    Account => pages::account::password::AccountPage,
    Device => pages::device::DevicePage,
    Devices => pages::coordination::devices::DevicesPage,
    People => pages::coordination::people::PeoplePage,
    AuthorisationPrint => pages::coordination::authorisation::AuthorisationPrintPage,
    AccountLink => pages::account::link::AccountLinkPage,
    OfflineShell => pages::device::OfflineShellPage,
    Dashboard => pages::coordination::dashboard::DashboardPage,
    Reports => pages::coordination::report::ReportsPage,
    Partnership => pages::partnership::PartnershipPage,
    Surveys => pages::survey::rounds::SurveysPage,
    SurveyResults => pages::survey::results::ResultsPage,
    SurveySlips => pages::survey::rounds::SlipsPage,
    Kiosk => pages::survey::respond::KioskPage,
}
