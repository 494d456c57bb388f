//! The first run: on an empty database, from the server's own machine, the person
//! installing Ścieżka registers their organisation and makes their own administrator
//! account (their password typed by nobody else). Anywhere else the page says how.

use domain::installation::{FirstRun, OrganisationInput, SetupState};
use domain::org::OrgType;
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::admin::{flatten, org_type_options};
use crate::pages::components::widgets::{Choice, ErrorNotice, Field, Loading};

#[component]
pub fn FirstRunPage() -> impl IntoView {
    let lang = use_lang();
    // The secret of the first-run link `sciezka serve` printed, from the address.
    let query = leptos_router::hooks::use_query_map();
    let token = move || query.with_untracked(|q| q.get("token").unwrap_or_default());
    let state = LocalResource::new(move || {
        let t = token();
        async move { api::get_anonymous::<SetupState>(&format!("/api/v1/setup?token={}", urlencode(&t))).await }
    });
    let org_name = RwSignal::new(String::new());
    let org_type = RwSignal::new(OrgType::Ops.as_str().to_string());
    let seat = RwSignal::new(String::new());
    let regon = RwSignal::new(String::new());
    let nip = RwSignal::new(String::new());
    let krs = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let message = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let save = Action::new_local(move |run: &FirstRun| {
        let run = run.clone();
        async move {
            match api::post_anonymous::<_, SetupState>("/api/v1/setup", &run).await {
                Ok(_) => done.set(true),
                Err(e) => {
                    errors.set(flatten(e.field_errors()));
                    message.set(Some(e.message()));
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        message.set(None);
        let run = FirstRun {
            organisation: OrganisationInput {
                name: org_name.get_untracked(),
                org_type: OrgType::parse(&org_type.get_untracked()).unwrap_or_default(),
                seat: seat.get_untracked(),
                krs: krs.get_untracked(),
                regon: regon.get_untracked(),
                nip: nip.get_untracked(),
                retention_category: String::new(),
            },
            display_name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
            token: token(),
        };
        // The same rules the server runs; it checks them again.
        let mut list = run.validate(l).err().map(flatten).unwrap_or_default();
        if password.get_untracked() != repeat.get_untracked() {
            list.push(domain::validation::FieldError { pointer: "/repeat".into(), code: "repeat".into(), message: domain::i18n::t(l, "link.mismatch").to_string() });
        }
        errors.set(list.clone());
        if list.is_empty() {
            save.dispatch(run);
        } else {
            crate::browser::focus_first_error();
        }
    };
    view! {
        <section class="card narrow">
            <h1>{tr("setup.title")}</h1>
            {move || match state.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorNotice error=e/> }.into_any(),
                Some(Ok(_)) if done.get() => view! {
                    <p id="setup-done" role="status">{tr("setup.done")}</p>
                    <a class="button" href="/login">{tr("link.to_login")}</a>
                }.into_any(),
                Some(Ok(s)) if !s.needed => view! {
                    <p id="setup-not-needed">{tr("setup.not_needed")}</p>
                    <a class="button" href="/login">{tr("link.to_login")}</a>
                }.into_any(),
                Some(Ok(s)) if !s.allowed_here => view! {
                    <p id="setup-elsewhere">{tr("setup.elsewhere")}</p>
                    <pre class="command">"sciezka create-admin --email … --name … --organisation …"</pre>
                }.into_any(),
                Some(Ok(_)) => view! {
                    <p class="hint">{tr("setup.intro")}</p>
                    <form id="setup-form" novalidate on:submit=on_submit>
                        <fieldset>
                            <legend>{tr("setup.organisation")}</legend>
                            <Field name="organisation_name" label="admin.org_name" value=org_name set=Callback::new(move |v| org_name.set(v)) errors=errors required=true autocomplete="organization"/>
                            <Choice name="organisation_org_type" label="admin.org_type" value=org_type set=Callback::new(move |v| org_type.set(v)) errors=errors options=org_type_options()/>
                            <Field name="organisation_seat" label="admin.seat" value=seat set=Callback::new(move |v| seat.set(v)) errors=errors autocomplete="address-level2"/>
                            <Field name="organisation_regon" label="admin.regon" value=regon set=Callback::new(move |v| regon.set(v)) errors=errors inputmode="numeric"/>
                            <Field name="organisation_nip" label="admin.nip" value=nip set=Callback::new(move |v| nip.set(v)) errors=errors inputmode="numeric"/>
                            <Field name="organisation_krs" label="admin.krs" value=krs set=Callback::new(move |v| krs.set(v)) errors=errors inputmode="numeric" hint="admin.krs_hint"/>
                        </fieldset>
                        <fieldset>
                            <legend>{tr("setup.account")}</legend>
                            <Field name="display_name" label="people.name" value=name set=Callback::new(move |v| name.set(v)) errors=errors required=true autocomplete="name"/>
                            <Field name="email" label="people.email" input_type="email" value=email set=Callback::new(move |v| email.set(v)) errors=errors required=true autocomplete="username"/>
                            <Field name="password" label="link.password" input_type="password" value=password set=Callback::new(move |v| password.set(v)) errors=errors required=true autocomplete="new-password" hint="link.rules"/>
                            <Field name="repeat" label="link.repeat" input_type="password" value=repeat set=Callback::new(move |v| repeat.set(v)) errors=errors required=true autocomplete="new-password"/>
                        </fieldset>
                        <p class="form-error" role="alert" id="setup-message">{move || message.get()}</p>
                        <button type="submit" disabled=move || save.pending().get()>{tr("setup.save")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}

/// The token as a query value (it is URL-safe base64; anything else is escaped).
fn urlencode(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") }).collect()
}
