//! Small pieces shared by the pages: a labelled field with its error, the client table,
//! and the loading and error states.

use domain::api::ClientSummary;
use domain::validation::{format_iso_date, FieldError};
use leptos::prelude::*;

use crate::api::{ApiError};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};

/// The error for `name`, if any, from a list of field errors.
pub fn error_for(errors: &[FieldError], name: &str) -> Option<String> {
    let pointer = format!("/{name}");
    errors.iter().find(|e| e.pointer == pointer).map(|e| e.message.clone())
}

/// A labelled input whose error is announced and tied to it for screen readers.
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
    let error = Memo::new(move |_| errors.with(|e| error_for(e, name)));
    let err_id = format!("{name}-error");
    let hint_id = format!("{name}-hint");
    let described = {
        let (err_id, hint_id) = (err_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(err_id.clone());
            }
            ids.join(" ")
        }
    };
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{tr(label)}{required.then_some(" *")}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{tr(h)}</p> })}
            <input
                id=name
                name=name
                type=input_type
                autocomplete=autocomplete.unwrap_or("off")
                inputmode=inputmode
                aria-required=required.then_some("true")
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| set.run(event_target_value(&ev))
            />
            <p class="field-error" id=err_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

/// A labelled choice among fixed options; `options` are (value, i18n key).
#[component]
pub fn Choice(
    name: &'static str,
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] set: Callback<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    options: Vec<(String, String)>,
) -> impl IntoView {
    let error = Memo::new(move |_| errors.with(|e| error_for(e, name)));
    let err_id = format!("{name}-error");
    let lang = use_lang();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=name>{tr(label)}</label>
            <select
                id=name
                name=name
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=err_id.clone()
                on:change=move |ev| set.run(event_target_value(&ev))
                prop:value=move || value.get()
            >
                {options
                    .into_iter()
                    .map(|(v, key)| {
                        let selected_v = v.clone();
                        view! {
                            <option value=v selected=move || value.get() == selected_v>
                                {move || domain::i18n::t(lang.get(), &key).to_string()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="field-error" id=err_id aria-live="polite">{move || error.get()}</p>
        </div>
    }
}

#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="loading" role="status">{tr("app.loading")}</p> }
}

#[component]
pub fn ErrorNotice(error: ApiError) -> impl IntoView {
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
        <div class="table-wrap">
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
        </div>
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

/// The select of the partnerships the user steers (or, with `all`, belongs to).
#[component]
pub fn SteeredPicker(id: &'static str, chosen: RwSignal<Option<uuid::Uuid>>, #[prop(optional)] all: bool) -> impl IntoView {
    let session = use_session();
    let steered = move || {
        session.me().map(|m| m.memberships.into_iter().filter(|m| all || m.role.steers()).collect::<Vec<_>>()).unwrap_or_default()
    };
    view! {
        <div class="filters">
            <div class="field">
                <label for=id>{tr("clients.partnership")}</label>
                <select id=id on:change=move |ev| chosen.set(uuid::Uuid::parse_str(&event_target_value(&ev)).ok())>
                    <For each=steered key=|m| m.partnership_id let:m>
                        <option value=m.partnership_id.to_string()>{m.partnership_name}</option>
                    </For>
                </select>
            </div>
        </div>
    }
}
