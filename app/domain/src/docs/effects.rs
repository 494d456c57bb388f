//! Indicators of effect (section 6.3 of the guide) a client reached, each with the
//! day and the evidence; and for reintegration clients of an OWES the employment
//! date and the 12-month reintegration window that follows it.

use serde::{Deserialize, Serialize};
use time::{Date, Month};

use super::{CaseDocument, Check, DocContext, Row, LONG, SHORT};

/// The indicators of section 6.3, in the guide's order; names are `effect.<code>`.
pub const INDICATORS: [&str; 10] = [
    "employment",
    "internship",
    "education",
    "volunteering_started",
    "volunteering_completed",
    "qualification",
    "own_job_search",
    "business_knowledge",
    "family_work",
    "ngo_engagement",
];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Effect {
    pub id: String,
    pub indicator: String,
    pub date: String,
    pub evidence: String,
    pub remarks: String,
}

impl Row for Effect {
    fn row_id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Effects {
    pub client_id: String,
    pub rows: Vec<Effect>,
    /// Reintegration clients of an OWES: the day of employment in a social enterprise.
    pub employment_date: String,
}

/// The last day of the reintegration window: 12 months from the day of employment,
/// counted as the civil code counts months (art. 112 KC): the window ends on the
/// day before the same date a year later, or — when that month has no such day —
/// on the month's last day. Employed 1 March 2023 → 29 February 2024; employed
/// 29 February 2024 → 28 February 2025.
pub fn reintegration_end(employed: Date) -> Date {
    let year = employed.year() + 1;
    match Date::from_calendar_date(year, employed.month(), employed.day()) {
        Ok(same_day) => same_day.previous_day().unwrap_or(same_day),
        Err(_) => last_day(year, employed.month()),
    }
}

fn last_day(year: i32, month: Month) -> Date {
    let days = month.length(year);
    Date::from_calendar_date(year, month, days).unwrap_or(Date::MIN)
}

impl Effects {
    /// The window, when the employment date is set and valid.
    pub fn window(&self) -> Option<(Date, Date)> {
        let start = crate::validation::parse_iso_date(&self.employment_date)?;
        Some((start, reintegration_end(start)))
    }

}

impl CaseDocument for Effects {
    const SENSITIVE: bool = false;
    const HAS_STATUS: bool = false;

    fn check(&self, c: &mut Check, ctx: &DocContext) {
        c.date("employment_date", &self.employment_date, false);
        c.rows("rows", &self.rows);
        for e in &self.rows {
            let at = |f: &str| format!("rows/{}/{f}", e.id);
            c.choice(&at("indicator"), &e.indicator, &INDICATORS, true);
            let d = c.date(&at("date"), &e.date, true);
            c.not_future(&at("date"), d, ctx.today);
            // A qualification counts with its certificate, as the guide says.
            c.text(&at("evidence"), &e.evidence, SHORT, e.indicator == "qualification");
            c.text(&at("remarks"), &e.remarks, LONG, false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::docs::validate;
    use crate::docs::DocType;
    use crate::lang::Lang;
    use proptest::prelude::*;
    use serde_json::json;
    use time::macros::date;

    #[test]
    fn the_window_is_twelve_months_counted_as_the_civil_code_does() {
        assert_eq!(reintegration_end(date!(2023 - 03 - 01)), date!(2024 - 02 - 29));
        assert_eq!(reintegration_end(date!(2024 - 02 - 29)), date!(2025 - 02 - 28));
        assert_eq!(reintegration_end(date!(2026 - 01 - 15)), date!(2027 - 01 - 14));
        assert_eq!(reintegration_end(date!(2026 - 12 - 31)), date!(2027 - 12 - 30));
        let e = Effects { employment_date: "2023-03-01".into(), ..Default::default() };
        assert_eq!(e.window(), Some((date!(2023 - 03 - 01), date!(2024 - 02 - 29))));
    }

    fn codes(doc: serde_json::Value) -> Vec<(String, String)> {
        let ctx = DocContext { today: date!(2026 - 11 - 23), partners: &[], custom_services: &[] };
        match validate(DocType::Effects, &doc, Lang::En, &ctx) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    #[test]
    fn an_effect_has_a_known_indicator_a_past_date_and_a_certificate_for_a_qualification() {
        assert!(codes(json!({"rows": [{"id": "a", "indicator": "employment", "date": "2026-11-02"}]})).is_empty());
        assert_eq!(codes(json!({"rows": [{"id": "a", "indicator": "qualification", "date": "2026-11-02"}]})), [("/rows/a/evidence".into(), "required".into())]);
        assert_eq!(codes(json!({"rows": [{"id": "a", "indicator": "lottery", "date": "2027-01-01"}]})), [
            ("/rows/a/indicator".into(), "unknown_option".into()),
            ("/rows/a/date".into(), "future".into()),
        ]);
    }

    proptest! {
        #[test]
        fn the_window_always_ends_within_a_year_after_eleven_months(days in 0i64..40_000) {
            let start = date!(1990 - 01 - 01) + time::Duration::days(days);
            let end = reintegration_end(start);
            let length = (end - start).whole_days();
            prop_assert!((363..=365).contains(&length), "{} to {}", start, end);
            prop_assert!(end > start);
        }
    }
}
