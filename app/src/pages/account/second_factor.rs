//! The person's own second factor on the account page: whether they sign in with a
//! code from an authenticator app and how many recovery codes are left; adding an app
//! the installation does not require (the password again, then the key as a QR code
//! and as text, then a code from the app), ten new recovery codes for a code from the
//! app, and switching off a factor the installation does not require.

use domain::api::{AppCode, PasswordConfirmation, RecoveryCodes, SecondFactorEnrolment, SecondFactorState};
use leptos::prelude::*;

use crate::api;
use crate::i18n::{tr, use_lang};
use crate::pages::components::widgets::Field;

/// What the card shows besides the state.
#[derive(Clone, PartialEq)]
enum Stage {
    Idle,
    /// The key was shown; a code from the app confirms it.
    Scanning(SecondFactorEnrolment),
    /// New recovery codes, shown this once.
    Codes(Vec<String>),
}

#[component]
pub fn SecondFactorCard() -> impl IntoView {
    let lang = use_lang();
    let state = LocalResource::new(|| api::get::<SecondFactorState>("/api/v1/auth/second-factor"));
    let stage = RwSignal::new(Stage::Idle);
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let message = RwSignal::new(None::<String>);

    let failed = move |e: api::ApiError| {
        errors.set(e.field_errors());
        message.set(Some(e.message()));
    };
    let clear = move || {
        errors.set(Vec::new());
        message.set(None);
        password.set(String::new());
        code.set(String::new());
    };
    let offer = Action::new_local(move |req: &PasswordConfirmation| {
        let req = req.clone();
        async move {
            match api::post::<_, SecondFactorEnrolment>("/api/v1/auth/second-factor/offer", &req).await {
                Ok(e) => {
                    clear();
                    stage.set(Stage::Scanning(e));
                }
                Err(e) => failed(e),
            }
        }
    });
    // Confirming a new app and renewing the codes both answer new recovery codes.
    let codes_from = Action::new_local(move |(path, req): &(&'static str, AppCode)| {
        let (path, req) = (*path, req.clone());
        async move {
            match api::post::<_, RecoveryCodes>(path, &req).await {
                Ok(r) => {
                    clear();
                    stage.set(Stage::Codes(r.recovery_codes));
                    state.refetch();
                }
                Err(e) => failed(e),
            }
        }
    });
    let remove = Action::new_local(move |req: &AppCode| {
        let req = req.clone();
        async move {
            match api::post::<_, ()>("/api/v1/auth/second-factor/removal", &req).await {
                Ok(()) => {
                    clear();
                    message.set(Some(domain::i18n::t(lang.get_untracked(), "account.factor_removed").to_string()));
                    state.refetch();
                }
                Err(e) => failed(e),
            }
        }
    });
    let busy = move || offer.pending().get() || codes_from.pending().get() || remove.pending().get();
    let app_code = move || AppCode { code: code.get_untracked() };
    let code_field = move || {
        view! {
            <Field name="code" label="account.factor_code" inputmode="numeric" autocomplete="one-time-code"
                value=code set=Callback::new(move |v| code.set(v)) errors=errors/>
        }
    };

    view! {
        <section class="card narrow" id="second-factor" aria-labelledby="second-factor-title">
            <h2 id="second-factor-title">{tr("account.factor_title")}</h2>
            {move || match (stage.get(), state.get()) {
                (Stage::Codes(codes), _) => view! {
                    <p>{tr("login.codes_intro")}</p>
                    <RecoveryCodeList codes done_id="codes-saved" done_label="account.codes_saved" on_done=Callback::new(move |()| stage.set(Stage::Idle))/>
                }.into_any(),
                (Stage::Scanning(e), _) => view! {
                    <p>{tr("login.enrol_scan")}</p>
                    <div class="qr" role="img" aria-label=tr("login.enrol_qr") inner_html=e.qr_svg.clone()></div>
                    <p><code id="enrol-secret" class="secret">{e.secret.clone()}</code></p>
                    <p>{tr("login.enrol_type")}</p>
                    <form novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        message.set(None);
                        codes_from.dispatch(("/api/v1/auth/second-factor", app_code()));
                    }>
                        {code_field()}
                        <div class="actions">
                            <button type="submit" id="factor-confirm" disabled=busy>{tr("account.factor_confirm")}</button>
                            <button type="button" class="secondary" on:click=move |_| { clear(); stage.set(Stage::Idle); }>{tr("account.factor_cancel")}</button>
                        </div>
                    </form>
                }.into_any(),
                (Stage::Idle, None) => view! { <p role="status">{tr("app.loading")}</p> }.into_any(),
                (Stage::Idle, Some(Err(e))) => view! { <p class="form-error" role="alert">{e.message()}</p> }.into_any(),
                (Stage::Idle, Some(Ok(s))) if s.enrolled => { let (required, left) = (s.required, s.recovery_codes_left); view! {
                    <p id="factor-state">{tr("account.factor_on")}" "{move || domain::i18n::t(lang.get(), "account.codes_left").replace("{n}", &left.to_string())}</p>
                    <Show when=move || required>
                        <p>{tr("account.factor_required")}</p>
                    </Show>
                    <form novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        message.set(None);
                        codes_from.dispatch(("/api/v1/auth/second-factor/recovery-codes", app_code()));
                    }>
                        {code_field()}
                        <div class="actions">
                            <button type="submit" id="codes-renew" disabled=busy>{tr("account.codes_renew")}</button>
                            <Show when=move || !required>
                                <button type="button" class="secondary" id="factor-remove" disabled=busy
                                    on:click=move |_| { message.set(None); remove.dispatch(app_code()); }>
                                    {tr("account.factor_remove")}
                                </button>
                            </Show>
                        </div>
                    </form>
                }.into_any() }
                (Stage::Idle, Some(Ok(_))) => view! {
                    <p id="factor-state">{tr("account.factor_off")}</p>
                    <form novalidate on:submit=move |ev| {
                        ev.prevent_default();
                        message.set(None);
                        offer.dispatch(PasswordConfirmation { password: password.get_untracked() });
                    }>
                        <Field name="password" label="account.factor_password" input_type="password" autocomplete="current-password"
                            value=password set=Callback::new(move |v| password.set(v)) errors=errors/>
                        <button type="submit" id="factor-add" disabled=busy>{tr("account.factor_add")}</button>
                    </form>
                }.into_any(),
            }}
            <p role="status" id="factor-message">{move || message.get()}</p>
        </section>
    }
}

/// Ten recovery codes, shown once, with a button to print them and one that says they
/// are kept (the sign-in's first enrolment and the account page's new codes).
#[component]
pub fn RecoveryCodeList(codes: Vec<String>, done_id: &'static str, done_label: &'static str, on_done: Callback<()>) -> impl IntoView {
    view! {
        <ol id="recovery-codes" class="recovery-codes">
            {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
        </ol>
        <div class="actions no-print">
            <button type="button" class="secondary" on:click=move |_| crate::browser::print()>{tr("login.codes_print")}</button>
            <button type="button" id=done_id on:click=move |_| on_done.run(())>{tr(done_label)}</button>
        </div>
    }
}
