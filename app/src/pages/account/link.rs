//! The page of an invitation or reset link: the person chooses their own password.
//! The link works once and for 72 hours; a used or expired one says so and whom to ask.

use domain::people::{ChosenPassword, LinkInfo, LinkPurpose};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};
use crate::pages::components::widgets::{Field, Loading};

#[component]
pub fn AccountLinkPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let info = LocalResource::new(move || {
        let token = token();
        async move { api::get_anonymous::<LinkInfo>(&format!("/api/v1/account-links/{token}")).await }
    });
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let done = RwSignal::new(false);
    let choose = Action::new_local(move |chosen: &ChosenPassword| {
        let chosen = chosen.clone();
        let token = token();
        async move {
            match api::post_anonymous::<_, ()>(&format!("/api/v1/account-links/{token}"), &chosen).await {
                Ok(()) => done.set(true),
                Err(e) => {
                    let mut list = e.field_errors();
                    if list.is_empty() {
                        list.push(domain::validation::FieldError { pointer: "/password".into(), code: "link".into(), message: e.message() });
                    }
                    errors.set(list);
                    crate::browser::focus_first_error();
                }
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let l = lang.get_untracked();
        let (p, r) = (password.get_untracked(), repeat.get_untracked());
        // The same length rule the server applies; the server checks it again.
        let mut list = domain::people::check_password(l, "password", &p).err().unwrap_or_default();
        if p != r {
            list.push(domain::validation::FieldError { pointer: "/repeat".into(), code: "repeat".into(), message: domain::i18n::t(l, "link.mismatch").to_string() });
        }
        errors.set(list.clone());
        if list.is_empty() {
            choose.dispatch(ChosenPassword { password: p });
        } else {
            crate::browser::focus_first_error();
        }
    };
    view! {
        <section class="card narrow">
            {move || match info.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(ApiError::NotFound)) => view! {
                    <h1>{tr("link.title_gone")}</h1>
                    <p id="link-gone">{tr("link.gone")}</p>
                    <a class="button secondary" href="/login">{tr("link.to_login")}</a>
                }.into_any(),
                Some(Err(e)) => view! { <h1>{tr("link.title_gone")}</h1><p role="alert">{e.message()}</p> }.into_any(),
                Some(Ok(_)) if done.get() => view! {
                    <h1>{tr("link.title_done")}</h1>
                    <p id="link-done" role="status">{tr("link.done")}</p>
                    <a class="button" href="/login">{tr("link.to_login")}</a>
                }.into_any(),
                Some(Ok(i)) => view! {
                    <h1>{tr(if i.purpose == LinkPurpose::Invitation { "link.title_invitation" } else { "link.title_reset" })}</h1>
                    <p>{i.display_name.clone()} " — " <strong id="link-email">{i.email.clone()}</strong></p>
                    <p class="hint">{tr("link.rules")}</p>
                    <form id="link-form" novalidate on:submit=on_submit>
                        <Field name="password" label="link.password" input_type="password" autocomplete="new-password"
                            value=password set=Callback::new(move |v| password.set(v)) errors=errors required=true/>
                        <Field name="repeat" label="link.repeat" input_type="password" autocomplete="new-password"
                            value=repeat set=Callback::new(move |v| repeat.set(v)) errors=errors required=true/>
                        <button type="submit">{tr("link.save")}</button>
                    </form>
                }.into_any(),
            }}
        </section>
    }
}
