//! What the forms of the case documents share. The forms themselves — field by
//! field in the order of the official forms, with their wording, each drawn from
//! [`super::fields`] controls — sit with their print views, one module per kind.

use leptos::prelude::*;

use crate::i18n::use_lang;

pub(super) fn keyed(values: &[&str], prefix: &str) -> Vec<(String, String)> {
    values.iter().map(|v| (v.to_string(), format!("{prefix}.{v}"))).collect()
}

/// A label whose key is made at run time.
pub fn tr_dyn(key: String) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || domain::i18n::t(lang.get(), &key).to_string()
}
