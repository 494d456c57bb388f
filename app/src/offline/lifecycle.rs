//! The engine's life in the page: network and page-life events, another tab's
//! writes, the idle lock and the periodic sync, and the service worker.

use std::time::Duration;

use domain::outbox::DeviceStore;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::vault::data_name;
use super::{crypto, now_ms, Lock, Offline};

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
}

fn register_service_worker() {
    if let Some(w) = web_sys::window() {
        let container = w.navigator().service_worker();
        let _ = container.register("/sw.js");
    }
}
