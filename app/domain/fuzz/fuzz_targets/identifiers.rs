//! Every identifier parser, the date parser and the text rules take any text without
//! panicking, and what they accept they accept again (parsing is stable).
#![no_main]

use domain::ident::{Krs, Nip, Pesel, PostalCode, Regon};
use domain::text::{clean, Lines};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    if let Ok(p) = Pesel::parse(&s) {
        assert!(Pesel::parse(p.as_str()).is_ok());
    }
    let _ = Nip::parse(&s);
    let _ = Regon::parse(&s);
    let _ = Krs::parse(&s);
    let _ = PostalCode::parse(&s);
    if let Some(d) = domain::validation::parse_iso_date(&s) {
        assert!(domain::validation::plausible(d));
        assert_eq!(domain::validation::parse_iso_date(&d.to_string()), Some(d));
    }
    for lines in [Lines::One, Lines::Many] {
        if let Ok(kept) = clean(&s, lines) {
            assert_eq!(clean(&kept, lines), Ok(kept.clone()));
        }
    }
});
