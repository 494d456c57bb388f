//! The language of the interface: chosen with a cookie so the server renders the same
//! language the browser hydrates with.

use domain::i18n::t;
pub use domain::Lang;
use leptos::prelude::*;

pub use domain::wire::LANG_COOKIE;

#[derive(Clone, Copy)]
struct LangCtx(RwSignal<Lang>);

thread_local! {
    // The browser's one language, for work that runs outside the component tree
    // (the sync engine's requests after an await).
    static CURRENT: std::cell::Cell<Lang> = const { std::cell::Cell::new(Lang::Pl) };
}

pub fn provide_lang() {
    let lang = initial_lang();
    CURRENT.with(|c| c.set(lang));
    provide_context(LangCtx(RwSignal::new(lang)));
}

/// The language now, also where no component context is at hand.
pub fn current_lang() -> Lang {
    use_context::<LangCtx>().map(|c| c.0.get_untracked()).unwrap_or_else(|| CURRENT.with(std::cell::Cell::get))
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<LangCtx>().map(|c| c.0).unwrap_or_else(|| RwSignal::new(Lang::Pl))
}

/// A reactive translation of `key`, usable as text or as an attribute value.
pub fn tr(key: &'static str) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key).to_string()
}

/// Switches the language and remembers it for the server's next render.
pub fn set_lang(lang: Lang) {
    crate::browser::set_cookie(LANG_COOKIE, lang.tag());
    CURRENT.with(|c| c.set(lang));
    use_lang().set(lang);
}

#[cfg(feature = "ssr")]
fn initial_lang() -> Lang {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            let cookies = parts.headers.get(http::header::COOKIE)?.to_str().ok()?.to_string();
            domain::wire::cookie_value(&cookies, LANG_COOKIE).map(|v| Lang::from_tag(&v))
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "ssr"))]
fn initial_lang() -> Lang {
    crate::browser::cookie(LANG_COOKIE).map(|v| Lang::from_tag(&v)).unwrap_or_default()
}
