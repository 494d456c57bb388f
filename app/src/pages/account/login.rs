use domain::api::{LoginRequest, Me};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::tr;

#[component]
pub fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<&'static str>);
    // A refusal the server explains itself (a lapsed authorisation), in the person's language.
    let refusal = RwSignal::new(None::<String>);
    let engine = crate::offline::use_offline();
    let login = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        async move {
            match api::post::<_, Me>("/api/v1/auth/login", &req).await {
                Ok(me) => {
                    // The password also wraps the drafts' key, so they open offline later.
                    if let Err(e) = engine.open(&me, Some(&req.password)).await {
                        leptos::logging::warn!("drafts not opened: {e}");
                    }
                    api::go_to(me.home());
                }
                Err(ApiError::TooManyRequests(_)) => error.set(Some("login.throttled")),
                Err(ApiError::Forbidden(why)) if !why.is_empty() => refusal.set(Some(why)),
                Err(_) => error.set(Some("login.failed")),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        refusal.set(None);
        login.dispatch(LoginRequest { email: email.get_untracked(), password: password.get_untracked() });
    };
    let lang = crate::i18n::use_lang();
    let error_text = move || refusal.get().or_else(|| error.get().map(|k| domain::i18n::t(lang.get(), k).to_string()));

    // A new installation has nobody to sign in yet: the way to its first run.
    let setup = LocalResource::new(|| api::get_anonymous::<domain::installation::SetupState>("/api/v1/setup"));
    let first_run = move || setup.get().and_then(Result::ok).is_some_and(|s| s.needed);

    view! {
        <section class="card narrow">
            <h1>{tr("login.title")}</h1>
            <Show when=first_run>
                <div class="notice" id="first-run-notice">
                    <p>{tr("login.first_run")}</p>
                    <a class="button" href="/setup">{tr("login.first_run_link")}</a>
                </div>
            </Show>
            <form on:submit=on_submit method="post" action="/login" novalidate>
                <div class="field">
                    <label for="email">{tr("login.email")}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">{tr("login.password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                <p class="form-error" role="alert">{error_text}</p>
                <button type="submit" disabled=move || login.pending().get()>{tr("login.submit")}</button>
            </form>
        </section>
    }
}
