//! Registering and editing a client. Every edit is kept on the device (encrypted)
//! within half a second and synced by the offline engine; the browser runs the same
//! validation as the server (`ClientInput::validate`) and shows the server's errors
//! the same way, also when they arrive after an offline visit.

use domain::api::{ClientRecord, Consultant};
use domain::caseload::MAX_CASELOAD;
use domain::client::{ClientInput, ClientKind, IdDocumentType, WorkForm};
use domain::docs::DocType;
use domain::validation::FieldError;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use uuid::Uuid;

use crate::pages::components::controls::TextControl;
use crate::pages::components::widgets::{error_for, Choice, ErrorNotice, Field, Loading};
use crate::api::{self, ApiError};
use crate::session::{use_session};
use crate::i18n::{tr, use_lang};
use crate::offline::{use_offline, Lock};

#[component]
pub fn NewClientPage() -> impl IntoView {
    let session = use_session();
    // The id is made here, on the device, so a client registered offline keeps it.
    let doc_id = Uuid::now_v7();
    view! {
        <h1>{tr("client.new_title")}</h1>
        {move || match session.me() {
            None => view! { <Loading/> }.into_any(),
            Some(me) => {
                let first = me.memberships.first().map(|m| m.partnership_id).unwrap_or(Uuid::nil());
                let mut input = ClientInput::empty(first);
                // The clause is given when the person is registered, by whoever registers them.
                input.information_date = api::today().to_string();
                input.information_by = me.display_name.clone();
                input.consent_scope = domain::client::DEFAULT_CONSENT_SCOPE.to_string();
                if me.memberships.iter().any(|m| m.partnership_id == first && m.role.leads_clients()) {
                    input.key_consultant_id = Some(me.user_id);
                }
                view! { <ClientForm input=input record=None doc_id/> }.into_any()
            }
        }}
    }
}

#[component]
pub fn EditClientPage() -> impl IntoView {
    let params = use_params_map();
    let engine = use_offline();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok())));
    let record = LocalResource::new(move || {
        let url = format!("/api/v1/clients/{}", id.get().unwrap_or_default());
        async move { api::get::<ClientRecord>(&url).await }
    });
    // Opened once per record load: the form must not restart while the person types.
    let form = move || {
        let result = record.get()?;
        let id = id.get_untracked()?;
        // Re-opened when the drafts unlock, never on the person's own typing.
        let _ = engine.lock.get();
        let local = untrack(|| engine.cached(id).filter(|d| engine.has_pending(id) || !d.errors.is_empty() || d.server.is_none()));
        let draft = local.as_ref().and_then(|d| serde_json::from_value::<ClientInput>(d.local.clone()).ok());
        Some(match (result, draft) {
            (Ok(r), Some(draft)) => view! { <ClientForm input=draft record=Some(r) doc_id=id/> }.into_any(),
            (Ok(r), None) => view! { <ClientForm input=r.data.clone() record=Some(r) doc_id=id/> }.into_any(),
            (Err(_), Some(draft)) => {
                let server = local.and_then(|d| d.server);
                view! { <ClientForm input=draft record=server doc_id=id/> }.into_any()
            }
            (Err(e), None) => match untrack(|| engine.cached(id)).and_then(|d| d.server) {
                Some(r) => view! { <ClientForm input=r.data.clone() record=Some(r) doc_id=id/> }.into_any(),
                None => view! { <ErrorNotice error=e/> }.into_any(),
            },
        })
    };
    view! {
        <h1>{tr("client.edit_title")}</h1>
        {move || form().unwrap_or_else(|| view! { <Loading/> }.into_any())}
    }
}

fn opts<T: Copy>(all: &[T], as_str: fn(T) -> &'static str, prefix: &str) -> Vec<(String, String)> {
    all.iter().map(|v| (as_str(*v).to_string(), format!("{prefix}.{}", as_str(*v)))).collect()
}

/// Binds one text field of the form: its value and its setter.
macro_rules! bind {
    ($form:ident, $field:ident) => {
        (
            Signal::derive(move || $form.with(|f| f.$field.clone())),
            Callback::new(move |v: String| $form.update(|f| f.$field = v)),
        )
    };
}

#[component]
fn ClientForm(input: ClientInput, record: Option<ClientRecord>, doc_id: Uuid) -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let navigate = use_navigate();
    let navigate_after = navigate.clone();
    let form = RwSignal::new(input);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let banner = RwSignal::new(None::<String>);
    let errs: Signal<Vec<FieldError>> = errors.into();
    let is_person = move || form.with(|f| f.kind.is_person());
    let record_id = record.as_ref().map(|r| r.id);
    let version = record.as_ref().map(|r| r.version).unwrap_or(0);
    let engine = use_offline();
    let server_copy = record.clone();
    let saving = RwSignal::new(false);

    // Every change goes to the device store (written within half a second) and on to
    // the outbox; opening the form changes nothing.
    let untouched = serde_json::to_value(form.get_untracked()).ok();
    {
        let server_copy = server_copy.clone();
        Effect::new(move |_| {
            let Ok(json) = serde_json::to_value(form.get()) else { return };
            if Some(&json) == untouched.as_ref() {
                return;
            }
            engine.edit(DocType::Client, doc_id, server_copy.clone(), json);
        });
    }
    // The server's refusal, also one that arrives after an offline visit, shows here.
    Effect::new(move |_| {
        let refused = engine.store.with(|s| s.as_ref().and_then(|s| s.docs.get(&doc_id)).map(|d| d.errors.clone()).unwrap_or_default());
        if !refused.is_empty() {
            errors.set(refused);
            banner.set(Some(domain::i18n::t(lang.get_untracked(), "client.errors").to_string()));
        }
    });
    let review = move || engine.store.with(|s| s.as_ref().and_then(|s| s.docs.get(&doc_id)).is_some_and(domain::outbox::LocalDoc::needs_review));
    let draft_status = move || {
        let l = lang.get();
        if engine.lock.get() != Lock::Open {
            return domain::i18n::t(l, "draft.locked").to_string();
        }
        if engine.write_error.get().is_some() {
            return domain::i18n::t(l, "device.write_failed").to_string();
        }
        match (engine.unsaved.get(), engine.saved_at.get()) {
            (true, _) => domain::i18n::t(l, "draft.saving").to_string(),
            (false, Some(at)) => format!("{} {at}", domain::i18n::t(l, "draft.saved")),
            (false, None) => String::new(),
        }
    };

    // Only a change of partnership reloads the consultants, not every keystroke.
    let partnership = Memo::new(move |_| form.with(|f| f.partnership_id));
    let consultants = LocalResource::new(move || {
        let url = format!("/api/v1/partnerships/{}/consultants", partnership.get());
        async move { api::get::<Vec<Consultant>>(&url).await }
    });
    let selected_full = move || {
        let chosen = form.with(|f| f.key_consultant_id);
        let original = record.as_ref().and_then(|r| r.data.key_consultant_id);
        chosen.is_some_and(|id| {
            id_is_new(Some(id), original)
                && consultants.get().and_then(std::result::Result::ok).unwrap_or_default().iter().any(|c| c.user_id == id && c.active_clients >= MAX_CASELOAD)
        })
    };
    let steers_here = move || {
        let p = form.with(|f| f.partnership_id);
        session.me().and_then(|m| m.role_in(p)).is_some_and(domain::org::Role::steers)
    };

    let save = Action::new_local(move |input: &ClientInput| {
        let input = input.clone();
        async move {
            match record_id {
                None => api::post::<_, ClientRecord>("/api/v1/clients", &input).await,
                Some(id) => api::put::<_, ClientRecord>(&format!("/api/v1/clients/{id}"), &input, version).await,
            }
        }
    });
    Effect::new(move |_| {
        if let Some(result) = save.value().get() {
            match result {
                Ok(r) => navigate(&format!("/clients/{}", r.id), Default::default()),
                Err(ApiError::Invalid(list, _)) => {
                    errors.set(list);
                    banner.set(Some(domain::i18n::t(lang.get_untracked(), "client.errors").to_string()));
                    crate::browser::focus_first_error();
                }
                Err(ApiError::Conflict(_)) => banner.set(Some(domain::i18n::t(lang.get_untracked(), "client.conflict").to_string())),
                Err(e) => banner.set(Some(e.message())),
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        banner.set(None);
        let input = form.get_untracked();
        // The same validation the server runs; the server still checks everything again.
        match input.validate(lang.get_untracked(), api::today()) {
            Ok(valid) if engine.lock.get_untracked() == Lock::Open => {
                errors.set(Vec::new());
                if let Ok(json) = serde_json::to_value(valid.get()) {
                    engine.edit(DocType::Client, doc_id, server_copy.clone(), json);
                }
                saving.set(true);
                let navigate = navigate_after.clone();
                leptos::task::spawn_local(async move {
                    // Online, wait for the server's answer so a refusal shows here;
                    // offline, the change waits on the device and the card says so.
                    let refused = engine.settle(doc_id, 10_000).await;
                    saving.set(false);
                    if refused.is_empty() {
                        navigate(&format!("/clients/{doc_id}"), Default::default());
                    }
                });
            }
            Ok(_) => {
                errors.set(Vec::new());
                save.dispatch(input);
            }
            Err(list) => {
                errors.set(list);
                banner.set(Some(domain::i18n::t(lang.get_untracked(), "client.errors").to_string()));
                crate::browser::focus_first_error();
            }
        }
    };

    let (surname, set_surname) = bind!(form, surname);
    let (first_names, set_first_names) = bind!(form, first_names);
    let (pesel, set_pesel) = bind!(form, pesel);
    let (id_doc_type, set_id_doc_type) = bind!(form, id_document_type);
    let (id_doc_number, set_id_doc_number) = bind!(form, id_document_number);
    let (birth_date, set_birth_date) = bind!(form, birth_date);
    let (sex, set_sex) = bind!(form, sex);
    let (name, set_name) = bind!(form, name);
    let (entity_type, set_entity_type) = bind!(form, entity_type);
    let (krs, set_krs) = bind!(form, krs);
    let (regon, set_regon) = bind!(form, regon);
    let (contact, set_contact) = bind!(form, contact_person);
    let (street, set_street) = bind!(form, street_address);
    let (postal, set_postal) = bind!(form, postal_code);
    let (city, set_city) = bind!(form, city);
    let (phone, set_phone) = bind!(form, phone);
    let (consent_date, set_consent_date) = bind!(form, consent_date);
    let (legal_basis, set_legal_basis) = bind!(form, legal_basis);
    let (information_date, set_information_date) = bind!(form, information_date);
    let (information_by, set_information_by) = bind!(form, information_by);
    let (consent_scope, set_consent_scope) = bind!(form, consent_scope);
    let (consent_withdrawn, set_consent_withdrawn) = bind!(form, consent_withdrawn);
    let mut basis_opts = vec![(String::new(), "client.legal_basis.".to_string())];
    basis_opts.extend(domain::client::LEGAL_BASES.iter().map(|b| ((*b).to_string(), format!("client.legal_basis.{b}"))));
    let by_consent = move || form.with(|f| f.legal_basis == "consent");
    let (override_reason, set_override_reason) = bind!(form, caseload_override_reason);
    let kind = Signal::derive(move || form.with(|f| f.kind.as_str().to_string()));
    let set_kind = Callback::new(move |v: String| form.update(|f| f.kind = ClientKind::parse(&v).unwrap_or(ClientKind::Person)));
    let work_form = Signal::derive(move || form.with(|f| f.work_form.as_str().to_string()));
    let set_work_form = Callback::new(move |v: String| form.update(|f| f.work_form = WorkForm::parse(&v).unwrap_or(WorkForm::Individual)));
    let mut doc_opts = vec![(String::new(), "client.id_document_type.".to_string())];
    doc_opts.extend(opts(IdDocumentType::ALL, IdDocumentType::as_str, "client.id_document_type"));
    let sex_opts = vec![
        (String::new(), "client.sex.".to_string()),
        ("female".to_string(), "client.sex.female".to_string()),
        ("male".to_string(), "client.sex.male".to_string()),
    ];
    let editing = record_id.is_some();
    let consultant_error = Memo::new(move |_| errors.with(|e| error_for(e, "key_consultant_id")));

    let (saving_text, save_text) = (tr("client.saving"), tr("client.save"));
    view! {
        <form class="card client-form" on:submit=on_submit novalidate>
            {move || banner.get().map(|b| view! { <div class="notice error" role="alert" id="form-banner">{b}</div> })}
            <Show when=review>
                <div class="notice warn" role="status">{tr("draft.review")}</div>
            </Show>
            <p class="draft-status" id="draft-status" role="status" aria-live="polite">{draft_status}</p>
            <fieldset>
                <legend>{tr("client.section.who")}</legend>
                <div class="field">
                    <label for="partnership_id">{tr("clients.partnership")}</label>
                    <select id="partnership_id" disabled=editing
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| { f.partnership_id = Uuid::parse_str(&v).unwrap_or(f.partnership_id); f.key_consultant_id = None; });
                        }>
                        {move || session.me().map(|m| m.memberships).unwrap_or_default().into_iter().map(|m| {
                            let id = m.partnership_id;
                            view! { <option value=id.to_string() selected=move || form.with(|f| f.partnership_id == id)>{m.partnership_name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <Choice name="kind" label="client.kind" value=kind set=set_kind errors=errs
                    options=opts(ClientKind::ALL, ClientKind::as_str, "client.kind")/>
                <Choice name="work_form" label="client.work_form" value=work_form set=set_work_form errors=errs
                    options=opts(WorkForm::ALL, WorkForm::as_str, "client.work_form")/>
            </fieldset>
            <Show when=is_person fallback=move || view! {
                <fieldset>
                    <legend>{tr("client.section.entity")}</legend>
                    <Field name="name" label="client.name" value=name set=set_name errors=errs required=true/>
                    <Field name="entity_type" label="client.entity_type" value=entity_type set=set_entity_type errors=errs/>
                    <div class="row">
                        <Field name="krs" label="client.krs" value=krs set=set_krs errors=errs inputmode="numeric"/>
                        <Field name="regon" label="client.regon" value=regon set=set_regon errors=errs inputmode="numeric"/>
                    </div>
                    <Field name="contact_person" label="client.contact_person" value=contact set=set_contact errors=errs/>
                </fieldset>
            }>
                <fieldset>
                    <legend>{tr("client.section.person")}</legend>
                    <div class="row">
                        <Field name="surname" label="client.surname" value=surname set=set_surname errors=errs required=true autocomplete="off"/>
                        <Field name="first_names" label="client.first_names" value=first_names set=set_first_names errors=errs required=true/>
                    </div>
                    <Field name="pesel" label="client.pesel" value=pesel set=set_pesel errors=errs inputmode="numeric" hint="client.pesel_hint"/>
                    <div class="row">
                        <Choice name="id_document_type" label="client.id_document_type" value=id_doc_type set=set_id_doc_type errors=errs options=doc_opts.clone()/>
                        <Field name="id_document_number" label="client.id_document_number" value=id_doc_number set=set_id_doc_number errors=errs/>
                    </div>
                    <div class="row">
                        <Field name="birth_date" label="client.birth_date" value=birth_date set=set_birth_date errors=errs input_type="date"/>
                        <Choice name="sex" label="client.sex" value=sex set=set_sex errors=errs options=sex_opts.clone()/>
                    </div>
                </fieldset>
            </Show>
            <fieldset>
                <legend>{tr("client.section.contact")}</legend>
                <Field name="street_address" label="client.street_address" value=street set=set_street errors=errs autocomplete="off"/>
                <div class="row">
                    <Field name="postal_code" label="client.postal_code" value=postal set=set_postal errors=errs inputmode="numeric"/>
                    <Field name="city" label="client.city" value=city set=set_city errors=errs/>
                </div>
                <Field name="phone" label="client.phone" value=phone set=set_phone errors=errs input_type="tel"/>
            </fieldset>
            <Show when=is_person>
                <fieldset>
                    <legend>{tr("client.section.consent")}</legend>
                    <Choice name="legal_basis" label="client.legal_basis" value=legal_basis set=set_legal_basis errors=errs options=basis_opts.clone()/>
                    <div class="row">
                        <Field name="information_date" label="client.information_date" value=information_date set=set_information_date errors=errs input_type="date"/>
                        <Field name="information_by" label="client.information_by" value=information_by set=set_information_by errors=errs/>
                    </div>
                    <Show when=by_consent>
                        <div class="row">
                            <Field name="consent_date" label="client.consent_date" value=consent_date set=set_consent_date errors=errs input_type="date"/>
                            <Field name="consent_withdrawn" label="client.consent_withdrawn" value=consent_withdrawn set=set_consent_withdrawn errors=errs input_type="date" hint="client.consent_withdrawn_hint"/>
                        </div>
                        <TextControl id="consent_scope" name=Some("consent_scope") label=Signal::derive(tr("client.consent_scope")) value=consent_scope
                            set=set_consent_scope error=Signal::derive(move || errs.with(|e| error_for(e, "consent_scope"))) long=true/>
                    </Show>
                </fieldset>
            </Show>
            <fieldset>
                <legend>{tr("client.section.support")}</legend>
                <div class="field" class:invalid=move || consultant_error.get().is_some()>
                    <label for="key_consultant_id">{tr("client.key_consultant")}</label>
                    <select id="key_consultant_id" aria-describedby="key_consultant_id-error"
                        aria-invalid=move || consultant_error.get().is_some().then_some("true")
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            form.update(|f| f.key_consultant_id = Uuid::parse_str(&v).ok());
                        }>
                        <option value="" selected=move || form.with(|f| f.key_consultant_id.is_none())>{tr("client.key_consultant.none")}</option>
                        {move || consultants.get().and_then(std::result::Result::ok).unwrap_or_default().into_iter().map(|c| {
                            let id = c.user_id;
                            let label = format!("{} ({}/{})", c.display_name, c.active_clients, c.limit);
                            view! { <option value=id.to_string() selected=move || form.with(|f| f.key_consultant_id == Some(id))>{label}</option> }
                        }).collect_view()}
                    </select>
                    <p class="field-error" id="key_consultant_id-error" aria-live="polite">{move || consultant_error.get()}</p>
                </div>
                <Show when=move || selected_full() && steers_here()>
                    <div class="field">
                        <label for="caseload_override_reason">{tr("client.override_reason")}</label>
                        <textarea id="caseload_override_reason" rows="3"
                            prop:value=move || override_reason.get()
                            on:input=move |ev| set_override_reason.run(event_target_value(&ev))></textarea>
                    </div>
                </Show>
            </fieldset>
            <div class="actions">
                <button type="submit" disabled=move || save.pending().get() || saving.get()>
                    {move || if save.pending().get() || saving.get() { saving_text() } else { save_text() }}
                </button>
                <a class="button secondary" href=if record_id.is_some() || engine.cached(doc_id).is_some() { format!("/clients/{doc_id}") } else { "/clients".into() }>{tr("client.cancel")}</a>
            </div>
        </form>
    }
}

fn id_is_new(chosen: Option<Uuid>, original: Option<Uuid>) -> bool {
    chosen != original
}
