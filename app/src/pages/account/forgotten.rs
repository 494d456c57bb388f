//! "I forgot my password": the person asks for a reset link by e-mail. The answer is
//! the same whether or not the address has an account; an installation that sends no
//! e-mail says to ask a coordinator, who starts the reset.

use domain::people::{ForgottenPassword, ResetRequested};
use leptos::prelude::*;

use crate::api;
use crate::i18n::tr;
use crate::pages::components::widgets::Field;

#[component]
pub fn ForgottenPasswordPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let answer = RwSignal::new(None::<ResetRequested>);
    let failure = RwSignal::new(None::<String>);
    let ask = Action::new_local(move |req: &ForgottenPassword| {
        let req = req.clone();
        async move {
            match api::post_anonymous::<_, ResetRequested>("/api/v1/auth/forgotten-password", &req).await {
                Ok(a) => answer.set(Some(a)),
                Err(e) => failure.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failure.set(None);
        ask.dispatch(ForgottenPassword { email: email.get_untracked() });
    };
    view! {
        <section class="card narrow">
            <h1>{tr("login.forgot")}</h1>
            {move || match answer.get() {
                Some(a) => view! {
                    <p id="forgot-answer" role="status">{tr(if a.by_email { "forgot.sent" } else { "forgot.no_email" })}</p>
                }.into_any(),
                None => view! {
                    <p>{tr("forgot.intro")}</p>
                    <form id="forgot-form" novalidate on:submit=on_submit>
                        <Field name="email" label="login.email" input_type="email" autocomplete="username"
                            value=email set=Callback::new(move |v| email.set(v)) errors=errors required=true/>
                        <p class="form-error" role="alert">{move || failure.get()}</p>
                        <button type="submit" disabled=move || ask.pending().get()>{tr("forgot.submit")}</button>
                    </form>
                }.into_any(),
            }}
            <p><a class="link-target" href="/login">{tr("forgot.back")}</a></p>
        </section>
    }
}
