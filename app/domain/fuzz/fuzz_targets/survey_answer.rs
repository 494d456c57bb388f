//! Any survey answer a phone or kiosk could send is validated without panicking, and
//! an accepted answer is accepted again as it was kept.
#![no_main]

use domain::survey::{validate, SurveyAnswer};
use domain::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(answer) = serde_json::from_slice::<SurveyAnswer>(data) {
        if let Ok(kept) = validate(&answer, Lang::Pl) {
            assert_eq!(validate(&kept, Lang::En).map(|_| ()), Ok(()));
        }
        let mut tidied = answer.clone();
        tidied.tidy();
        let _ = validate(&tidied, Lang::En);
    }
});
