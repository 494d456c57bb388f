// The app's view types are deep: the future that hydrates them needs the room.
#![recursion_limit = "512"]

use std::cell::RefCell;
use std::panic::PanicHookInfo;

use wasm_bindgen::{closure::Closure, JsCast};

thread_local! {
    /// The link followed last and when (ms): a page whose chunk fails to load fails
    /// while the address bar still shows the page before it, and the reload offered
    /// must open the page the person asked for.
    static FOLLOWED: RefCell<Option<(String, f64)>> = const { RefCell::new(None) };
}

/// Room for `cargo leptos build --split` to lay out the read-only data. Its splitter
/// (wasm-split 0.2.3) gives each chunk the constants only it uses, regrouped chunk by
/// chunk with each group aligned; when the regrouped segment would come out longer than
/// the linker's, it gives up and keeps every constant (190 KB, 59 KB brotli) in the main
/// module that every page loads. Kept by the linker (`#[used]`) and read by no code,
/// this block lengthens the linker's segment and is itself left out of every chunk, so
/// the regrouping always fits; it costs the split build nothing. See the README's
/// Performance section.
#[used]
static SPLIT_DATA_ROOM: [u8; 4096] = [0xA5; 4096];

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    std::panic::set_hook(Box::new(on_panic));
    remember_followed_links();
    // The service worker's offline shell (`/offline`) has an empty body marked
    // `data-csr`: there is nothing to hydrate, so the app renders in the browser.
    let shell = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()).is_some_and(|b| b.has_attribute("data-csr"));
    if shell {
        leptos::mount::mount_to_body(app::App);
        app::hydration::finish();
        return;
    }
    // Pages are lazy routes: the page's chunk is loaded first, so hydration runs in
    // one go, before an answer from the network could change the page.
    wasm_bindgen_futures::spawn_local(async {
        app::routes::preload_rendered().await;
        let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else { return };
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        app::hydration::finish();
    });
}

/// A panic ends the wasm instance (release builds abort), and the commonest one is a
/// page chunk that could not be fetched (no network, or a newer build replaced it).
/// Rather than leave a page whose buttons no longer answer, say so and offer a reload:
/// a plain link, since nothing of the app runs any more. Drafts and waiting changes are
/// in the device's storage, so a reload loses nothing.
fn on_panic(info: &PanicHookInfo) {
    console_error_panic_hook::hook(info);
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let (Some(body), Ok(notice), Ok(text), Ok(reload)) =
        (document.body(), document.create_element("div"), document.create_element("p"), document.create_element("a"))
    else {
        return;
    };
    if document.get_element_by_id("app-failed").is_some() {
        return;
    }
    let english = document.document_element().is_some_and(|html| html.get_attribute("lang").is_some_and(|l| l.starts_with("en")));
    let (message, again) = if english {
        ("This part of the app could not be loaded (no connection, or a newer version was installed). Changes kept on this device are safe.", "Reload the page")
    } else {
        ("Nie udało się wczytać tej części aplikacji (brak połączenia albo zainstalowano nowszą wersję). Zmiany zapisane na tym urządzeniu są bezpieczne.", "Wczytaj stronę ponownie")
    };
    let recent = FOLLOWED.with(|f| f.borrow().clone()).filter(|(_, at)| js_sys::Date::now() - at < 60_000.0).map(|(href, _)| href);
    let href = recent.or_else(|| web_sys::window().and_then(|w| w.location().href().ok())).unwrap_or_else(|| "/".into());
    text.set_text_content(Some(message));
    reload.set_text_content(Some(again));
    let _ = reload.set_attribute("href", &href);
    let _ = reload.set_attribute("class", "button");
    // A full load, not the router's: the app that would handle it has stopped.
    let _ = reload.set_attribute("rel", "external");
    let _ = notice.set_attribute("id", "app-failed");
    let _ = notice.set_attribute("class", "notice error app-failed");
    let _ = notice.set_attribute("role", "alert");
    let _ = notice.append_child(&text);
    let _ = notice.append_child(&reload);
    let _ = body.prepend_with_node_1(&notice);
}

/// Records every same-origin link a person follows (see `FOLLOWED`).
fn remember_followed_links() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let listener = Closure::<dyn Fn(web_sys::Event)>::new(|event: web_sys::Event| {
        let link = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|e| e.closest("a[href^='/']").ok().flatten());
        if let Some(href) = link.and_then(|a| a.get_attribute("href")) {
            FOLLOWED.with(|f| *f.borrow_mut() = Some((href, js_sys::Date::now())));
        }
    });
    // Capture: seen before the router takes the click over.
    let _ = document.add_event_listener_with_callback_and_bool("click", listener.as_ref().unchecked_ref(), true);
    listener.forget();
}
