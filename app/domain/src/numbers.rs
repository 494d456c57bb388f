//! Numbers as people read them in each language, in one place for every page, print
//! and export: Polish writes a decimal comma and a space before a unit or the percent
//! sign (66,7 %, 15,6 MB; PN-ISO 80000 and the Polish public administration's style),
//! English a point (66.7%, 15.6 MB).

use crate::lang::Lang;

/// `value` rounded to `digits` decimals, with the language's decimal mark.
pub fn decimal(value: f64, digits: usize, lang: Lang) -> String {
    let mut s = format!("{value:.digits$}");
    // "-0,0" reads as a fall where there was none.
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    match lang {
        Lang::Pl => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A share in percent, one decimal: "66,7 %" / "66.7%".
pub fn percent(value: f64, lang: Lang) -> String {
    let n = decimal(value, 1, lang);
    match lang {
        Lang::Pl => format!("{n}\u{a0}%"),
        Lang::En => format!("{n}%"),
    }
}

/// A change in percentage points, signed: "+3,4" / "−1.2" (a true minus sign).
pub fn signed(value: f64, lang: Lang) -> String {
    let n = decimal(value.abs(), 1, lang);
    if n.chars().all(|c| c == '0' || c == ',' || c == '.') {
        n
    } else if value > 0.0 {
        format!("+{n}")
    } else {
        format!("\u{2212}{n}")
    }
}

/// A size in bytes as KB (whole) below a megabyte, MB with one decimal above.
pub fn size(bytes: f64, lang: Lang) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes >= MB {
        format!("{}\u{a0}MB", decimal(bytes / MB, 1, lang))
    } else {
        format!("{}\u{a0}KB", decimal(bytes / 1024.0, 0, lang))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn polish_writes_a_comma_and_a_space_english_a_point() {
        assert_eq!(percent(66.666, Lang::Pl), "66,7\u{a0}%");
        assert_eq!(percent(66.666, Lang::En), "66.7%");
        assert_eq!(size(15.6 * 1024.0 * 1024.0, Lang::Pl), "15,6\u{a0}MB");
        assert_eq!(size(15.6 * 1024.0 * 1024.0, Lang::En), "15.6\u{a0}MB");
        assert_eq!(size(2048.0, Lang::Pl), "2\u{a0}KB");
        assert_eq!(decimal(1234.5, 1, Lang::Pl), "1234,5");
        assert_eq!(signed(3.44, Lang::Pl), "+3,4");
        assert_eq!(signed(-1.25, Lang::En), "\u{2212}1.2");
        assert_eq!(signed(-0.01, Lang::Pl), "0,0");
        assert_eq!(decimal(-0.04, 1, Lang::En), "0.0");
    }

    proptest! {
        /// The two languages differ only in the decimal mark: the Polish figure read
        /// back with a point is the English one.
        #[test]
        fn the_languages_agree_on_the_figure(v in -1.0e9f64..1.0e9, digits in 0usize..4) {
            let pl = decimal(v, digits, Lang::Pl);
            let en = decimal(v, digits, Lang::En);
            prop_assert!(!pl.contains('.'));
            prop_assert_eq!(pl.replace(',', "."), en.clone());
            let back: f64 = en.parse().expect("a number");
            prop_assert!((back - v).abs() <= 0.5 * 10f64.powi(-(digits as i32)) + 1e-6);
        }
    }
}
