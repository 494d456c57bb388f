//! The browser's own facilities the pages need (cookies, navigation, the calendar
//! day), each a no-op or the server's answer while a page renders on the server. A
//! leaf: it imports nothing of the app.

use domain::wire::cookie_value;
use wasm_bindgen::JsCast;

fn html_document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into::<web_sys::HtmlDocument>().ok()
}

pub fn cookie(name: &str) -> Option<String> {
    if cfg!(feature = "ssr") {
        return None;
    }
    cookie_value(&html_document()?.cookie().ok()?, name)
}

pub fn set_cookie(name: &str, value: &str) {
    if let Some(doc) = html_document() {
        let _ = doc.set_cookie(&format!("{name}={value}; path=/; max-age=31536000; samesite=strict"));
    }
}

/// The `content` of the page's `<meta name="{name}">`: what the server wrote into the
/// page for the browser's first render. `None` while the server renders.
pub fn meta_content(name: &str) -> Option<String> {
    if cfg!(feature = "ssr") {
        return None;
    }
    web_sys::window()?.document()?.query_selector(&format!("meta[name='{name}']")).ok()??.get_attribute("content")
}

/// Opens the browser's print dialogue (forms, slips, recovery codes).
pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// Saves bytes made in the page (or fetched with a request a link cannot make) as a
/// downloaded file named `name`.
pub fn save_file(name: &str, bytes: &[u8], mime: &str) {
    use wasm_bindgen::JsCast;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &opts) else { return };
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

/// Marks the document as hydrated (`<html data-hydrated>`).
pub fn mark_hydrated() {
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = el.set_attribute("data-hydrated", "true");
    }
}

/// Moves keyboard and screen-reader focus to the first element matching `selector`; a
/// heading gets `tabindex=-1` so it can hold focus. False when nothing matches yet.
pub fn focus_first(selector: &str) -> bool {
    let found = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector(selector).ok().flatten());
    let Some(el) = found.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) else { return false };
    if !el.has_attribute("tabindex") {
        let _ = el.set_attribute("tabindex", "-1");
    }
    el.focus().is_ok()
}

/// The file chosen in the file input `id`: its name and bytes (none on the server, or
/// when nothing is chosen or it cannot be read).
pub async fn chosen_file(id: &str) -> Option<(String, Vec<u8>)> {
    let input = web_sys::window()?.document()?.get_element_by_id(id)?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
    let file = input.files()?.get(0)?;
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await.ok()?;
    Some((file.name(), js_sys::Uint8Array::new(&buffer).to_vec()))
}

/// After a refused submit: focus goes to the first field marked invalid, once the
/// errors are drawn, so a keyboard or screen-reader user lands where to correct.
pub fn focus_first_error() {
    leptos::prelude::request_animation_frame(|| {
        focus_first("[aria-invalid='true']");
    });
}

/// A full navigation, used after signing in or out so every piece of state starts fresh.
pub fn go_to(path: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(path);
    }
}

/// The device's clock as Unix seconds (on the server, while rendering: the server's).
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The device's clock as Unix seconds (on the server, while rendering: the server's).
#[cfg(target_arch = "wasm32")]
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// The device's calendar day (on the server, while rendering a page: the server's).
#[cfg(not(target_arch = "wasm32"))]
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// The device's calendar day (on the server, while rendering a page: the server's).
#[cfg(target_arch = "wasm32")]
pub fn today() -> time::Date {
    let now = js_sys::Date::new_0();
    time::Date::from_calendar_date(
        now.get_full_year() as i32,
        time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January),
        now.get_date() as u8,
    )
    .unwrap_or(time::Date::MIN)
}

