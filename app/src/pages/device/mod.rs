//! This device: the sync indicator in the header, the unlock form for drafts, and the
//! page that lists waiting and refused changes, storage use, export and clearing.

use domain::i18n::{t, t_count};
use domain::outbox::Item;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

use domain::numbers;

use crate::i18n::{tr, use_lang};
use crate::offline::{clock, use_offline, Lock, Phase, STORAGE_WARN};

/// One line that always says where the consultant's work is.
#[component]
pub fn SyncStatus() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let session = crate::session::use_session();
    let signed_in = move || session.me().is_some();
    let conflicts = move || o.store.with(|s| s.as_ref().map(domain::outbox::DeviceStore::open_conflicts).unwrap_or(0));
    // One state, the first true one of: locked, offline, server unreachable, sending,
    // waiting, conflicts, all saved. The text says that state and nothing that
    // contradicts it (no "all saved" beside "the server does not answer").
    let state = move || {
        match o.lock.get() {
            Lock::Locked { .. } => return "locked",
            // Until the drafts are open nothing is known to be saved: a page drawn by
            // the server, or one whose session answer has not come, says "starting".
            Lock::Unknown => return "starting",
            Lock::Empty | Lock::Open => {}
        }
        match (o.online.get(), o.phase.get(), o.waiting()) {
            (false, _, _) => "offline",
            (true, Phase::Unreachable, _) => "unreachable",
            (true, Phase::Syncing { .. }, _) => "syncing",
            (true, _, n) if n > 0 => "waiting",
            _ if conflicts() > 0 => "conflicts",
            _ => "saved",
        }
    };
    let text = move || {
        let l = lang.get();
        match o.lock.get() {
            Lock::Locked { .. } => return t(l, "sync.locked").to_string(),
            Lock::Open => {}
            _ if !o.online.get() => return t(l, "sync.offline").to_string(),
            // Drawn by the server too, so the line has its text from the first paint and
            // later only changes it (a status appearing after the first sync was the
            // card's largest paint on a phone, seconds late).
            // Only for someone signed in: on the sign-in page the line stays empty (the
            // text vanishing there moved the page).
            Lock::Unknown if signed_in() => return t(l, "sync.starting").to_string(),
            _ => return String::new(),
        }
        let waiting = o.waiting();
        let mut parts: Vec<String> = Vec::new();
        match (state(), o.phase.get()) {
            ("offline", _) => parts.push(t(l, "sync.offline").into()),
            ("unreachable", _) => parts.push(t(l, "sync.unreachable").into()),
            ("syncing", Phase::Syncing { done, total }) => parts.push(t(l, "sync.sending").replace("{done}", &done.to_string()).replace("{total}", &total.to_string())),
            (_, Phase::SignedOut) => parts.push(t(l, "sync.signed_out").into()),
            (_, Phase::Failed(_)) => parts.push(t(l, "sync.retrying").into()),
            _ => {}
        }
        if waiting > 0 && state() != "syncing" {
            parts.push(t_count(l, "sync.waiting", waiting));
        } else if matches!(state(), "saved" | "conflicts") && !matches!(o.phase.get(), Phase::Failed(_) | Phase::SignedOut) {
            let at = o.store.with(|s| s.as_ref().and_then(|s| s.last_sync)).map(clock).unwrap_or_default();
            if at.is_empty() {
                parts.push(t(l, "sync.saved_device").into());
            } else {
                parts.push(format!("{} {}", t(l, "sync.all_saved"), &at[..5]));
            }
        }
        let conflicts = conflicts();
        if conflicts > 0 {
            parts.push(t_count(l, "sync.conflicts", conflicts));
        }
        parts.join(" · ")
    };
    view! {
        <div class="sync-status" id="sync-status" role="status" aria-live="polite"
            data-state=state data-waiting=move || o.waiting().to_string()>
            // No empty link (an unnamed tab stop) while there is nothing to say; while
            // there is, one link whose text changes.
            <Show when=move || !text().is_empty()>
                <a href="/device">{text}</a>
            </Show>
            <Show when=move || o.lock.get() == Lock::Open && o.online.get()>
                <button type="button" class="secondary small" id="sync-now" on:click=move |_| o.sync_soon(0)>
                    {tr("sync.now")}
                </button>
            </Show>
        </div>
    }
}

/// Shown while drafts are on the device but locked: the password opens them, also
/// without a network.
#[component]
pub fn UnlockPanel() -> impl IntoView {
    let o = use_offline();
    let location = use_location();
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let lang = use_lang();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let p = password.get_untracked();
        leptos::task::spawn_local(async move {
            if o.unlock(&p).await.is_err() {
                error.set(Some(t(lang.get_untracked(), "unlock.failed").to_string()));
            }
            password.set(String::new());
            busy.set(false);
        });
    };
    let name = move || match o.lock.get() {
        Lock::Locked { name } => name,
        _ => String::new(),
    };
    view! {
        <Show when=move || matches!(o.lock.get(), Lock::Locked { .. }) && location.pathname.get() != "/login">
            <section class="card unlock" aria-labelledby="unlock-title">
                <h2 id="unlock-title">{tr("unlock.title")}</h2>
                <p>{tr("unlock.explain")} " " <strong>{name}</strong></p>
                <form on:submit=submit>
                    <div class="field">
                        <label for="unlock-password">{tr("login.password")}</label>
                        <input id="unlock-password" type="password" autocomplete="current-password"
                            prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                    </div>
                    <p class="form-error" role="alert">{move || error.get()}</p>
                    <button type="submit" disabled=move || busy.get()>{tr("unlock.submit")}</button>
                </form>
            </section>
        </Show>
    }
}

/// `/offline`: the app shell the service worker keeps. Opened on its own it goes to
/// the start page.
#[component]
pub fn OfflineShellPage() -> impl IntoView {
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| navigate("/", Default::default()));
    view! { <p class="notice">{tr("app.loading")}</p> }
}


#[component]
pub fn DevicePage() -> impl IntoView {
    let o = use_offline();
    let lang = use_lang();
    let message = RwSignal::new(None::<String>);
    let clear = move |_| {
        let l = lang.get_untracked();
        if o.clear_device() {
            message.set(Some(t(l, "device.cleared").into()));
        } else {
            message.set(Some(t(l, "device.clear_refused").into()));
        }
    };
    let name_of = move |id: uuid::Uuid| {
        o.store.with(|s| {
            s.as_ref()
                .and_then(|s| s.docs.get(&id))
                .and_then(|d| serde_json::from_value::<domain::client::ClientInput>(d.local.clone()).ok())
                .map(|c| domain::client::display_name(&c.kind, &c.surname, &c.first_names, &c.name))
                .unwrap_or_default()
        })
    };
    view! {
        <h1>{tr("device.title")}</h1>
        <section class="card">
            <h2>{tr("device.sync")}</h2>
            <SyncStatus/>
            {move || message.get().map(|m| view! { <p class="notice" role="status" id="device-message">{m}</p> })}
            <div class="actions">
                <button type="button" id="export" class="secondary" disabled=move || o.lock.get() != Lock::Open
                    on:click=move |_| o.export()>{tr("device.export")}</button>
                <button type="button" class="secondary" disabled=move || o.lock.get() != Lock::Open
                    on:click=move |_| leptos::task::spawn_local(o.lock_now())>{tr("device.lock")}</button>
                <button type="button" id="clear-device" class="danger" on:click=clear>{tr("device.clear")}</button>
            </div>
        </section>
        <section class="card">
            <h2>{tr("device.storage")}</h2>
            {move || o.usage.get().map(|(used, quota)| {
                let share = if quota > 0.0 { used / quota } else { 0.0 };
                view! {
                    <p id="storage-usage">{move || {
                        let l = lang.get();
                        format!("{} / {} ({})", numbers::size(used, l), numbers::size(quota, l), numbers::percent(share * 100.0, l))
                    }}</p>
                    <meter min="0" max="1" value=share high=STORAGE_WARN aria-labelledby="storage-usage"></meter>
                    {(share >= STORAGE_WARN).then(|| view! { <p class="notice warn" role="alert">{tr("device.storage_warn")}</p> })}
                }
            })}
            {move || o.write_error.get().map(|e| view! { <p class="notice error" role="alert">{tr("device.write_failed")} " " {e}</p> })}
            <p>{move || if o.persisted.get() { t(lang.get(), "device.persisted") } else { t(lang.get(), "device.not_persisted") }}</p>
        </section>
        <section class="card">
            <h2>{tr("device.waiting")}</h2>
            {move || {
                let items = o.store.with(|s| s.as_ref().map(|s| s.outbox.clone()).unwrap_or_default());
                if items.is_empty() {
                    return view! { <p>{tr("device.nothing_waiting")}</p> }.into_any();
                }
                view! {
                    <ul class="plain" id="waiting-list">
                        {items.into_iter().map(|p| {
                            let (kind, doc) = match &p.item {
                                Item::Doc { doc_id, .. } => ("device.item.doc", *doc_id),
                                Item::Note { client_id, .. } => ("device.item.note", *client_id),
                            };
                            view! {
                                <li><a href=format!("/clients/{doc}")>{name_of(doc)}</a> " — " {move || t(lang.get(), kind)}
                                    " · " {clock(p.written_at)}</li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>{tr("device.rejected")}</h2>
            {move || {
                let items = o.store.with(|s| s.as_ref().map(|s| s.rejected.clone()).unwrap_or_default());
                if items.is_empty() {
                    return view! { <p>{tr("device.nothing_rejected")}</p> }.into_any();
                }
                view! {
                    <ul class="plain" id="rejected-list">
                        {items.into_iter().map(|r| view! {
                            <li>
                                <a href=format!("/clients/{}/edit", r.doc_id)>{name_of(r.doc_id)}</a>
                                {r.note_text.map(|n| view! { <blockquote>{n}</blockquote> })}
                                <ul>{r.errors.into_iter().map(|e| view! { <li>{e.message}</li> }).collect_view()}</ul>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
