//! The route table's pages, loaded by area.
//!
//! Every page is a lazy route: with `cargo leptos build --split` the pages of one area
//! are a wasm chunk of their own, fetched when the first of them is opened (the server
//! names a page's chunks in resource hints made real after the first paint, see
//! `AFTER_PAINT_ATTR`, and the service worker keeps every
//! chunk of the build for offline use). The first load carries only what all pages
//! share (the framework, the layout, the offline engine and the labels) and the area
//! of the page opened. Areas group what one person opens together; one chunk per page
//! made the card need 327 files, whose fetching and instantiation cost more than the
//! bytes they saved.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::pages;

/// Declares, for each area, the lazy routes of its pages (components without props).
/// A route carries no data of its own: every page loads what it shows through the
/// offline engine or the API, so `data()` has nothing to start before the chunk.
macro_rules! lazy_areas {
    ($($area:ident { $($route:ident in $module:ident => $page:path),* $(,)? })*) => {
        $($(
            #[derive(Debug)]
            pub struct $route;

            mod $module {
                use super::*;

                // In the browser's build the area's pages share one split module,
                // named after the area; on the server the page is rendered directly
                // and the area is named among the page's preloads.
                #[cfg(feature = "hydrate")]
                #[leptos::wasm_split::wasm_split($area, wasm_split_path = ::leptos::wasm_split, preload(#[doc(hidden)] preload))]
                pub fn $module() -> AnyView {
                    untrack(|| $page().into_any())
                }

                #[cfg(not(feature = "hydrate"))]
                pub async fn $module() -> AnyView {
                    leptos::prefetch_lazy_fn_on_server(stringify!($area));
                    untrack(|| $page().into_any())
                }

                #[cfg(not(feature = "hydrate"))]
                pub async fn preload() {}
            }

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    $module::$module().await
                }

                async fn preload() {
                    $module::preload().await;
                }
            }
        )*)*

        /// Loads the chunk of the page the server rendered, before hydration starts:
        /// the page then hydrates at once, before anything (an answer from the
        /// network) can change what it shows. The server names the area's chunk in a
        /// resource hint, `<link … href="…/split_{area}.….wasm">`.
        pub async fn preload_rendered() {
            let Some(href) = rendered_split() else { return };
            $(
                if href.contains(concat!("/split_", stringify!($area), ".")) {
                    // Every page of the area loads the same chunk (once).
                    $( <$route as LazyRoute>::preload().await; )*
                    return;
                }
            )*
        }
    };
}

/// The address of the page's own chunk among the server's resource hints, whether
/// they are still held (`data-after-paint`) or already made real (`rel="preload"`).
fn rendered_split() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let link = document.query_selector(r#"link[href*="/split_"][href$=".wasm"]"#).ok()??;
    link.get_attribute("href")
}

lazy_areas! {
    // The sign-in page is the first load of everyone on a new device, so its area holds
    // only it and the accessibility statement it links to; every other account page
    // (opened by a link, rarely, or once per installation) is an area of its own.
    entry {
        Login in login_page => pages::account::login::LoginPage,
        Accessibility in accessibility_page => pages::about::AccessibilityPage,
    }
    account {
        AccountLink in account_link_page => pages::account::link::AccountLinkPage,
        ForgottenPassword in forgotten_password_page => pages::account::forgotten::ForgottenPasswordPage,
        Account in account_page => pages::account::password::AccountPage,
        FirstRun in first_run_page => pages::admin::setup::FirstRunPage,
    }
    lists {
        Caseload in caseload_page => pages::casework::caseload::CaseloadPage,
        ClientList in client_list_page => pages::casework::clients::ClientListPage,
    }
    card {
        ClientCard in client_card_page => pages::casework::client_card::ClientCardPage,
        NewClient in new_client_page => pages::casework::client_form::NewClientPage,
        EditClient in edit_client_page => pages::casework::client_form::EditClientPage,
        PrintDocument in print_document_page => pages::casework::docs::print::PrintPage,
    }
    coordination {
        Dashboard in dashboard_page => pages::coordination::dashboard::DashboardPage,
        Reports in reports_page => pages::coordination::report::ReportsPage,
        Audit in audit_page => pages::coordination::audit::AuditPage,
        Breaches in breaches_page => pages::coordination::breaches::BreachesPage,
        Disposal in disposal_page => pages::coordination::disposal::DisposalPage,
        PersonalData in personal_data_page => pages::coordination::personal_data::PersonalDataPage,
        Devices in devices_page => pages::coordination::devices::DevicesPage,
        People in people_page => pages::coordination::people::PeoplePage,
        Import in import_page => pages::coordination::import::ImportPage,
        AuthorisationPrint in authorisation_print_page => pages::coordination::authorisation::AuthorisationPrintPage,
    }
    partnership {
        Partnership in partnership_page => pages::partnership::PartnershipPage,
    }
    // Printed once per client, at registration: its own chunk, nothing else grows.
    clause {
        InformationClause in clause_page => pages::casework::clause::ClausePage,
    }
    surveys {
        Surveys in surveys_page => pages::survey::rounds::SurveysPage,
        SurveyResults in survey_results_page => pages::survey::results::ResultsPage,
        SurveySlips in survey_slips_page => pages::survey::rounds::SlipsPage,
        Kiosk in kiosk_page => pages::survey::respond::KioskPage,
    }
    administration {
        Admin in admin_page => pages::admin::installation::AdminPage,
    }
    device {
        Device in device_page => pages::device::DevicePage,
        OfflineShell in offline_shell_page => pages::device::OfflineShellPage,
    }
}
