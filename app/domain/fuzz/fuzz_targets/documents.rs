//! Every case document's validation takes any JSON without panicking: the first byte
//! chooses the kind, the rest is the document.
#![no_main]

use domain::docs::{validate, DocContext, DocType};
use domain::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((first, rest)) = data.split_first() else { return };
    let kinds = DocType::CASE_DOCS;
    let kind = kinds[usize::from(*first) % kinds.len()];
    let ctx = DocContext { today: time::macros::date!(2026 - 11 - 29), partners: &[], custom_services: &[] };
    if let Ok(doc) = serde_json::from_slice(rest) {
        let _ = validate(kind, &doc, Lang::Pl, &ctx);
    }
});
