//! A client's card: the record (the device's newer draft when changes wait), the
//! conflicts waiting for a person, the dated notes and the history of versions.

use domain::api::{ClientRecord, Restriction};
use domain::client::{ClientInput, RestrictionInput};
use domain::merge::pointer;
use domain::sync::{validate_note, ConflictView, Mutation, Note, Op, PushRequest, PushResponse, Resolution, Version};
use domain::docs::DocType;
use domain::validation::format_iso_date;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use uuid::Uuid;

use super::docs;
use crate::pages::components::widgets::{work_form_key, ErrorNotice, Loading};
use crate::api::{self, ApiError};
use crate::i18n::{tr, use_lang};
use crate::offline::{device_id, now_ms, use_offline, Lock};

#[component]
pub fn ClientCardPage() -> impl IntoView {
    let params = use_params_map();
    let engine = use_offline();
    // The card the server drew, with the record it read; the browser's first render
    // draws the same and does not ask for it again.
    let first = crate::page_data::first::<crate::page_data::CardData>();
    let first_opening = StoredValue::new(first.as_ref().map(|f| (f.record.id, f.opening)));
    let first_record = StoredValue::new(first.map(|f| f.record));
    // Each client shown is a new opening of the card: its reads are one access-log entry.
    // The server's read of the record began the first one.
    let id = Memo::new(move |previous: Option<&Option<Uuid>>| {
        let id = params.with(|p| p.get("id").and_then(|s| Uuid::parse_str(&s).ok()));
        if previous != Some(&id) {
            let drawn = first_opening.try_update_value(Option::take).flatten().filter(|(client, _)| Some(*client) == id);
            api::open_card(id.map(|_| drawn.map_or_else(Uuid::new_v4, |(_, opening)| opening)));
        }
        id
    });
    on_cleanup(|| api::open_card(None));
    // Fetched again when a sync changed this client, so the card shows what the server
    // now holds; once per opening otherwise.
    let changes = engine.changes;
    let changed = Memo::new(move |previous: Option<&u64>| {
        let client = id.get();
        changes.with(|(n, ids)| if client.is_some_and(|c| ids.contains(&c)) { *n } else { previous.copied().unwrap_or(0) })
    });
    // Until the resource has its first answer (always, while the page hydrates): the
    // record the server drew the card with.
    let drawn = first_record.get_value();
    let fetched = LocalResource::new(move || {
        let client = id.get().unwrap_or_default();
        let url = format!("/api/v1/clients/{client}");
        let _ = changed.get();
        let drawn = first_record.try_update_value(Option::take).flatten().filter(|r| r.id == client);
        async move {
            match drawn {
                Some(r) => Ok(r),
                None => api::get::<ClientRecord>(&url).await,
            }
        }
    });
    let record = Memo::new(move |_| fetched.get().or_else(|| drawn.clone().filter(|r| Some(r.id) == id.get()).map(Ok)));
    let card = move || {
        let id = id.get()?;
        let result = record.get()?;
        let local = engine.cached(id);
        let pending = engine.has_pending(id);
        let from_local = |d: &domain::outbox::LocalDoc| serde_json::from_value::<ClientInput>(d.local.clone()).ok();
        Some(match (result, local) {
            (Ok(r), Some(d)) if pending => match from_local(&d) {
                Some(data) => view! { <Card r=r data status=Some("draft.waiting")/> }.into_any(),
                None => view! { <Card r=r.clone() data=r.data status=None/> }.into_any(),
            },
            (Ok(r), _) => view! { <Card r=r.clone() data=r.data status=None/> }.into_any(),
            (Err(e), Some(d)) => match (from_local(&d), d.server.clone()) {
                (Some(data), Some(r)) => {
                    let status = if pending { "draft.waiting" } else { "caseload.offline" };
                    view! { <Card r data status=Some(status)/> }.into_any()
                }
                (Some(data), None) => {
                    let r = ClientRecord::unsent(id, data.clone());
                    view! { <Card r data status=Some("draft.local_only")/> }.into_any()
                }
                _ => view! { <ErrorNotice error=e/> }.into_any(),
            },
            (Err(e), None) => view! { <ErrorNotice error=e/> }.into_any(),
        })
    };
    // Restricted processing (GDPR art. 18), as the server last said: the card, its
    // documents and its notes are read-only while it holds, offline too.
    let restriction = Memo::new(move |_| {
        let id = id.get()?;
        match record.get() {
            Some(Ok(r)) => r.restriction,
            _ => engine.cached(id).and_then(|d| d.server).and_then(|r| r.restriction),
        }
    });
    provide_context(docs::ReadOnly(Signal::derive(move || restriction.with(Option::is_some))));
    provide_context(Reload(Callback::new(move |()| fetched.refetch())));
    let tab = docs::use_tab();
    // The client's data as far as the documents need it; a memo, so typing in a
    // document (which changes the device store) does not redraw the tabs.
    let last_good = StoredValue::new(None::<(Uuid, ClientInput)>);
    let client_data = Memo::new(move |_| {
        let id = id.get()?;
        match record.get() {
            Some(Ok(r)) => {
                last_good.set_value(Some((id, r.data.clone())));
                Some(r.data)
            }
            // Offline: the device's copy, or what this card showed a moment ago —
            // never nothing, which would take the open document away mid-typing.
            _ => engine.cached(id).and_then(|d| serde_json::from_value::<ClientInput>(d.local).ok()).or_else(|| {
                last_good.with_value(|g| g.as_ref().filter(|(shown, _)| *shown == id).map(|(_, data)| data.clone()))
            }),
        }
    });
    let partnership = Memo::new(move |_| client_data.with(|c| c.as_ref().map(|c| c.partnership_id)));
    let document = move || {
        let (id, t, p) = (id.get()?, tab.get()?, partnership.get()?);
        let Some(partnership) = docs::partnership_of(p) else {
            return Some(view! { <Loading/> }.into_any());
        };
        let start = docs::prefill(t, id, client_data.get_untracked().as_ref());
        Some(view! { <docs::DocEditor client=id doc_type=t partnership start/> }.into_any())
    };
    view! {
        <h1>{tr("client.card_title")}</h1>
        {move || restriction.get().map(|r| view! { <RestrictedBanner r/> })}
        {move || id.get().map(|id| view! { <docs::DocTabs client=id tab/> })}
        {move || id.get().map(|id| view! { <ConflictsPanel id/> })}
        {move || match tab.get() {
            None => view! {
                {move || card().unwrap_or_else(|| view! { <Loading/> }.into_any())}
                {move || id.get().map(|id| view! {
                    <NotesPanel id/>
                    <HistoryPanel id/>
                })}
            }.into_any(),
            Some(_) => view! { {document} }.into_any(),
        }}
    }
}

/// Reloads the card's record (after its restriction changed).
#[derive(Clone, Copy)]
struct Reload(Callback<()>);

#[component]
fn RestrictedBanner(r: Restriction) -> impl IntoView {
    let lang = use_lang();
    let text = move || domain::i18n::t(lang.get(), "restriction.banner").replace("{since}", &r.since).replace("{by}", &r.by).replace("{reason}", &r.reason);
    view! { <p class="notice warn" id="restricted-banner" role="status">{text}</p> }
}

/// A coordinator restricts the processing of the client's data or lifts it, saying why.
#[component]
fn RestrictionControl(id: Uuid, restricted: bool) -> impl IntoView {
    let lang = use_lang();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let reload = use_context::<Reload>();
    let send = Action::new_local(move |req: &RestrictionInput| {
        let req = req.clone();
        async move {
            match api::put_merged::<_, ClientRecord>(&format!("/api/v1/clients/{id}/restriction"), &req).await {
                Ok(_) => {
                    open.set(false);
                    reason.set(String::new());
                    if let Some(Reload(r)) = reload {
                        r.run(());
                    }
                }
                Err(e) => error.set(Some(e.field_errors().first().map_or_else(|| e.message(), |f| f.message.clone()))),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let req = RestrictionInput { restricted: !restricted, reason: reason.get_untracked() };
        // The rule the server applies, checked here first.
        match req.validate(lang.get_untracked()) {
            Err(e) => {
                error.set(e.first().map(|e| e.message.clone()));
                crate::browser::focus_first("#restriction-reason");
            }
            Ok(_) => {
                error.set(None);
                send.dispatch(req);
            }
        }
    };
    let (toggle, label, confirm) = if restricted {
        ("restriction.lift", "restriction.reason_lift", "restriction.confirm_lift")
    } else {
        ("restriction.restrict", "restriction.reason_restrict", "restriction.confirm_restrict")
    };
    view! {
        <button type="button" class="secondary" id="restriction-toggle" aria-expanded=move || open.get().to_string()
            on:click=move |_| open.update(|o| *o = !*o)>{tr(toggle)}</button>
        <Show when=move || open.get()>
            <form id="restriction-form" class="card" on:submit=submit novalidate>
                <div class="field" class:invalid=move || error.get().is_some()>
                    <label for="restriction-reason">{tr(label)}</label>
                    <textarea id="restriction-reason" rows="3" aria-describedby="restriction-reason-error" aria-invalid=move || error.get().map(|_| "true")
                        prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                    <p class="field-error" id="restriction-reason-error" aria-live="polite">{move || error.get()}</p>
                </div>
                <div class="actions">
                    <button type="submit" id="restriction-submit" disabled=move || send.pending().get()>{tr(confirm)}</button>
                    <button type="button" class="secondary" on:click=move |_| open.set(false)>{tr("client.cancel")}</button>
                </div>
            </form>
        </Show>
    }
}

#[component]
fn Row(label: &'static str, value: String) -> impl IntoView {
    (!value.is_empty()).then(|| view! { <dt>{tr(label)}</dt><dd>{value}</dd> })
}

#[component]
fn Card(r: ClientRecord, data: ClientInput, status: Option<&'static str>) -> impl IntoView {
    let lang = use_lang();
    let d = data;
    let person = d.kind.is_person();
    let name = domain::client::display_name(&d.kind, &d.surname, &d.first_names, &d.name);
    let sex_key = format!("client.sex.{}", d.sex);
    let kind_key = format!("client.kind.{}", d.kind.as_str());
    let doc_key = format!("client.id_document_type.{}", d.id_document_type);
    let wf = work_form_key(d.work_form);
    let t = move |k: &str| domain::i18n::t(lang.get(), k).to_string();
    let role = crate::session::use_session().me().and_then(|m| m.memberships.iter().find(|m| m.partnership_id == d.partnership_id).map(|m| m.role));
    let steers = role.is_some_and(domain::org::Role::steers);
    view! {
        <section class="card">
            <div class="card-head">
                <h2 id="client-name">{name}</h2>
                {r.restriction.is_none().then(|| view! { <a class="button" href=format!("/clients/{}/edit", r.id)>{tr("client.edit")}</a> })}
                // Who saw this person's data (GDPR art. 15): for those who steer the partnership.
                {steers.then(|| view! {
                    <a class="button secondary" id="who-saw" href=format!("/audit?client={}&partnership={}", r.id, d.partnership_id)>{tr("audit.who_saw_link")}</a>
                })}
                // Everything held about the person (GDPR art. 15 and 20): for the
                // coordinators, who answer a person's request.
                {person.then(|| view! { <a class="button secondary" id="print-clause" href=format!("/clients/{}/clause", r.id)>{tr("client.print_clause")}</a> })}
                {steers.then(|| view! { <RestrictionControl id=r.id restricted=r.restriction.is_some()/> })}
                {steers.then(|| view! {
                    <a class="button secondary" id="personal-data" href=format!("/clients/{}/personal-data", r.id)>{tr("personal.link")}</a>
                })}
            </div>
            {status.map(|k| view! { <p class="notice" role="status" id="card-status">{move || t(k)}</p> })}
            <dl class="facts">
                <dt>{tr("client.kind")}</dt><dd>{move || t(&kind_key)}</dd>
                <dt>{tr("client.status")}</dt><dd>{ let k = format!("client.status.{}", r.status); move || t(&k) }</dd>
                {person.then(|| view! {
                    <Row label="client.pesel" value=d.pesel.clone()/>
                    {(!d.id_document_type.is_empty()).then(|| { let doc_key = doc_key.clone(); view! {
                        <dt>{tr("client.id_document_type")}</dt><dd>{move || t(&doc_key)} " " {d.id_document_number.clone()}</dd>
                    }})}
                    <Row label="client.birth_date" value=format_iso_date(&d.birth_date)/>
                    <dt>{tr("client.sex")}</dt><dd>{ let k = sex_key.clone(); move || t(&k) }</dd>
                    {(!d.legal_basis.is_empty()).then(|| { let k = format!("client.legal_basis.{}", d.legal_basis); view! {
                        <dt>{tr("client.legal_basis")}</dt><dd id="legal-basis">{move || t(&k)}</dd>
                    }})}
                    <Row label="client.information_date" value=format!("{} {}", format_iso_date(&d.information_date), d.information_by).trim().to_string()/>
                    <Row label="client.consent_date" value=format_iso_date(&d.consent_date)/>
                    <Row label="client.consent_scope" value=d.consent_scope.clone()/>
                    <Row label="client.consent_withdrawn" value=format_iso_date(&d.consent_withdrawn)/>
                })}
                {(!person).then(|| view! {
                    <Row label="client.entity_type" value=d.entity_type.clone()/>
                    <Row label="client.krs" value=d.krs.clone()/>
                    <Row label="client.regon" value=d.regon.clone()/>
                    <Row label="client.contact_person" value=d.contact_person.clone()/>
                })}
                <Row label="client.street_address" value=d.street_address.clone()/>
                <Row label="client.postal_code" value=d.postal_code.clone()/>
                <Row label="client.city" value=d.city.clone()/>
                <Row label="client.phone" value=d.phone.clone()/>
                <dt>{tr("client.work_form")}</dt><dd>{move || t(wf)}</dd>
                <Row label="client.key_consultant" value=r.key_consultant_name.clone()/>
                <Row label="client.created" value=r.created_at.clone()/>
                <Row label="client.updated" value=r.updated_at.clone()/>
            </dl>
            {(!d.caseload_override_reason.is_empty()).then(|| view! {
                <div class="notice warn" id="override-reason">
                    <p><strong>{tr("client.override_kept")}</strong> " " {r.caseload_override_by.clone()}</p>
                    <p>{d.caseload_override_reason.clone()}</p>
                </div>
            })}
        </section>
    }
}

/// A field's value as a person reads it.
fn shown(v: &serde_json::Value, empty: String) -> String {
    match v {
        serde_json::Value::String(s) if s.is_empty() => empty,
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => empty,
        other => other.to_string(),
    }
}

#[component]
fn ConflictsPanel(id: Uuid) -> impl IntoView {
    let engine = use_offline();
    let lang = use_lang();
    let error = RwSignal::new(None::<String>);
    let changed = engine.changed(id);
    let list = LocalResource::new(move || {
        let _ = changed.get();
        async move { api::get::<Vec<ConflictView>>(&format!("/api/v1/clients/{id}/conflicts")).await }
    });
    let items = move || match list.get() {
        Some(Ok(v)) => v,
        // Offline: the open conflicts the device took with the caseload.
        _ => engine.store.with(|s| s.as_ref().map(|s| s.conflicts.iter().filter(|c| c.client_id == id).cloned().collect()).unwrap_or_default()),
    };
    let resolve = Action::new_local(move |(conflict, value): &(Uuid, serde_json::Value)| {
        let (conflict, value) = (*conflict, value.clone());
        async move {
            match api::post::<_, ConflictView>(&format!("/api/v1/conflicts/{conflict}/resolve"), &Resolution { value }).await {
                Ok(_) => {
                    error.set(None);
                    list.refetch();
                    engine.sync_soon(0);
                }
                Err(e) => {
                    // Decided elsewhere a moment ago: the card shows that decision at once.
                    if matches!(e, ApiError::Conflict(_)) {
                        list.refetch();
                        engine.sync_soon(0);
                    }
                    error.set(Some(e.message()));
                }
            }
        }
    });
    // A decision taken on another device reaches this card within 15 s, without a
    // reload: while a conflict is open here, the list is asked again (a light read).
    // (Set up in an effect: only in the browser.)
    let open_here = move || untrack(items).iter().any(|c| c.resolved_at.is_empty());
    Effect::new(move |_| {
        let poll = move || {
            if open_here() && engine.online.get_untracked() {
                list.refetch();
            }
        };
        if let Ok(handle) = set_interval_with_handle(poll, std::time::Duration::from_secs(15)) {
            on_cleanup(move || handle.clear());
        }
    });
    // The server says it is decided while the device still counts it open: take the
    // caseload again so the header and the device's copy agree.
    Effect::new(move |_| {
        let Some(Ok(server)) = list.get() else { return };
        let device_open = engine.store.with_untracked(|s| {
            s.as_ref().map(|s| s.conflicts.iter().filter(|c| c.client_id == id && c.resolved_at.is_empty()).count()).unwrap_or(0)
        });
        if server.iter().filter(|c| c.resolved_at.is_empty()).count() < device_open {
            engine.sync_soon(0);
        }
    });
    view! {
        <Show when=move || !items().is_empty()>
            <section class="card conflicts" id="conflicts" aria-labelledby="conflicts-title">
                <h2 id="conflicts-title">{tr("conflicts.title")}</h2>
                <p>{tr("conflicts.explain")}</p>
                {move || error.get().map(|e| view! { <p class="notice error" role="alert">{e}</p> })}
                {move || items().into_iter().map(|c| {
                    let l = lang.get();
                    let t = move |k: &str| domain::i18n::t(l, k).to_string();
                    let field = pointer(&c.path);
                    let label = match c.doc_type {
                        DocType::Client => t(&format!("client{}", field.replace('/', "."))),
                        // The form's own words: the document, the table the field sits in, the field.
                        other => match domain::docs::field_labels::field_label(other, &c.path) {
                            Some((section, label)) => [Some(docs::tab_key(other)), section, Some(label)]
                                .into_iter()
                                .flatten()
                                .map(|k| t(k).trim_end_matches(':').trim().to_string())
                                .collect::<Vec<_>>()
                                .join(" — "),
                            None => format!("{} — {field}", t(docs::tab_key(other))),
                        },
                    };
                    let empty = t("conflicts.empty_value");
                    let open = c.resolved_at.is_empty();
                    let (mine, theirs) = (c.mine.clone(), c.theirs.clone());
                    let cid = c.id;
                    view! {
                        <div class="conflict" data-field=field.clone() data-open=open.to_string()>
                            <h3>{label}</h3>
                            <table>
                                <thead><tr>
                                    <th scope="col">{t("conflicts.base")}</th>
                                    <th scope="col">{t("conflicts.mine")} " — " {c.mine_by.clone()} ", " {c.mine_at.clone()}</th>
                                    <th scope="col">{t("conflicts.theirs")} " — " {c.theirs_by.clone()} ", " {c.theirs_at.clone()}</th>
                                </tr></thead>
                                <tbody><tr>
                                    <td>{shown(&c.base, empty.clone())}</td>
                                    <td class="mine">{shown(&c.mine, empty.clone())}</td>
                                    <td class="theirs">{shown(&c.theirs, empty.clone())}</td>
                                </tr></tbody>
                            </table>
                            {if open {
                                let online = engine.online.get();
                                view! {
                                    <div class="actions">
                                        <button type="button" class="keep-mine" disabled=!online
                                            on:click=move |_| { resolve.dispatch((cid, mine.clone())); }>
                                            {t("conflicts.keep")} ": " {shown(&c.mine, empty.clone())}
                                        </button>
                                        <button type="button" class="keep-theirs secondary" disabled=!online
                                            on:click=move |_| { resolve.dispatch((cid, theirs.clone())); }>
                                            {t("conflicts.keep")} ": " {shown(&c.theirs, empty.clone())}
                                        </button>
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <p class="resolved">{t("conflicts.resolved")} " " {t("conflicts.by")} " " {c.resolved_by.clone()}
                                        ", " {c.resolved_at.clone()} ": " <strong>{c.resolution.as_ref().map(|v| shown(v, empty.clone())).unwrap_or_default()}</strong></p>
                                }.into_any()
                            }}
                        </div>
                    }
                }).collect_view()}
            </section>
        </Show>
    }
}

/// A note's time as dd.mm.rrrr HH:MM, local time of this device.
fn note_time(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}.{:02}.{} {:02}:{:02}", d.get_date(), d.get_month() + 1, d.get_full_year(), d.get_hours(), d.get_minutes())
}

#[component]
fn NotesPanel(id: Uuid) -> impl IntoView {
    let engine = use_offline();
    let lang = use_lang();
    let text = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let restricted = docs::read_only();
    let changed = engine.changed(id);
    let server = LocalResource::new(move || {
        let _ = changed.get();
        async move { api::get::<Vec<Note>>(&format!("/api/v1/clients/{id}/notes")).await }
    });
    let notes = move || {
        let mut all: Vec<(Note, bool)> = engine.store.with(|s| s.as_ref().map(|s| s.notes_of(id)).unwrap_or_default());
        if let Some(Ok(list)) = server.get() {
            for n in list {
                match all.iter_mut().find(|(m, _)| m.id == n.id) {
                    Some(slot) => *slot = (n, false),
                    None => all.push((n, false)),
                }
            }
        }
        all.sort_by_key(|(n, _)| (n.written_at, n.id));
        all
    };
    // The device holds a client's latest notes; offline, say how many older ones wait
    // on the server rather than let the list look complete.
    let older = move || {
        let online = matches!(server.get(), Some(Ok(_)));
        let n = engine.store.with(|s| s.as_ref().map_or(0, |s| s.older_notes(id)));
        (!online && n > 0).then(|| domain::i18n::t_count(lang.get(), "notes.older", usize::try_from(n).unwrap_or(0)))
    };
    // Without open drafts (locked device) the note goes straight to the server.
    let direct = Action::new_local(move |text: &String| {
        let m = Mutation { id: Uuid::now_v7(), written_at: now_ms(), op: Op::AddNote { note_id: Uuid::now_v7(), client_id: id, text: text.clone() } };
        async move {
            match api::post::<_, PushResponse>("/api/v1/sync/push", &PushRequest { device_id: device_id(), mutations: vec![m] }).await {
                Ok(_) => server.refetch(),
                Err(e) => error.set(Some(e.message())),
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match validate_note(&text.get_untracked(), lang.get_untracked()) {
            Err(e) => error.set(e.first().map(|e| e.message.clone())),
            Ok(t) => {
                error.set(None);
                if engine.lock.get_untracked() == Lock::Open {
                    engine.add_note(id, t);
                } else {
                    direct.dispatch(t);
                }
                text.set(String::new());
            }
        }
    };
    view! {
        <section class="card notes" aria-labelledby="notes-title">
            <h2 id="notes-title">{tr("notes.title")}</h2>
            {move || older().map(|text| view! { <p class="notice" id="older-notes">{text}</p> })}
            {move || {
                let list = notes();
                if list.is_empty() {
                    return view! { <p>{tr("notes.none")}</p> }.into_any();
                }
                view! {
                    <ol class="plain note-list" id="note-list">
                        {list.into_iter().map(|(n, pending)| view! {
                            <li class="note" data-pending=pending.to_string()>
                                <p class="note-meta"><time>{note_time(n.written_at)}</time> " " {n.author_name.clone()}
                                    {pending.then(|| view! { " · " <span class="badge">{tr("notes.pending")}</span> })}</p>
                                <p class="note-text">{n.text.clone()}</p>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
            <form on:submit=submit novalidate>
                <fieldset disabled=move || restricted.get()>
                <div class="field" class:invalid=move || error.get().is_some()>
                    <label for="note-text">{tr("notes.new")}</label>
                    <textarea id="note-text" rows="4" aria-describedby="note-text-error"
                        prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <p class="field-error" id="note-text-error" aria-live="polite">{move || error.get()}</p>
                </div>
                <button type="submit" id="add-note">{tr("notes.add")}</button>
                </fieldset>
            </form>
        </section>
    }
}

#[component]
fn HistoryPanel(id: Uuid) -> impl IntoView {
    let engine = use_offline();
    let changed = engine.changed(id);
    let versions = LocalResource::new(move || {
        let _ = changed.get();
        async move { api::get::<Vec<Version>>(&format!("/api/v1/clients/{id}/history")).await }
    });
    view! {
        {move || match versions.get() {
            Some(Ok(list)) if !list.is_empty() => Some(view! {
                <section class="card history" aria-labelledby="history-title">
                    <details>
                        <summary><h2 id="history-title">{tr("history.title")}</h2></summary>
                        <ol class="plain" id="history-list">
                            {list.into_iter().map(|v| view! {
                                <li>
                                    <strong>{tr("history.revision")} " " {v.revision}</strong> " · " {v.by.clone()} " · " {v.at.clone()}
                                    {v.device_id.map(|d| view! { " · " {tr("history.device")} " " <code>{d.to_string()[24..].to_string()}</code> })}
                                    {(!v.fields.is_empty()).then(|| view! { <br/><small>{v.fields.join(", ")}</small> })}
                                </li>
                            }).collect_view()}
                        </ol>
                    </details>
                </section>
            }),
            Some(Err(ApiError::NotFound | _) | Ok(_)) | None => None,
        }}
    }
}
