//! Small pieces shared by the pages: a labelled field with its error, the client table,
//! and the loading and error states.

use domain::api::ClientSummary;
use domain::people::Handover;
use domain::validation::{format_iso_date, FieldError};
use leptos::prelude::*;

use super::controls::{SelectControl, TextControl};
use crate::api::ApiError;
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};

/// A table that may be wider than the screen. It scrolls inside itself, never the page;
/// a keyboard can reach and scroll it (WCAG 2.1.1), a screen reader hears its name, and
/// shading at an edge shows that more lies that way (style.css, `.table-wrap`).
#[component]
pub fn TableScroll(#[prop(into)] label: TextProp, children: Children) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=move || label.get()>
            {children()}
        </div>
    }
}

/// The error for `name`, if any, from a list of field errors.
pub fn error_for(errors: &[FieldError], name: &str) -> Option<String> {
    let pointer = format!("/{name}");
    errors.iter().find(|e| e.pointer == pointer).map(|e| e.message.clone())
}

/// A labelled input bound to a signal, its error found by `name` in `errors`.
#[component]
pub fn Field(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = false)] required: bool,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] hint: Option<&'static str>,
) -> impl IntoView {
    let error = Signal::derive(move || errors.with(|e| error_for(e, name)));
    let hint = hint.map(|h| Signal::derive(tr(h)));
    view! {
        <TextControl id=name name=Some(name) label=Signal::derive(tr(label)) value set error input_type required autocomplete inputmode hint/>
    }
}

/// A labelled choice among fixed options bound to a signal; `options` are (value, i18n key).
#[component]
pub fn Choice(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let error = Signal::derive(move || errors.with(|e| error_for(e, name)));
    let lang = use_lang();
    let options = Signal::derive(move || options.iter().map(|(v, key)| (v.clone(), domain::i18n::t(lang.get(), key).to_string())).collect::<Vec<_>>());
    view! { <SelectControl id=name name=Some(name) label=Signal::derive(tr(label)) value set error options/> }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{tr("app.loading")}</p> }
}

#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
    if matches!(error, ApiError::Unreachable) {
        // Not an error of the person's or the app's: the network. Said plainly, once.
        return view! { <div class="notice warn" role="status"><p>{error.message()}</p></div> }.into_any();
    }
    let text = match &error {
        ApiError::NotFound => None,
        e => Some(e.message()),
    };
    let title = if text.is_none() { tr("app.not_found") } else { tr("app.error") };
    view! {
        <div class="notice error" role="alert">
            <p>{title}</p>
            {text.clone().map(|t| view! { <p>{t}</p> })}
        </div>
    }
    .into_any()
}

pub fn work_form_key(w: domain::client::WorkForm) -> &'static str {
    match w {
        domain::client::WorkForm::Individual => "client.work_form.individual",
        domain::client::WorkForm::Group => "client.work_form.group",
        domain::client::WorkForm::ESupport => "client.work_form.e_support",
    }
}

#[component]
pub fn ClientTable(clients: Vec<ClientSummary>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <TableScroll label=tr("clients.table")>
            <table class="clients">
                <thead>
                    <tr>
                        <th scope="col">{tr("clients.col.name")}</th>
                        <th scope="col">{tr("clients.col.pesel")}</th>
                        <th scope="col">{tr("clients.col.birth_date")}</th>
                        <th scope="col">{tr("clients.col.city")}</th>
                        <th scope="col">{tr("clients.col.work_form")}</th>
                        <th scope="col">{tr("clients.col.consultant")}</th>
                    </tr>
                </thead>
                <tbody>
                    {clients
                        .into_iter()
                        .map(|c| {
                            let wf = work_form_key(c.work_form);
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=format!("/clients/{}", c.id)>{c.display_name}</a>
                                    </th>
                                    <td>{c.pesel}</td>
                                    <td>{format_iso_date(&c.birth_date)}</td>
                                    <td>{c.city}</td>
                                    <td>{move || domain::i18n::t(lang.get(), wf).to_string()}</td>
                                    <td>{c.key_consultant_name}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

/// The partnership a coordinator's page is about: chosen in the select, by default
/// the first one the user steers.
pub fn steered_partnership(chosen: RwSignal<Option<uuid::Uuid>>) -> impl Fn() -> Option<uuid::Uuid> + Copy + Send + Sync + 'static {
    let session = use_session();
    move || {
        chosen.get().or_else(|| session.me().and_then(|m| m.memberships.into_iter().find(|m| m.role.steers()).map(|m| m.partnership_id)))
    }
}

/// The partnership whose access log is shown: the one chosen, or the first whose log
/// the user reads (steering it, or as its data protection officer).
pub fn log_partnership(chosen: RwSignal<Option<uuid::Uuid>>) -> impl Fn() -> Option<uuid::Uuid> + Copy + Send + Sync + 'static {
    let session = use_session();
    move || {
        chosen.get().or_else(|| session.me().and_then(|m| m.memberships.into_iter().find(|m| m.role.reads_access_log()).map(|m| m.partnership_id)))
    }
}

/// The select of the partnerships the user steers (or, with `all`, belongs to).
#[component]
pub fn SteeredPicker(id: &'static str, chosen: RwSignal<Option<uuid::Uuid>>, #[prop(optional)] all: bool, #[prop(optional)] log: bool) -> impl IntoView {
    let session = use_session();
    let steered = move || {
        session
            .me()
            .map(|m| m.memberships.into_iter().filter(|m| all || m.role.steers() || (log && m.role.reads_access_log())).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    view! {
        <div class="filters">
            <div class="field">
                <label for=id>{tr("clients.partnership")}</label>
                <select id=id on:change=move |ev| chosen.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok())>
                    <For each=steered key=|m| m.partnership_id let:m>
                        <option value=m.partnership_id.to_string() selected=move || chosen.get() == Some(m.partnership_id)>{m.partnership_name}</option>
                    </For>
                </select>
            </div>
        </div>
    }
}

/// The link to hand over, once, with when it stops working.
#[component]
pub fn HandoverNotice(handover: Handover) -> impl IntoView {
    // Sent by e-mail: nobody but the person sees the link.
    if handover.emailed {
        return view! {
            <div class="notice" role="status" id="handover">
                <p><strong>{handover.person.display_name.clone()}</strong>": " {tr("people.emailed")} " " <strong>{handover.person.email.clone()}</strong></p>
                <p class="hint">{tr("people.expires")} " " {handover.expires.clone()}</p>
            </div>
        }
        .into_any();
    }
    let origin = web_origin();
    let link = format!("{origin}{}", handover.link);
    view! {
        <div class="notice" role="alert" id="handover">
            {handover.mail_failed.then(|| view! { <p id="mail-failed">{tr("people.mail_failed")}</p> })}
            <p><strong>{handover.person.display_name.clone()}</strong>": " {tr("people.handover")}</p>
            <label for="handover-link">{tr("people.link")}</label>
            <input id="handover-link" type="text" readonly value=link.clone() on:focus=move |ev| {
                if let Some(input) = leptos::wasm_bindgen::JsCast::dyn_ref::<web_sys::HtmlInputElement>(&event_target::<web_sys::EventTarget>(&ev)) { input.select(); }
            }/>
            <p class="hint">{tr("people.expires")} " " {handover.expires.clone()}</p>
        </div>
    }
    .into_any()
}

pub fn web_origin() -> String {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        String::new()
    }
}
