//! Field errors shared by every form: the browser shows them next to the field and the
//! server returns them as RFC 9457 problem details.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::ident::IdError;
use crate::text::Lines;

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

    /// A required, length-limited text of one or more lines (see [`crate::text`]).
    pub fn text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = self.optional_text(field, value, max)?;
        self.present(field, v)
    }

    /// A required one-line text: a name, a town, a number.
    pub fn line(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        let v = self.optional_line(field, value, max)?;
        self.present(field, v)
    }

    fn present(&mut self, field: &str, v: String) -> Option<String> {
        if v.is_empty() {
            self.required(field);
            return None;
        }
        Some(v)
    }

    /// A date (ISO) that has happened: `None` when empty (and not `required`) or invalid.
    pub fn past_date(&mut self, field: &str, value: &str, today: time::Date, required: bool) -> Option<time::Date> {
        match parse_iso_date(value.trim()) {
            Some(d) if d > today => {
                let msg = match self.lang {
                    Lang::Pl => "Data nie może być w przyszłości.",
                    Lang::En => "The date cannot be in the future.",
                };
                self.add(field, "future", msg);
                None
            }
            Some(d) => Some(d),
            None if value.trim().is_empty() => {
                if required {
                    self.required(field);
                }
                None
            }
            None => {
                let msg = match self.lang {
                    Lang::Pl => "Nieprawidłowa data (dd.mm.rrrr).",
                    Lang::En => "Not a valid date (dd.mm.yyyy).",
                };
                self.add(field, "date", msg);
                None
            }
        }
    }

    /// An optional text: `Some("")` when empty, `None` when it is invalid.
    pub fn optional_text(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        self.checked(field, value, max, Lines::Many)
    }

    /// An optional one-line text: `Some("")` when empty, `None` when it is invalid.
    pub fn optional_line(&mut self, field: &str, value: &str, max: usize) -> Option<String> {
        self.checked(field, value, max, Lines::One)
    }

    /// Composed, trimmed, free of characters that hide what is written, within `max`.
    fn checked(&mut self, field: &str, value: &str, max: usize, lines: Lines) -> Option<String> {
        let v = match crate::text::clean(value, lines) {
            Ok(v) => v,
            Err(problem) => {
                self.add(field, problem.code(), problem.message(self.lang));
                return None;
            }
        };
        let len = v.chars().count();
        if len > max {
            let msg = match self.lang {
                Lang::Pl => format!("Tekst jest za długi: {len} znaków, dozwolone {max}."),
                Lang::En => format!("Text is too long: {len} characters, {max} allowed."),
            };
            self.add(field, "too_long", msg);
            return None;
        }
        Some(v)
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

/// The earliest date any document, person or plan may carry.
pub const EARLIEST_DATE: time::Date = time::macros::date!(1900 - 01 - 01);
/// The latest: far enough for any plan, near enough that adding days never overflows.
pub const LATEST_DATE: time::Date = time::macros::date!(2100 - 12 - 31);

/// Whether a date lies within [`EARLIEST_DATE`]..=[`LATEST_DATE`].
pub fn plausible(d: time::Date) -> bool {
    (EARLIEST_DATE..=LATEST_DATE).contains(&d)
}

/// Parses an ISO date (`YYYY-MM-DD`, what `<input type=date>` sends) within the
/// plausible range: a date from a wrong clock or a typo (9999-12-31) is no date, so
/// it is refused where typed and skipped wherever it was stored before.
pub fn parse_iso_date(s: &str) -> Option<time::Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format).ok().filter(|d| plausible(*d))
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
    fn only_plausible_dates_parse() {
        assert_eq!(parse_iso_date("2024-02-29"), Some(time::macros::date!(2024 - 02 - 29)));
        assert_eq!(parse_iso_date("1900-01-01"), Some(EARLIEST_DATE));
        assert_eq!(parse_iso_date("2100-12-31"), Some(LATEST_DATE));
        for wrong in ["9999-12-31", "1899-12-31", "2101-01-01", "0001-01-01", "2023-02-29"] {
            assert_eq!(parse_iso_date(wrong), None, "{wrong}");
        }
    }

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

/// The last Sunday of a month with 31 days (March, October: the EU's clock changes).
fn last_sunday(year: i32, month: time::Month) -> time::Date {
    let Ok(mut d) = time::Date::from_calendar_date(year, month, 31) else { return time::Date::MIN };
    while d.weekday() != time::Weekday::Sunday {
        d = d.previous_day().unwrap_or(d);
    }
    d
}

/// The Unix time at which the day `d` starts in Warsaw (midnight, CET or CEST). The
/// clocks change at 02:00 and 03:00 local time, after midnight: the day of the change
/// to summer time starts in winter time, the day of the change back in summer time.
pub fn warsaw_day_start(d: time::Date) -> i64 {
    let summer = d > last_sunday(d.year(), time::Month::March) && d <= last_sunday(d.year(), time::Month::October);
    d.midnight().assume_utc().unix_timestamp() - if summer { 7200 } else { 3600 }
}

/// A Unix time as Warsaw's wall clock (CET or CEST); none at the calendar's very ends.
fn warsaw_local(unix: i64) -> Option<time::OffsetDateTime> {
    let utc = time::OffsetDateTime::from_unix_timestamp(unix).ok()?;
    // EU rule: summer time from 01:00 UTC on the last Sunday of March to 01:00 UTC on
    // the last Sunday of October.
    let switch = |month: time::Month| last_sunday(utc.year(), month).with_hms(1, 0, 0).map(time::PlainDateTime::assume_utc).unwrap_or(utc);
    let summer = utc >= switch(time::Month::March) && utc < switch(time::Month::October);
    // Checked: a stored time at the very end of the calendar must not panic.
    utc.checked_add(time::Duration::hours(if summer { 2 } else { 1 }))
}

/// Formats a Unix time as Polish local time (`dd.mm.rrrr HH:MM`), CET or CEST.
pub fn format_timestamp_warsaw(unix: i64) -> String {
    match warsaw_local(unix) {
        Some(local) => format!("{} {:02}:{:02}", format_date(local.date()), local.hour(), local.minute()),
        None => time::OffsetDateTime::from_unix_timestamp(unix).map(|u| format_date(u.date())).unwrap_or_default(),
    }
}

/// A Unix time as `<input type="datetime-local">` shows Warsaw time: `YYYY-MM-DDTHH:MM`.
pub fn warsaw_minute(unix: i64) -> String {
    warsaw_local(unix)
        .map(|l| format!("{:04}-{:02}-{:02}T{:02}:{:02}", l.year(), u8::from(l.month()), l.day(), l.hour(), l.minute()))
        .unwrap_or_default()
}

/// The Unix time of a Warsaw wall-clock minute as `<input type="datetime-local">` sends
/// it (`YYYY-MM-DDTHH:MM`, seconds allowed), within the plausible dates. In the hour
/// the clocks go back the earlier (summer) moment is taken; a minute the clocks skip
/// in spring is no time.
pub fn parse_warsaw_minute(s: &str) -> Option<i64> {
    let s = s.trim();
    let (date, clock) = s.split_once('T')?;
    let date = parse_iso_date(date)?;
    let mut parts = clock.split(':');
    let hour: u8 = parts.next()?.parse().ok()?;
    let minute: u8 = parts.next()?.parse().ok()?;
    let second: u8 = parts.next().map_or(Some(0), |v| v.parse().ok())?;
    if parts.next().is_some() {
        return None;
    }
    let wall = date.with_hms(hour, minute, second).ok()?.assume_utc().unix_timestamp();
    // Summer time (UTC+2) first, then winter (UTC+1): the one that reads back the same.
    [7200, 3600].into_iter().map(|offset| wall - offset).find(|&t| warsaw_local(t).is_some_and(|l| l.unix_timestamp() == wall))
}

#[cfg(test)]
mod time_tests {
    use super::{format_timestamp_warsaw, parse_warsaw_minute, warsaw_day_start, warsaw_minute};

    #[test]
    fn a_wall_clock_minute_reads_back_in_winter_summer_and_around_the_changes() {
        for s in ["2026-01-15T08:30", "2026-07-22T23:59", "2026-03-29T01:59", "2026-03-29T03:00", "2026-10-25T02:30", "2026-10-25T03:00"] {
            let t = parse_warsaw_minute(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(warsaw_minute(t), s);
        }
        assert_eq!(parse_warsaw_minute("2026-01-15T08:30:00"), parse_warsaw_minute("2026-01-15T08:30"));
        // The hour skipped in spring, and what is no time at all.
        for wrong in ["2026-03-29T02:30", "2026-01-15", "2026-01-15T25:00", "2026-01-15T08", "9999-01-01T00:00", "x"] {
            assert_eq!(parse_warsaw_minute(wrong), None, "{wrong}");
        }
    }

    proptest::proptest! {
        /// Whatever minute a form shows, sending it back names the same minute.
        #[test]
        fn every_shown_minute_reads_back(t in 0i64..4_102_444_800) {
            let shown = warsaw_minute(t);
            let back = parse_warsaw_minute(&shown);
            proptest::prop_assert!(back.is_some(), "{}", shown);
            proptest::prop_assert_eq!(back.map(warsaw_minute), Some(shown));
            // The same minute, or (in the hour the clocks go back, shown twice) the
            // earlier of the two: never a time that moved otherwise.
            let minute = t - t.rem_euclid(60);
            proptest::prop_assert!(back == Some(minute) || back == Some(minute - 3600), "{} -> {:?}", minute, back);
        }
    }

    #[test]
    fn a_warsaw_day_starts_at_local_midnight_in_winter_summer_and_on_the_days_the_clocks_change() {
        use time::macros::date;
        for d in [date!(2023 - 01 - 15), date!(2023 - 07 - 22), date!(2023 - 03 - 26), date!(2023 - 03 - 27), date!(2023 - 10 - 29), date!(2023 - 10 - 30)] {
            let start = warsaw_day_start(d);
            assert!(format_timestamp_warsaw(start).ends_with(" 00:00"), "{d}: {}", format_timestamp_warsaw(start));
            assert!(format_timestamp_warsaw(start - 60).ends_with(" 23:59"), "{d}");
        }
    }

    #[test]
    fn warsaw_time_in_winter_and_summer() {
        assert_eq!(format_timestamp_warsaw(1_700_000_000), "14.11.2023 23:13"); // CET
        assert_eq!(format_timestamp_warsaw(1_690_000_000), "22.07.2023 06:26"); // CEST
        // 26.03.2023 01:00 UTC is the switch to summer time.
        assert_eq!(format_timestamp_warsaw(1_679_792_399), "26.03.2023 01:59");
        assert_eq!(format_timestamp_warsaw(1_679_792_400), "26.03.2023 03:00");
    }
}
