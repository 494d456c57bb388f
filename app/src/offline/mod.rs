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
mod drafts;
mod export;
mod lifecycle;
mod sync;
mod vault;

use domain::api::Me;
use domain::outbox::DeviceStore;
use gloo_storage::{LocalStorage as Browser, Storage};
use leptos::prelude::*;
use uuid::Uuid;
use web_sys::CryptoKey;

pub use self::drafts::newest;

const DEVICE: &str = "sciezka.device";
/// Storage use at which the device warns.
pub const STORAGE_WARN: f64 = 0.8;

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
    /// No answer from the server (down, or the network beyond the device is gone while
    /// the device thinks it is online): retried every few seconds, so what waits leaves
    /// within seconds of the server's return.
    Unreachable,
    SignedOut,
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
    /// The clients whose server copy the last sync changed, numbered: what a page that
    /// shows the server's copy of a client reads again on (see [`Offline::changed`]).
    /// Neither typing nor a sync that changed nothing of the client refetches it —
    /// offline a refetch fails, and each read is an entry in the access log.
    pub changes: RwSignal<(u64, Vec<Uuid>)>,
}

pub fn provide_offline() {
    let store = RwSignal::new(None::<DeviceStore>);
    provide_context(Offline {
        store,
        changes: RwSignal::new((0, Vec::new())),
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

impl Offline {
    /// A number that moves when a sync changed `client`'s server copy (its record, a
    /// document, a note, a conflict): read it in a resource to fetch again then only.
    pub fn changed(self, client: Uuid) -> Memo<u64> {
        let changes = self.changes;
        Memo::new(move |previous: Option<&u64>| {
            changes.with(|(n, ids)| if ids.contains(&client) { *n } else { previous.copied().unwrap_or(0) })
        })
    }
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

pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
