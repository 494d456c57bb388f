//! The frame around every page: skip link, header with navigation, language switch and
//! sign-out, and the redirect to sign-in when the session has ended.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};

use crate::api::{self};
use crate::session::{use_session};
use crate::offline::use_offline;
use crate::pages::device::{SyncStatus, UnlockPanel};
use crate::i18n::{set_lang, tr, use_lang, Lang};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let location = use_location();
    let navigate = use_navigate();

    // The survey's respondents see the survey and nothing of the consultants' app:
    // no navigation, no sync state, no unlock prompt, no redirect to sign-in.
    let public = move || location.pathname.with(|p| p.starts_with("/kiosk/"));
    Effect::new(move |_| {
        if session.signed_out() && location.pathname.get() != "/login" && !public() {
            navigate("/login", Default::default());
        }
    });

    // Effects run only in the browser after hydration: this marks a page that is
    // interactive, for people's assistive tools and for the browser tests alike.
    Effect::new(move |_| api::mark_hydrated());

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

    view! {
        <a class="skip" href="#content">{tr("app.skip")}</a>
        <header class="top">
            <a class="brand" href="/">
                <span class="brand-name">{tr("app.name")}</span>
                <span class="brand-tag">{tr("app.tagline")}</span>
            </a>
            <Show when=move || session.me().is_some() && !public()>
                <nav aria-label=tr("nav.main")>
                    <A href="/">{tr("nav.caseload")}</A>
                    <A href="/clients" exact=true>{tr("nav.clients")}</A>
                    <A href="/clients/new">{tr("nav.new_client")}</A>
                    <Show when=steers>
                        <A href="/dashboard">{tr("nav.dashboard")}</A>
                        <A href="/reports">{tr("nav.reports")}</A>
                        <A href="/audit">{tr("nav.audit")}</A>
                        <A href="/devices">{tr("nav.devices")}</A>
                    </Show>
                    <A href="/partnership">{tr("nav.partnership")}</A>
                    <A href="/surveys">{tr("nav.surveys")}</A>
                    <A href="/device">{tr("nav.device")}</A>
                    <A href="/account">{tr("nav.account")}</A>
                </nav>
            </Show>
            <Show when=move || !public()><SyncStatus/></Show>
            <div class="top-actions">
                <button
                    type="button"
                    class="secondary"
                    id="lang-toggle"
                    aria-label=tr("nav.language_label")
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
    }
}
