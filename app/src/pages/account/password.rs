use domain::api::PasswordChange;
use leptos::prelude::*;

use crate::pages::account::second_factor::SecondFactorCard;
use crate::pages::components::widgets::Field;
use crate::api;
use crate::i18n::{tr, use_lang};

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let message = RwSignal::new(None::<String>);
    let change = Action::new_local(move |req: &PasswordChange| {
        let req = req.clone();
        async move {
            match api::post::<_, ()>("/api/v1/auth/password", &req).await {
                Ok(()) => {
                    errors.set(Vec::new());
                    current.set(String::new());
                    new.set(String::new());
                    message.set(Some(domain::i18n::t(lang.get_untracked(), "account.password_changed").to_string()));
                }
                Err(e) => {
                    errors.set(e.field_errors());
                    message.set(Some(e.message()));
                }
            }
        }
    });
    view! {
        <h1>{tr("account.title")}</h1>
        <form class="card narrow" novalidate on:submit=move |ev| {
            ev.prevent_default();
            message.set(None);
            change.dispatch(PasswordChange { current_password: current.get_untracked(), new_password: new.get_untracked() });
        }>
            <Field name="current_password" label="account.current_password" input_type="password" autocomplete="current-password"
                value=current set=Callback::new(move |v| current.set(v)) errors=errors/>
            <Field name="new_password" label="account.new_password" input_type="password" autocomplete="new-password"
                value=new set=Callback::new(move |v| new.set(v)) errors=errors/>
            <p role="status">{move || message.get()}</p>
            <button type="submit">{tr("account.change_password")}</button>
        </form>
        <SecondFactorCard/>
    }
}
