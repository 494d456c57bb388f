//! The drafts' keys and their encrypted copy on the device: the keyring, opening
//! and locking the drafts, setting aside what no key opens, and the writes of the
//! whole device store to `localStorage`.

use std::time::Duration;

use domain::api::Me;
use domain::outbox::{DeviceStore, STORE_SCHEMA};
use gloo_storage::{LocalStorage as Browser, Storage};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use web_sys::CryptoKey;

use super::{clock, crypto, now_ms, Lock, Offline};
use crate::api::ApiError;

const LAST_USER: &str = "sciezka.last_user";

pub(super) fn keyring_name(user: Uuid) -> String {
    format!("sciezka.keys.{user}")
}

pub(super) fn data_name(user: Uuid) -> String {
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
        let kept_me = Me { csrf_token: String::new(), device_key: String::new(), recovery_codes: Vec::new(), ..me.clone() };
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
                // The layout's number first: a newer layout may not parse as this one.
                #[derive(serde::Deserialize)]
                struct Layout {
                    #[serde(default)]
                    schema: u32,
                }
                if serde_json::from_str::<Layout>(&json).is_ok_and(|l| l.schema > STORE_SCHEMA) {
                    return Err("these drafts were written by a newer version of the app; reload to update it".into());
                }
                let mut s: DeviceStore = serde_json::from_str(&json).map_err(|e| e.to_string())?;
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

    pub fn flush(self) {
        spawn_local(async move {
            self.write().await;
        });
    }

    /// Encrypts and stores the whole device store. Writes can overlap (encryption is
    /// asynchronous); an older one finishing late never replaces a newer one.
    pub(super) async fn write(self) -> bool {
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
}
