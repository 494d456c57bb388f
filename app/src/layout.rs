//! The frame around every page: skip link, header with navigation, language switch and
//! sign-out, and the redirect to sign-in when the session has ended.

use domain::people::FORGOTTEN_PATH as FORGOTTEN;
use domain::statement::PATH as STATEMENT;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self};
use crate::session::{use_session};
use crate::offline::use_offline;
use crate::pages::device::{SyncStatus, UnlockPanel};
use crate::i18n::{set_lang, tr, use_lang, Lang};

/// Focuses the page's heading once it is there (a page may render it when its data
/// arrives): tries each animation frame, then every 100 ms, `tries` times.
fn focus_heading(tries: u32) {
    request_animation_frame(move || {
        if !crate::browser::focus_first("main h1") && tries > 0 {
            set_timeout(move || focus_heading(tries - 1), std::time::Duration::from_millis(100));
        }
    });
}

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let location = use_location();
    let navigate = use_navigate();

    // The survey's respondents see the survey and nothing of the consultants' app:
    // no navigation, no sync state, no unlock prompt, no redirect to sign-in.
    // So does a person opening their invitation or reset link, before any account.
    let public = move || location.pathname.with(|p| p.starts_with("/kiosk/") || p.starts_with(domain::people::LINK_PATH));
    Effect::new(move |_| {
        // The sign-in page and the accessibility statement are for everyone.
        let open = matches!(location.pathname.get().as_str(), "/login" | "/setup" | FORGOTTEN | STATEMENT);
        if session.signed_out() && !open && !public() {
            navigate("/login", Default::default());
        }
    });

    // After a navigation inside the app, focus goes to the new page's heading: a screen
    // reader announces the page, and the next Tab starts at its top, not on a link of
    // the page left behind. Not on the first load (the browser's own), nor when only
    // the query changes (a tab of the same page: focus stays on the tab chosen).
    let visited = StoredValue::new(None::<String>);
    // On a tablet the navigation folds behind a menu button; following a link closes it.
    let menu_open = RwSignal::new(false);
    Effect::new(move |_| {
        let here = location.pathname.get();
        menu_open.set(false);
        let before = visited.get_value();
        visited.set_value(Some(here.clone()));
        if before.is_some_and(|b| b != here) {
            focus_heading(10);
        }
    });

    // Escape closes the open menu and returns focus to its button.
    Effect::new(move |_| {
        let handle = window_event_listener(leptos::ev::keydown, move |ev| {
            if ev.key() == "Escape" && menu_open.get_untracked() {
                menu_open.set(false);
                crate::browser::focus_first("#menu-toggle");
            }
        });
        on_cleanup(move || handle.remove());
    });

    let engine = use_offline();
    let logout_refused = RwSignal::new(false);
    let logout = Action::new_local(move |_: &()| async move {
        // Signing out must not strand changes that wait for the network.
        if engine.waiting() > 0 {
            logout_refused.set(true);
            return;
        }
        let _: Result<(), _> = api::post("/api/v1/auth/logout", &()).await;
        engine.lock_now().await;
        api::go_to("/login");
    });
    let steers = move || session.me().is_some_and(|m| m.steers_any());
    // A data protection officer sees the access log and their account, no clients.
    let works = move || session.me().is_some_and(|m| m.reads_clients_any());
    let reads_log = move || session.me().is_some_and(|m| m.reads_log_any());

    view! {
        <a class="skip" href="#content">{tr("app.skip")}</a>
        // Signed in, the header keeps a row for the sync status from the first render
        // on, so the page below does not move when the device's state arrives.
        <header class="top" class:signed-in=move || session.me().is_some() && !public()>
            <a class="brand" href="/">
                <span class="brand-name">{tr("app.name")}</span>
                <span class="brand-tag">{tr("app.tagline")}</span>
            </a>
            <Show when=move || session.me().is_some() && !public()>
                <nav id="main-nav" aria-label=tr("nav.main") class:open=move || menu_open.get()>
                    <Show when=works>
                        <A href="/">{tr("nav.caseload")}</A>
                        <A href="/clients" exact=true>{tr("nav.clients")}</A>
                        <A href="/clients/new">{tr("nav.new_client")}</A>
                    </Show>
                    <Show when=steers>
                        <A href="/dashboard">{tr("nav.dashboard")}</A>
                        <A href="/reports">{tr("nav.reports")}</A>
                    </Show>
                    <Show when=reads_log>
                        <A href="/audit">{tr("nav.audit")}</A>
                        <A href="/breaches">{tr("nav.breaches")}</A>
                        <A href="/disposal">{tr("nav.disposal")}</A>
                    </Show>
                    <Show when=steers>
                        <A href="/devices">{tr("nav.devices")}</A>
                        <A href="/people">{tr("nav.people")}</A>
                        <A href="/import">{tr("nav.import")}</A>
                    </Show>
                    <Show when=works>
                        <A href="/partnership">{tr("nav.partnership")}</A>
                        <A href="/surveys">{tr("nav.surveys")}</A>
                        <A href="/device">{tr("nav.device")}</A>
                    </Show>
                    <Show when=move || session.me().is_some_and(|m| m.installation_admin)>
                        <A href="/admin">{tr("nav.admin")}</A>
                    </Show>
                    <A href="/account">{tr("nav.account")}</A>
                </nav>
            </Show>
            <Show when=move || !public()><SyncStatus/></Show>
            <div class="top-actions">
                <Show when=move || session.me().is_some() && !public()>
                    <button type="button" class="secondary menu-toggle" id="menu-toggle" aria-controls="main-nav"
                        aria-expanded=move || menu_open.get().to_string()
                        on:click=move |_| menu_open.update(|open| *open = !*open)>
                        {tr("nav.menu")}
                    </button>
                </Show>
                <button
                    type="button"
                    class="secondary"
                    id="lang-toggle"
                    // The visible name, in the language it names (WCAG 2.5.3); the
                    // title says what it does.
                    title=tr("nav.language_label")
                    lang=move || if lang.get() == Lang::Pl { "en" } else { "pl" }
                    on:click=move |_| set_lang(if lang.get_untracked() == Lang::Pl { Lang::En } else { Lang::Pl })
                >
                    {tr("nav.language")}
                </button>
                <Show when=move || session.me().is_some() && !public()>
                    <span class="who">{move || session.me().map(|m| m.display_name).unwrap_or_default()}</span>
                    <button type="button" class="secondary" id="logout" on:click=move |_| { logout.dispatch(()); }>
                        {tr("nav.logout")}
                    </button>
                </Show>
            </div>
        </header>
        <main id="content" tabindex="-1">
            {move || logout_refused.get().then(|| view! {
                <p class="notice warn" role="alert" id="logout-refused">{tr("nav.logout_refused")}</p>
            })}
            <Show when=move || !public()><UnlockPanel/></Show>
            {children()}
        </main>
        <footer class="site-footer">
            <a class="link-target" href=STATEMENT id="statement-link">{tr("footer.accessibility")}</a>
        </footer>
    }
}
