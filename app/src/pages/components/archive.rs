//! A download locked with a password (issue 20): files that name people leave as a ZIP
//! archive encrypted with AES-256. The password travels in the request's body, never
//! in an address a log or the browser's history would keep, and leaves the screen
//! once the file is saved. The rule is `domain::archive`, which the server runs too.

use domain::archive::ArchiveRequest;
use domain::i18n::t;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::controls::TextControl;
use crate::pages::components::widgets::error_for;

/// The form: a password and a button; `url` is posted, the answer saved as `file`.
/// Its elements are `{id}-password`, `{id}-protected-download` and `{id}-protected-message`.
#[component]
pub fn LockedArchive(
    id: &'static str,
    #[prop(into)] url: Signal<String>,
    #[prop(into)] file: Signal<String>,
    /// Its heading is a section's own (h2) rather than under one (h3).
    #[prop(optional)]
    top: bool,
) -> impl IntoView {
    let lang = use_lang();
    let password = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let download = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = ArchiveRequest { password: password.get_untracked() };
        if let Err(e) = req.validate(lang.get_untracked()) {
            errors.set(e);
            crate::browser::focus_first(&format!("#{id}-password"));
            return;
        }
        errors.set(Vec::new());
        message.set(None);
        busy.set(true);
        let (url, file) = (url.get_untracked(), file.get_untracked());
        leptos::task::spawn_local(async move {
            let done = api::post_download(&url, &req, &file).await;
            busy.set(false);
            match done {
                Ok(()) => password.set(String::new()),
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                }
            }
        });
    };
    view! {
        <form id=format!("{id}-protected") class="locked-archive no-print" on:submit=download novalidate>
            {if top { view! { <h2>{tr("personal.protected")}</h2> }.into_any() } else { view! { <h3>{tr("personal.protected")}</h3> }.into_any() }}
            <TextControl id=format!("{id}-password") label=Signal::derive(move || t(lang.get(), "personal.password").to_string())
                value=password set=Callback::new(move |v| password.set(v)) input_type="password" autocomplete=Some("new-password")
                error=Signal::derive(move || error_for(&errors.get(), "password"))
                hint=Some(Signal::derive(move || t(lang.get(), "personal.password_hint").to_string()))/>
            <p role="status" id=format!("{id}-protected-message")>{move || message.get()}</p>
            <button type="submit" id=format!("{id}-protected-download") disabled=move || busy.get()>{tr("personal.protected_download")}</button>
        </form>
    }
}
