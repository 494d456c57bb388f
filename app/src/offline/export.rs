//! The encrypted changes as a file to download, for when nothing else works.

use gloo_storage::{LocalStorage as Browser, Storage};
use leptos::prelude::*;

use super::vault::{data_name, keyring_name};
use super::{device_id, Offline};
use crate::api;

impl Offline {
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
        crate::browser::save_file(&format!("sciezka-zmiany-{}.json", api::today()), body.to_string().as_bytes(), "application/json");
    }
}
