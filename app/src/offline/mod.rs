//! The offline engine in the browser. The device store (drafts, outbox, refused
//! changes, conflicts, the cached caseload; see `domain::outbox`) lives in memory
//! while unlocked and in `localStorage` as one AES-GCM ciphertext, written whole in a
//! single `setItem`, so a draft and the change that sends it are never apart.
//!
//! Why `localStorage` (through gloo-storage) and not IndexedDB: a write is one
//! synchronous, atomic call that either replaces the previous ciphertext or fails
//! and leaves it intact; a caseload of 15 clients with drafts is tens of kilobytes,
//! far below its quota. The data key is not stored anywhere in clear (only wrapped,
//! see `crypto`), so nothing needs IndexedDB's ability to keep a non-extractable key.

pub mod crypto;

use std::time::Duration;

use domain::api::{ClientRecord, Me};
use domain::outbox::{DeviceStore, STORE_SCHEMA};
use domain::partnership::draft::DocDraft;
use domain::partnership::{DocSave, DocSaved, Kind, PartnershipDoc};
use domain::report::draft::ReportDraft;
use domain::report::{MonthlyReport, Narrative, ReportSave, ReportSaved};
use domain::validation::FieldError;
use domain::sync::{Caseload, PushRequest, PushResponse};
use domain::docs::DocType;
use gloo_storage::{LocalStorage as Browser, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use web_sys::CryptoKey;

use crate::api::{self, ApiError};

const DEVICE: &str = "sciezka.device";
const LAST_USER: &str = "sciezka.last_user";
/// Mutations per push; the server takes up to `domain::sync::MAX_BATCH`.
const BATCH: usize = 200;
/// Storage use at which the device warns.
pub const STORAGE_WARN: f64 = 0.8;

fn keyring_name(user: Uuid) -> String {
    format!("sciezka.keys.{user}")
}

fn data_name(user: Uuid) -> String {
    format!("sciezka.data.{user}")
}

/// What the device keeps in clear about a user: who they are, and their data key
/// wrapped twice. Names and partnerships only, never case data.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Keyring {
    salt: String,
    by_server: Option<String>,
    by_password: Option<String>,
    me: Me,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Lock {
    /// Not known yet (the page is starting).
    Unknown,
    /// Nobody has kept drafts on this device.
    Empty,
    /// Drafts are on the device, encrypted; a password opens them.
    Locked { name: String },
    Open,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    Idle,
    Syncing { done: usize, total: usize },
    Failed(String),
    SignedOut,
}

#[derive(Debug)]
enum SyncError {
    SignedOut,
    Failed(String),
}

#[derive(Clone, Copy)]
pub struct Offline {
    pub store: RwSignal<Option<DeviceStore>>,
    key: StoredValue<Option<CryptoKey>, LocalStorage>,
    user: StoredValue<Option<Uuid>>,
    pub me: RwSignal<Option<Me>>,
    pub lock: RwSignal<Lock>,
    pub phase: RwSignal<Phase>,
    pub online: RwSignal<bool>,
    /// When the device store was last written successfully (local time, HH:MM:SS).
    pub saved_at: RwSignal<Option<String>>,
    /// Edits in memory not yet written to the device.
    pub unsaved: RwSignal<bool>,
    pub write_error: RwSignal<Option<String>>,
    /// (usage, quota) in bytes, as the browser estimates them.
    pub usage: RwSignal<Option<(f64, f64)>>,
    pub persisted: RwSignal<bool>,
    seq: StoredValue<u64>,
    written: StoredValue<u64>,
    save_timer: StoredValue<Option<TimeoutHandle>>,
    sync_timer: StoredValue<Option<TimeoutHandle>>,
    backoff: StoredValue<u32>,
    running: StoredValue<bool>,
    last_input: StoredValue<f64>,
}

pub fn provide_offline() {
    provide_context(Offline {
        store: RwSignal::new(None),
        key: StoredValue::new_local(None),
        user: StoredValue::new(None),
        me: RwSignal::new(None),
        lock: RwSignal::new(Lock::Unknown),
        phase: RwSignal::new(Phase::Idle),
        online: RwSignal::new(true),
        saved_at: RwSignal::new(None),
        unsaved: RwSignal::new(false),
        write_error: RwSignal::new(None),
        usage: RwSignal::new(None),
        persisted: RwSignal::new(false),
        seq: StoredValue::new(0),
        written: StoredValue::new(0),
        save_timer: StoredValue::new(None),
        sync_timer: StoredValue::new(None),
        backoff: StoredValue::new(0),
        running: StoredValue::new(false),
        last_input: StoredValue::new(0.0),
    });
}

pub fn use_offline() -> Offline {
    expect_context::<Offline>()
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Local wall-clock time, HH:MM:SS.
pub fn clock(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:02}:{:02}:{:02}", d.get_hours(), d.get_minutes(), d.get_seconds())
}

/// This browser profile's id, made once; it names the device in history and conflicts.
pub fn device_id() -> Uuid {
    if let Ok(id) = Browser::get::<Uuid>(DEVICE) {
        return id;
    }
    let id = Uuid::now_v7();
    let _ = Browser::set(DEVICE, id);
    id
}

fn load_keyring(user: Uuid) -> Option<Keyring> {
    Browser::get::<Keyring>(keyring_name(user)).ok()
}

fn save_keyring(user: Uuid, ring: &Keyring) -> Result<(), String> {
    Browser::set(keyring_name(user), ring).map_err(|e| e.to_string())
}

/// Moves drafts that no key opens any more out of the way, under a dated name.
fn set_aside(user: Uuid) {
    let suffix = format!("unopened.{}", now_ms());
    for name in [keyring_name(user), data_name(user)] {
        if let Ok(Some(v)) = Browser::raw().get_item(&name) {
            let _ = Browser::raw().set_item(&format!("{name}.{suffix}"), &v);
            Browser::delete(&name);
        }
    }
}

fn js_err(e: crypto::CryptoError) -> String {
    e.0
}

impl Offline {
    /// Starts the engine in the browser: network and page-life events, the service
    /// worker, the idle lock, periodic sync. Called once, from an effect.
    pub fn start(self) {
        self.online.set(web_sys::window().map(|w| w.navigator().on_line()).unwrap_or(true));
        window_event_listener(leptos::ev::online, move |_| {
            self.online.set(true);
            self.backoff.set_value(0);
            self.sync_soon(0);
        });
        window_event_listener(leptos::ev::offline, move |_| self.online.set(false));
        // A closing tab or a tablet put away: write what is in memory now.
        window_event_listener(leptos::ev::pagehide, move |_| self.flush());
        window_event_listener_untyped("visibilitychange", move |_| {
            let hidden = web_sys::window().and_then(|w| w.document()).is_some_and(|d| d.hidden());
            if hidden {
                self.flush();
            }
        });
        // Another tab of this device wrote the store: take its version, so two tabs never
        // overwrite each other's work (unless this one has an edit not yet written,
        // which its own write will carry within 300 ms).
        window_event_listener(leptos::ev::storage, move |ev| {
            let Some(user) = self.user.get_value() else { return };
            if ev.key().as_deref() != Some(data_name(user).as_str()) || self.unsaved.get_untracked() {
                return;
            }
            let (Some(sealed), Some(key)) = (ev.new_value(), self.key.get_value()) else { return };
            spawn_local(async move {
                if let Ok(json) = crypto::decrypt(&key, &sealed).await {
                    if let Ok(store) = serde_json::from_str::<DeviceStore>(&json) {
                        if !self.unsaved.get_untracked() {
                            self.store.set(Some(store));
                        }
                    }
                }
            });
        });
        for name in ["pointerdown", "keydown"] {
            window_event_listener_untyped(name, move |_| self.last_input.set_value(js_sys::Date::now()));
        }
        self.last_input.set_value(js_sys::Date::now());
        let _ = set_interval_with_handle(move || self.tick(), Duration::from_secs(20));
        register_service_worker();
    }

    fn tick(self) {
        if self.lock.get_untracked() != Lock::Open {
            return;
        }
        let minutes = self.me.get_untracked().map(|m| m.draft_lock_minutes).unwrap_or(15);
        if minutes > 0 && js_sys::Date::now() - self.last_input.get_value() > f64::from(minutes) * 60_000.0 {
            spawn_local(self.lock_now());
            return;
        }
        // Waiting changes go at once; otherwise the caseload is refreshed every five
        // minutes (each refresh is an audited read of the caseload).
        let (waiting, last) = self.store.with_untracked(|s| s.as_ref().map(|s| (s.waiting(), s.last_sync.unwrap_or(0))).unwrap_or((0, 0)));
        if self.online.get_untracked() && !self.running.get_value() && (waiting > 0 || now_ms() - last > 300_000) {
            self.sync_soon(0);
        }
    }

    /// The session answered: open the drafts with the server's key, or show that they
    /// are locked when there is no session (offline, expired).
    pub fn on_session(self, me: Result<Me, ApiError>) {
        // A tablet in kiosk mode is in a respondent's hands: its drafts stay locked
        // until the consultant types the password, even though the session is alive.
        let kiosk = web_sys::window().and_then(|w| w.location().pathname().ok()).is_some_and(|p| p.starts_with("/kiosk/"));
        match me {
            Ok(_) if kiosk => self.show_locked(),
            Ok(me) => spawn_local(async move {
                if let Err(e) = self.open(&me, None).await {
                    leptos::logging::warn!("drafts stay locked: {e}");
                    self.show_locked();
                }
            }),
            Err(_) => self.show_locked(),
        }
    }

    fn show_locked(self) {
        if self.lock.get_untracked() == Lock::Open {
            return;
        }
        let last = Browser::get::<Uuid>(LAST_USER).ok();
        match last.and_then(load_keyring) {
            Some(ring) if ring.by_password.is_some() => self.lock.set(Lock::Locked { name: ring.me.display_name }),
            _ => self.lock.set(Lock::Empty),
        }
    }

    /// Opens (or makes) the user's drafts with the server's key; with the password
    /// (at sign-in) the data key is also wrapped for offline unlocking.
    pub async fn open(self, me: &Me, password: Option<&str>) -> Result<(), String> {
        if me.device_key.is_empty() {
            return Err("no device key".into());
        }
        let server = crypto::server_key(&me.device_key).await.map_err(js_err)?;
        let mut ring = load_keyring(me.user_id);
        let key = match ring.as_ref().and_then(|r| r.by_server.clone()) {
            Some(w) => match crypto::unwrap(&w, &server).await {
                Ok(k) => k,
                // Wrapped by a key the server no longer hands out: only the password opens it.
                Err(_) => {
                    let mut opened = None;
                    if let (Some(p), Some(wp)) = (password, ring.as_ref().and_then(|r| r.by_password.clone())) {
                        let salt = ring.as_ref().map(|r| r.salt.clone()).unwrap_or_default();
                        if let Ok(pk) = crypto::password_key(p, &salt).await {
                            opened = crypto::unwrap(&wp, &pk).await.ok();
                        }
                    }
                    match (opened, password) {
                        (Some(k), _) => k,
                        // Neither key opens them (the account was recreated, say): the old
                        // ciphertext is set aside under a dated name, never deleted.
                        (None, Some(_)) => {
                            set_aside(me.user_id);
                            ring = None;
                            crypto::new_data_key().await.map_err(js_err)?
                        }
                        (None, None) => return Err("the server key does not open these drafts".into()),
                    }
                }
            },
            None => {
                // No key for what may be stored: keep it aside rather than fail to open it.
                set_aside(me.user_id);
                ring = None;
                crypto::new_data_key().await.map_err(js_err)?
            }
        };
        let salt = ring.as_ref().map(|r| r.salt.clone()).unwrap_or_else(|| crypto::random_b64(16));
        let by_password = match password {
            Some(p) => Some(crypto::wrap(&key, &crypto::password_key(p, &salt).await.map_err(js_err)?).await.map_err(js_err)?),
            None => ring.as_ref().and_then(|r| r.by_password.clone()),
        };
        let kept_me = Me { csrf_token: String::new(), device_key: String::new(), ..me.clone() };
        let new_ring = Keyring { salt, by_server: Some(crypto::wrap(&key, &server).await.map_err(js_err)?), by_password, me: kept_me };
        save_keyring(me.user_id, &new_ring)?;
        let _ = Browser::set(LAST_USER, me.user_id);
        self.me.set(Some(me.clone()));
        self.load(me.user_id, key).await
    }

    /// Opens the drafts offline with the password.
    pub async fn unlock(self, password: &str) -> Result<(), String> {
        let user = Browser::get::<Uuid>(LAST_USER).map_err(|e| e.to_string())?;
        let ring = load_keyring(user).ok_or("no drafts on this device")?;
        let wrapped = ring.by_password.clone().ok_or("no password key")?;
        let pk = crypto::password_key(password, &ring.salt).await.map_err(js_err)?;
        let key = crypto::unwrap(&wrapped, &pk).await.map_err(js_err)?;
        if self.me.get_untracked().is_none() {
            self.me.set(Some(ring.me.clone()));
        }
        self.load(user, key).await
    }

    async fn load(self, user: Uuid, key: CryptoKey) -> Result<(), String> {
        let store = match Browser::raw().get_item(&data_name(user)).ok().flatten() {
            Some(sealed) => {
                let json = crypto::decrypt(&key, &sealed).await.map_err(js_err)?;
                let mut s: DeviceStore = serde_json::from_str(&json).map_err(|e| e.to_string())?;
                if s.schema > STORE_SCHEMA {
                    return Err("these drafts were written by a newer version of the app; reload to update it".into());
                }
                // Older layouts are read with defaults for what they lacked.
                s.schema = STORE_SCHEMA;
                s
            }
            None => DeviceStore::new(),
        };
        self.key.set_value(Some(key));
        self.user.set_value(Some(user));
        self.store.set(Some(store));
        self.lock.set(Lock::Open);
        self.last_input.set_value(js_sys::Date::now());
        spawn_local(self.check_storage(true));
        self.sync_soon(0);
        Ok(())
    }

    /// Writes what is in memory and forgets the key: the drafts lock.
    pub async fn lock_now(self) {
        let _ = self.write().await;
        self.key.set_value(None);
        self.store.set(None);
        self.lock.set(Lock::Unknown);
        self.show_locked();
    }

    /// Changes the device store and schedules its write (within half a second).
    pub fn mutate(self, f: impl FnOnce(&mut DeviceStore)) {
        if self.store.with_untracked(Option::is_none) {
            return;
        }
        self.store.update(|s| {
            if let Some(s) = s {
                f(s);
            }
        });
        self.unsaved.set(true);
        if let Some(h) = self.save_timer.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(move || self.flush(), Duration::from_millis(300)).ok();
        self.save_timer.set_value(h);
    }

    /// A person typed in a document: keep it on the device and send it soon.
    pub fn edit(self, doc_type: DocType, doc_id: Uuid, server: Option<ClientRecord>, local: serde_json::Value) {
        self.mutate(|s| s.edit(doc_type, doc_id, server.as_ref(), local, now_ms()));
        self.sync_soon(1500);
    }

    /// [`Offline::edit`] for a case document, with the server's copy if there is one.
    pub fn edit_doc(self, doc_type: DocType, doc_id: Uuid, partnership: Uuid, server: Option<domain::docs::DocRecord>, local: serde_json::Value) {
        self.mutate(|s| s.edit_doc(doc_type, doc_id, partnership, server.as_ref(), local, now_ms()));
        self.sync_soon(1500);
    }

    /// A report's narrative typed on this device: kept encrypted, sent soon.
    pub fn edit_report(self, partnership: Uuid, month: &str, server: Option<MonthlyReport>, local: Narrative) {
        self.mutate(|s| s.report(partnership, month, server.as_ref()).edit(local));
        self.sync_soon(1500);
    }

    /// The server's copy of a report, kept to read and write it offline; it becomes
    /// the draft unless the device has changes of its own.
    pub fn keep_report(self, server: MonthlyReport) {
        let (p, m) = (server.partnership_id, server.month.clone());
        self.mutate(|s| s.report(p, &m, Some(&server)).refresh(server));
    }

    pub fn finalise_report(self, partnership: Uuid, month: &str) {
        self.mutate(|s| s.report(partnership, month, None).finalise = true);
        self.sync_soon(200);
    }

    pub fn resolve_report(self, partnership: Uuid, month: &str, field: &str, keep_mine: bool) {
        self.mutate(|s| s.report(partnership, month, None).resolve(field, keep_mine));
        self.sync_soon(1500);
    }

    /// Forgets the device's changes to a report (after the server refused them for good).
    pub fn discard_report(self, partnership: Uuid, month: &str) {
        self.mutate(|s| {
            let d = s.report(partnership, month, None);
            d.local = d.base.clone();
            d.finalise = false;
            d.conflicts.clear();
            d.errors.clear();
        });
    }

    pub fn report_draft(self, partnership: Uuid, month: &str) -> Option<ReportDraft> {
        self.store.with(|s| s.as_ref().and_then(|s| s.reports.iter().find(|r| r.is(partnership, month)).cloned()))
    }

    /// The server's copy of a partnership document, kept to work on it offline.
    pub fn keep_partnership_doc(self, server: PartnershipDoc) {
        self.mutate(|s| s.partnership_doc(&server).refresh(server.clone()));
    }

    /// A partnership document changed on this device: kept encrypted, sent soon.
    pub fn edit_partnership_doc(self, server: PartnershipDoc, local: serde_json::Value) {
        self.mutate(|s| s.partnership_doc(&server).edit(local));
        self.sync_soon(1500);
    }

    pub fn resolve_partnership_doc(self, server: PartnershipDoc, path: Vec<String>, keep_mine: bool) {
        self.mutate(|s| s.partnership_doc(&server).resolve(&path, keep_mine));
        self.sync_soon(1500);
    }

    /// Forgets the device's changes to a partnership document.
    pub fn discard_partnership_doc(self, server: PartnershipDoc) {
        self.mutate(|s| {
            let d = s.partnership_doc(&server);
            d.local = d.base.clone();
            d.conflicts.clear();
            d.errors.clear();
        });
    }

    pub fn partnership_doc_draft(self, partnership: Uuid, kind: Kind, key: &str) -> Option<DocDraft> {
        self.store.with(|s| s.as_ref().and_then(|s| s.partnership_docs.iter().find(|d| d.is(partnership, kind, key)).cloned()))
    }

    pub fn add_note(self, client: Uuid, text: String) {
        self.mutate(|s| {
            s.add_note(client, text, now_ms());
        });
        self.sync_soon(300);
    }

    pub fn flush(self) {
        spawn_local(async move {
            self.write().await;
        });
    }

    /// Encrypts and stores the whole device store. Writes can overlap (encryption is
    /// asynchronous); an older one finishing late never replaces a newer one.
    async fn write(self) -> bool {
        let (Some(store), Some(key), Some(user)) = (self.store.get_untracked(), self.key.get_value(), self.user.get_value()) else {
            return false;
        };
        let seq = self.seq.get_value() + 1;
        self.seq.set_value(seq);
        let Ok(json) = serde_json::to_string(&store) else { return false };
        let sealed = match crypto::encrypt(&key, &json).await {
            Ok(s) => s,
            Err(e) => {
                self.write_error.set(Some(e.0));
                return false;
            }
        };
        if seq < self.written.get_value() {
            return true;
        }
        match Browser::raw().set_item(&data_name(user), &sealed) {
            Ok(()) => {
                self.written.set_value(seq);
                self.saved_at.set(Some(clock(now_ms())));
                self.write_error.set(None);
                if seq == self.seq.get_value() {
                    self.unsaved.set(false);
                }
                true
            }
            Err(e) => {
                // The previous ciphertext is still there, whole.
                self.write_error.set(Some(format!("{e:?}")));
                spawn_local(self.check_storage(false));
                false
            }
        }
    }

    async fn check_storage(self, ask_persist: bool) {
        let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else { return };
        if ask_persist {
            if let Ok(p) = storage.persist() {
                if let Ok(v) = wasm_bindgen_futures::JsFuture::from(p).await {
                    self.persisted.set(v.as_bool().unwrap_or(false));
                }
            }
        }
        if let Ok(p) = storage.estimate() {
            if let Ok(v) = wasm_bindgen_futures::JsFuture::from(p).await {
                let get = |k: &str| js_sys::Reflect::get(&v, &k.into()).ok().and_then(|x| x.as_f64()).unwrap_or(0.0);
                self.usage.set(Some((get("usage"), get("quota"))));
            }
        }
    }

    /// Schedules a sync; a sooner request replaces a later one.
    pub fn sync_soon(self, ms: u64) {
        if let Some(h) = self.sync_timer.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(move || spawn_local(self.sync()), Duration::from_millis(ms)).ok();
        self.sync_timer.set_value(h);
    }

    pub async fn sync(self) {
        if self.running.get_value() || self.lock.get_untracked() != Lock::Open || !self.online.get_untracked() {
            return;
        }
        self.running.set_value(true);
        let result = self.sync_inner().await;
        self.running.set_value(false);
        match result {
            Ok(()) => {
                self.backoff.set_value(0);
                self.phase.set(Phase::Idle);
            }
            Err(SyncError::SignedOut) => self.phase.set(Phase::SignedOut),
            Err(SyncError::Failed(why)) => {
                let n = (self.backoff.get_value() + 1).min(8);
                self.backoff.set_value(n);
                self.phase.set(Phase::Failed(why));
                // 2 s, 4 s, … up to about 4 minutes; the online event cuts it short.
                self.sync_soon(1000 * (1u64 << n));
            }
        }
    }

    async fn sync_inner(self) -> Result<(), SyncError> {
        let device = device_id();
        let lang = crate::i18n::current_lang();
        let total = self.store.with_untracked(|s| s.as_ref().map(DeviceStore::waiting).unwrap_or(0));
        let mut done = 0;
        let mut touched: Vec<Uuid> = Vec::new();
        loop {
            let mut batch = Vec::new();
            let memberships = self.me.get_untracked().map(|m| m.memberships).unwrap_or_default();
            self.store.update(|s| {
                if let Some(s) = s {
                    batch = s.next_batch(BATCH, lang, api::today(), &memberships);
                }
            });
            if batch.is_empty() {
                break;
            }
            // Sent changes are frozen on the device before they leave it.
            if !self.write().await {
                return Err(SyncError::Failed("storage".into()));
            }
            self.phase.set(Phase::Syncing { done, total: total.max(done + batch.len()) });
            let n = batch.len();
            let answer: PushResponse = api::post("/api/v1/sync/push", &PushRequest { device_id: device, mutations: batch })
                .await
                .map_err(|e| match e {
                    ApiError::Unauthorized => SyncError::SignedOut,
                    other => SyncError::Failed(other.message()),
                })?;
            self.store.update(|s| {
                if let Some(s) = s {
                    for id in s.apply_results(&answer.results, now_ms()) {
                        if !touched.contains(&id) {
                            touched.push(id);
                        }
                    }
                }
            });
            self.write().await;
            done += n;
            self.phase.set(Phase::Syncing { done, total: total.max(done) });
        }
        self.send_reports().await?;
        self.send_partnership_docs().await?;
        let mut caseload: Caseload = api::get("/api/v1/sync/caseload").await.map_err(|e| match e {
            ApiError::Unauthorized => SyncError::SignedOut,
            other => SyncError::Failed(other.message()),
        })?;
        let mut others = Vec::new();
        let in_caseload = |c: &Caseload, id: Uuid| c.clients.iter().any(|r| r.id == id) || c.documents.iter().any(|d| d.id == id);
        let touched: Vec<Uuid> = touched.into_iter().filter(|id| !in_caseload(&caseload, *id)).collect();
        for id in touched {
            let is_doc = self.store.with_untracked(|s| s.as_ref().and_then(|s| s.docs.get(&id)).is_some_and(|d| d.doc_type != DocType::Client));
            if is_doc {
                // A case document of a client outside the caseload: its fresh copy.
                if let Ok(d) = api::get::<domain::docs::DocRecord>(&format!("/api/v1/documents/{id}")).await {
                    // Its client too, so the device keeps the document: a client whose
                    // support just ended has left the caseload but is still being written.
                    let client = d.client_id;
                    caseload.documents.push(d);
                    if !in_caseload(&caseload, client) && !others.iter().any(|r: &ClientRecord| r.id == client) {
                        if let Ok(r) = api::get::<ClientRecord>(&format!("/api/v1/clients/{client}")).await {
                            others.push(r);
                        }
                    }
                }
                continue;
            }
            if let Ok(r) = api::get::<ClientRecord>(&format!("/api/v1/clients/{id}")).await {
                others.push(r);
                if let Ok(list) = api::get::<Vec<domain::sync::ConflictView>>(&format!("/api/v1/clients/{id}/conflicts")).await {
                    caseload.conflicts.extend(list.into_iter().filter(|c| c.resolved_at.is_empty()));
                }
            }
        }
        self.store.update(|s| {
            if let Some(s) = s {
                s.refresh(caseload, others, now_ms());
            }
        });
        self.write().await;
        Ok(())
    }

    /// Sends the reports' narratives that wait on the device, one save each.
    async fn send_reports(self) -> Result<(), SyncError> {
        let ready: Vec<(Uuid, String, ReportSave)> = self.store.with_untracked(|s| {
            s.as_ref().map(|s| s.reports.iter().filter(|r| r.ready()).map(|r| (r.partnership_id, r.month.clone(), r.request())).collect()).unwrap_or_default()
        });
        for (p, month, req) in ready {
            let answer = api::put_merged::<_, ReportSaved>(&format!("/api/v1/partnerships/{p}/reports/{month}"), &req).await;
            let outcome = merged_save(answer)?;
            self.store.update(|s| {
                let Some(s) = s else { return };
                let draft = s.report(p, &month, None);
                match outcome {
                    Ok(saved) => draft.saved(&req, saved),
                    Err(errors) => draft.errors = errors,
                }
            });
            self.write().await;
        }
        Ok(())
    }

    /// Sends the partnership documents that wait on the device, one save each.
    async fn send_partnership_docs(self) -> Result<(), SyncError> {
        let ready: Vec<(Uuid, Kind, String, DocSave)> = self.store.with_untracked(|s| {
            s.as_ref().map(|s| s.partnership_docs.iter().filter(|d| d.ready()).map(|d| (d.partnership_id, d.kind, d.key.clone(), d.request())).collect()).unwrap_or_default()
        });
        for (p, kind, key, req) in ready {
            let url = format!("/api/v1/partnerships/{p}/docs/{}?key={key}", kind.as_str());
            let answer = api::put_merged::<_, DocSaved>(&url, &req).await;
            let find = |s: &mut DeviceStore| s.partnership_docs.iter().position(|d| d.is(p, kind, &key));
            let outcome = merged_save(answer)?;
            self.store.update(|s| {
                let Some(s) = s else { return };
                let Some(i) = find(s) else { return };
                match outcome {
                    Ok(saved) => s.partnership_docs[i].saved(&req, saved),
                    Err(errors) => s.partnership_docs[i].errors = errors,
                }
            });
            self.write().await;
        }
        Ok(())
    }

    /// The encrypted changes as a file, for when nothing else works: it opens with
    /// the consultant's password.
    pub fn export(self) {
        let Some(user) = self.user.get_value() else { return };
        let body = serde_json::json!({
            "format": "sciezka-device-export-1",
            "device_id": device_id(),
            "keyring": Browser::get::<serde_json::Value>(keyring_name(user)).ok(),
            "data": Browser::raw().get_item(&data_name(user)).ok().flatten(),
        });
        download(&format!("sciezka-zmiany-{}.json", api::today()), &body.to_string());
    }

    /// Forgets this user's drafts on this device; refused while changes wait.
    pub fn clear_device(self) -> bool {
        if self.store.with_untracked(|s| s.as_ref().is_some_and(|s| s.waiting() > 0)) {
            return false;
        }
        if let Some(user) = self.user.get_value().or_else(|| Browser::get::<Uuid>(LAST_USER).ok()) {
            Browser::delete(data_name(user));
            Browser::delete(keyring_name(user));
        }
        Browser::delete(LAST_USER);
        self.key.set_value(None);
        self.store.set(None);
        self.lock.set(Lock::Empty);
        true
    }

    /// Writes, syncs and waits (up to `max_ms`) until this document's changes have
    /// an answer. Returns the server's field errors, if it refused them.
    pub async fn settle(self, doc: Uuid, max_ms: u32) -> Vec<domain::validation::FieldError> {
        self.write().await;
        let mut waited = 0;
        loop {
            if !self.running.get_value() {
                self.sync().await;
            }
            let (pending, errors) = self.store.with_untracked(|s| {
                s.as_ref().map(|s| (s.has_pending(doc), s.docs.get(&doc).map(|d| d.errors.clone()).unwrap_or_default())).unwrap_or_default()
            });
            if !errors.is_empty() || !pending || !self.online.get_untracked() || waited >= max_ms || self.lock.get_untracked() != Lock::Open {
                return errors;
            }
            sleep(200).await;
            waited += 200;
        }
    }

    /// The device's copy of a client: the server's last copy and what the person sees.
    pub fn cached(self, id: Uuid) -> Option<domain::outbox::LocalDoc> {
        self.store.with(|s| s.as_ref().and_then(|s| s.docs.get(&id).cloned()))
    }

    pub fn has_pending(self, id: Uuid) -> bool {
        self.store.with(|s| s.as_ref().is_some_and(|s| s.has_pending(id)))
    }

    pub fn waiting(self) -> usize {
        self.store.with(|s| s.as_ref().map(DeviceStore::waiting).unwrap_or(0))
    }
}

/// The newer of a page's fresh fetch and the device's copy. The device's copy is
/// refreshed by every fetch and every action's answer, so at the same version it
/// is the newer one; without it (drafts locked) the fetch is all there is.
pub fn newest<T>(fresh: Option<T>, kept: Option<T>, version: impl Fn(&T) -> i64) -> Option<T> {
    match (fresh, kept) {
        (Some(f), Some(k)) => Some(if version(&k) >= version(&f) { k } else { f }),
        (f, k) => f.or(k),
    }
}

/// What the answer to a merged save means on the device: stored, refused for good
/// (its errors stay with the draft until the person acts), or a failure the sync
/// retries.
fn merged_save<T>(answer: Result<T, ApiError>) -> Result<Result<T, Vec<FieldError>>, SyncError> {
    let refused = |message: String| vec![FieldError { pointer: String::new(), code: "refused".into(), message }];
    match answer {
        Ok(saved) => Ok(Ok(saved)),
        Err(ApiError::Unauthorized) => Err(SyncError::SignedOut),
        Err(ApiError::Invalid(errors, _)) => Ok(Err(errors)),
        Err(e @ (ApiError::Conflict(_) | ApiError::Forbidden(_) | ApiError::NotFound)) => Ok(Err(refused(e.message()))),
        Err(other) => Err(SyncError::Failed(other.message())),
    }
}

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn register_service_worker() {
    if let Some(w) = web_sys::window() {
        let container = w.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}

fn download(name: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Some(a) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
