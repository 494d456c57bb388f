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
        download(&format!("sciezka-zmiany-{}.json", api::today()), &body.to_string());
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
