//! A device's push as the server decodes it: any bytes either fail to decode or give
//! mutations whose validation (client records, every case document, notes) answers
//! without panicking; three documents merged give a result without panicking.
#![no_main]

use domain::docs::DocContext;
use domain::sync::{client_from_doc, validate_doc, validate_note, Op, PushRequest};
use domain::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ctx = DocContext { today: time::macros::date!(2026 - 11 - 29), partners: &[], custom_services: &[] };
    if let Ok(push) = serde_json::from_slice::<PushRequest>(data) {
        for m in &push.mutations {
            match &m.op {
                Op::Create { doc_type: domain::docs::DocType::Client, data, .. } => {
                    if let Ok(input) = client_from_doc(data, Lang::Pl) {
                        let _ = input.validate(Lang::En, ctx.today);
                    }
                }
                Op::Create { doc_type, data, .. } => {
                    let _ = validate_doc(*doc_type, data, Lang::Pl, &ctx);
                }
                Op::Edit { .. } => {}
                Op::AddNote { text, .. } => {
                    let _ = validate_note(text, Lang::Pl);
                }
            }
        }
    }
    // Three documents separated by 0xFF bytes: base, mine, theirs.
    let parts: Vec<&[u8]> = data.split(|b| *b == 0xFF).collect();
    if let [base, mine, theirs] = parts[..] {
        if let (Ok(b), Ok(m), Ok(t)) = (serde_json::from_slice(base), serde_json::from_slice(mine), serde_json::from_slice(theirs)) {
            let _ = domain::merge::merge(&b, &m, &t);
        }
    }
});
