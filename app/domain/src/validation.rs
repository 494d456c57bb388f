//! Field errors shared by every form: the browser shows them next to the field and the
//! server returns them as RFC 9457 problem details.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::ident::IdError;

/// One thing wrong with one field. `pointer` is a JSON Pointer into the submitted document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub pointer: String,
    pub code: String,
    pub message: String,
}

/// Collects every error of a form, so a person fixes them all in one pass.
#[derive(Debug, Default)]
pub struct Errors {
    lang: Lang,
    list: Vec<FieldError>,
}

impl Errors {
    pub fn new(lang: Lang) -> Errors {
        Errors { lang, list: Vec::new() }
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.list.push(FieldError {
            pointer: format!("/{field}"),
            code: code.to_string(),
            message: message.into(),
        });
    }

    pub fn id(&mut self, field: &str, e: &IdError) {
        let message = e.message(self.lang);
        self.add(field, e.code(), message);
    }

    pub fn required(&mut self, field: &str) {
        self.id(field, &IdError::Empty);
    }

    /// A required, trimmed, length-limited text.
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = self.optional_text(field, value, max)?;
        if v.is_empty() {
            self.required(field);
            return None;
        }
        Some(v)
    }

    /// An optional text: `Some("")` when empty, `None` when it is invalid.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = value.trim();
        let len = v.chars().count();
        if len > max {
            let msg = match self.lang {
                Lang::Pl => format!("Tekst jest za długi: {len} znaków, dozwolone {max}."),
                Lang::En => format!("Text is too long: {len} characters, {max} allowed."),
            };
            self.add(field, "too_long", msg);
            return None;
        }
        // Control characters have no place in a form field and break printed layouts.
        if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
            let msg = match self.lang {
                Lang::Pl => "Tekst zawiera niedozwolone znaki sterujące.",
                Lang::En => "Text contains control characters.",
            };
            self.add(field, "control_chars", msg);
            return None;
        }
        Some(v.to_string())
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub fn into_result<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.list.is_empty() {
            Ok(value())
        } else {
            Err(self.list)
        }
    }
}

/// Parses an ISO date (`YYYY-MM-DD`, what `<input type=date>` sends).
pub fn parse_iso_date(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format).ok()
}

/// Formats a date the Polish way, `dd.mm.rrrr`, used in both languages on Polish forms.
pub fn format_date(d: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), u8::from(d.month()), d.year())
}

/// Formats an ISO date string as `dd.mm.rrrr`; anything else is shown as it is.
pub fn format_iso_date(s: &str) -> String {
    parse_iso_date(s).map(format_date).unwrap_or_else(|| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_shown_as_dd_mm_rrrr() {
        assert_eq!(format_iso_date("2024-02-29"), "29.02.2024");
        assert_eq!(format_iso_date("nonsense"), "nonsense");
    }

    #[test]
    fn text_limits_and_control_characters() {
        let mut e = Errors::new(Lang::En);
        assert_eq!(e.text("a", "  x  ", 5), Some("x".into()));
        assert_eq!(e.text("b", "", 5), None);
        assert_eq!(e.text("c", "abcdef", 5), None);
        assert_eq!(e.text("d", "a\u{0}b", 5), None);
        let errs = e.into_result(|| ()).expect_err("errors");
        let codes: Vec<_> = errs.iter().map(|f| (f.pointer.as_str(), f.code.as_str())).collect();
        assert_eq!(codes, [("/b", "required"), ("/c", "too_long"), ("/d", "control_chars")]);
    }
}

/// Formats a Unix time as Polish local time (`dd.mm.rrrr HH:MM`), CET or CEST.
pub fn format_timestamp_warsaw(unix: i64) -> String {
    let Ok(utc) = time::OffsetDateTime::from_unix_timestamp(unix) else {
        return String::new();
    };
    // EU rule: summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on
    // the last Sunday of October.
    let last_sunday = |month: time::Month| {
        let mut d = time::Date::from_calendar_date(utc.year(), month, 31).unwrap_or(utc.date());
        while d.weekday() != time::Weekday::Sunday {
            d = d.previous_day().unwrap_or(d);
        }
        d.with_hms(1, 0, 0).map(time::PlainDateTime::assume_utc).unwrap_or(utc)
    };
    let summer = utc >= last_sunday(time::Month::March) && utc < last_sunday(time::Month::October);
    let local = utc + time::Duration::hours(if summer { 2 } else { 1 });
    format!("{} {:02}:{:02}", format_date(local.date()), local.hour(), local.minute())
}

#[cfg(test)]
mod time_tests {
    use super::format_timestamp_warsaw;

    #[test]
    fn warsaw_time_in_winter_and_summer() {
        assert_eq!(format_timestamp_warsaw(1_700_000_000), "14.11.2023 23:13"); // CET
        assert_eq!(format_timestamp_warsaw(1_690_000_000), "22.07.2023 06:26"); // CEST
        // 26.03.2023 01:00 UTC is the switch to summer time.
        assert_eq!(format_timestamp_warsaw(1_679_792_399), "26.03.2023 01:59");
        assert_eq!(format_timestamp_warsaw(1_679_792_400), "26.03.2023 03:00");
    }
}
