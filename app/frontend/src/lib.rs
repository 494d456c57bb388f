#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // The service worker's offline shell (`/offline`) has an empty body marked
    // `data-csr`: there is nothing to hydrate, so the app renders in the browser.
    let shell = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()).is_some_and(|b| b.has_attribute("data-csr"));
    if shell {
        leptos::mount::mount_to_body(app::App);
    } else {
        leptos::mount::hydrate_body(app::App);
    }
}
