//! Sign-in: the password, then, where the installation asks for it, the second factor.
//! An account that has none yet adds an authenticator app here (a QR code and its key
//! to type), and sees its ten recovery codes once.

use domain::api::{LoginRequest, Me, SecondFactorEnrolment};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::pages::account::second_factor::RecoveryCodeList;
use crate::i18n::tr;

/// Where the sign-in stands.
#[derive(Clone, PartialEq)]
enum Step {
    Password,
    /// The account has a second factor: its code is asked for.
    Code,
    /// The account must add one: the app's secret is shown.
    Enrol(SecondFactorEnrolment),
    /// Signed in with a new second factor: the recovery codes, shown once.
    Codes(Vec<String>, &'static str),
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let step = RwSignal::new(Step::Password);
    let error = RwSignal::new(None::<&'static str>);
    // A refusal the server explains itself (a lapsed authorisation, a wrong code), in
    // the person's language.
    let refusal = RwSignal::new(None::<String>);
    let engine = crate::offline::use_offline();
    let login = Action::new_local(move |req: &LoginRequest| {
        let req = req.clone();
        async move {
            match api::post::<_, Me>("/api/v1/auth/login", &req).await {
                Ok(me) => {
                    let codes = me.recovery_codes.clone();
                    let me = Me { recovery_codes: Vec::new(), ..me };
                    // The password also wraps the drafts' key, so they open offline later.
                    if let Err(e) = engine.open(&me, Some(&req.password)).await {
                        leptos::logging::warn!("drafts not opened: {e}");
                    }
                    if codes.is_empty() {
                        api::go_to(me.home());
                    } else {
                        step.set(Step::Codes(codes, me.home()));
                    }
                }
                Err(ApiError::TooManyRequests(_)) => error.set(Some("login.throttled")),
                Err(ApiError::Forbidden(why)) if !why.is_empty() => refusal.set(Some(why)),
                Err(ApiError::Invalid(errors, _)) => match errors.iter().find(|e| e.pointer == "/code") {
                    Some(e) if e.code == "second_factor_required" => step.set(Step::Code),
                    Some(e) if e.code == "second_factor_enrol" => {
                        let ask = LoginRequest { code: String::new(), ..req };
                        match api::post::<_, SecondFactorEnrolment>("/api/v1/auth/second-factor/enrolment", &ask).await {
                            Ok(enrolment) => step.set(Step::Enrol(enrolment)),
                            Err(e) => refusal.set(Some(e.message())),
                        }
                    }
                    Some(e) => {
                        code.set(String::new());
                        refusal.set(Some(e.message.clone()));
                    }
                    None => error.set(Some("login.failed")),
                },
                Err(_) => error.set(Some("login.failed")),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        refusal.set(None);
        login.dispatch(LoginRequest { email: email.get_untracked(), password: password.get_untracked(), code: code.get_untracked() });
    };
    let lang = crate::i18n::use_lang();
    let error_text = move || refusal.get().or_else(|| error.get().map(|k| domain::i18n::t(lang.get(), k).to_string()));

    // A new installation has nobody to sign in yet: the way to its first run.
    let setup = LocalResource::new(|| api::get_anonymous::<domain::installation::SetupState>("/api/v1/setup"));
    let first_run = move || setup.get().and_then(Result::ok).is_some_and(|s| s.needed);
    let asks_code = move || matches!(step.get(), Step::Code | Step::Enrol(_));

    view! {
        <section class="card narrow">
            {move || match step.get() {
                Step::Codes(codes, home) => view! {
                    <h1>{tr("login.codes_title")}</h1>
                    <p>{tr("login.codes_intro")}</p>
                    <RecoveryCodeList codes done_id="codes-continue" done_label="login.codes_continue" on_done=Callback::new(move |()| api::go_to(home))/>
                }.into_any(),
                Step::Enrol(e) => view! {
                    <h1>{tr("login.enrol_title")}</h1>
                    <p>{tr("login.enrol_intro")}</p>
                    <p>{tr("login.enrol_scan")}</p>
                    <div class="qr" role="img" aria-label=tr("login.enrol_qr") inner_html=e.qr_svg.clone()></div>
                    <p><code id="enrol-secret" class="secret">{e.secret.clone()}</code></p>
                    <p>{tr("login.enrol_type")}</p>
                }.into_any(),
                Step::Password | Step::Code => view! { <h1>{tr("login.title")}</h1> }.into_any(),
            }}
            <Show when=first_run>
                <div class="notice" id="first-run-notice">
                    <p>{tr("login.first_run")}</p>
                    <a class="button" href="/setup">{tr("login.first_run_link")}</a>
                </div>
            </Show>
            <form on:submit=on_submit method="post" action="/login" novalidate hidden=move || matches!(step.get(), Step::Codes(..))>
                <div class="field" hidden=asks_code>
                    <label for="email">{tr("login.email")}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required
                        prop:value=move || email.get()
                        on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field" hidden=asks_code>
                    <label for="password">{tr("login.password")}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        prop:value=move || password.get()
                        on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                <Show when=asks_code>
                    <div class="field">
                        <label for="code">{tr("login.code")}</label>
                        <input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required autofocus
                            aria-describedby="code-hint"
                            prop:value=move || code.get()
                            on:input=move |ev| code.set(event_target_value(&ev))/>
                        <p class="hint" id="code-hint">{tr("login.code_hint")}</p>
                    </div>
                </Show>
                <p class="form-error" role="alert">{error_text}</p>
                <button type="submit" disabled=move || login.pending().get()>
                    {move || if matches!(step.get(), Step::Enrol(_)) { domain::i18n::t(lang.get(), "login.enrol_submit").to_string() } else { domain::i18n::t(lang.get(), "login.submit").to_string() }}
                </button>
            </form>
            <p hidden=asks_code><a class="link-target" href=domain::people::FORGOTTEN_PATH id="forgot-link">{tr("login.forgot")}</a></p>
        </section>
    }
}
