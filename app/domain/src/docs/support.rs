//! The course of a client's support: the client's situation on the labour market and
//! the features the monthly report (tool 8, sections IX and XI) asks for, and the
//! periods of support — when each began, when and why it ended, and the client's
//! situation right after. Support that ended and started again is a second period,
//! so the report counts both the ending and the return.
//!
//! The client's status (active or closed) follows from the periods: closed while the
//! latest period has ended, active again once a new one starts.

use serde::{Deserialize, Serialize};
use time::Date;

use super::{CaseDocument, Check, DocContext, Row, LONG, SHORT};
use crate::validation::parse_iso_date;

/// The labour-market situations of section IX; names are `support.labour.<code>`.
pub const LABOUR: [&str; 6] = ["long_term_unemployed", "unemployed", "inactive", "employed", "learning", "retired"];

/// The "other important features" of section IX; names are `support.feature.<code>`.
/// Leaving addiction is health data (GDPR art. 9): the document is audited as such.
pub const FEATURES: [&str; 8] =
    ["single_parent", "large_family", "homeless", "leaving_addiction", "leaving_prison", "foreigner", "rural", "care_leaver"];

/// Why support ended; names are `support.reason.<code>`.
pub const REASONS: [&str; 6] = ["plan_completed", "employment", "resigned", "moved", "no_contact", "other"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Period {
    pub id: String,
    pub from: String,
    /// Empty while support goes on.
    pub to: String,
    pub reason: String,
    /// The reason in words: required for "other", welcome for "resigned".
    pub reason_text: String,
    /// The client's labour-market and social situation right after (within a month).
    pub situation: String,
}

impl Row for Period {
    fn row_id(&self) -> &str {
        &self.id
    }
}

impl Period {
    pub fn start(&self) -> Option<Date> {
        parse_iso_date(&self.from)
    }
    pub fn end(&self) -> Option<Date> {
        parse_iso_date(&self.to)
    }
    /// Whether any day of `first..=last` lies within the period.
    pub fn overlaps(&self, first: Date, last: Date) -> bool {
        match self.start() {
            Some(s) => s <= last && self.end().is_none_or(|e| e >= first),
            None => false,
        }
    }
    /// Weeks of support, counting the first and the last day and any started week.
    pub fn weeks(&self) -> Option<i64> {
        let days = (self.end()? - self.start()?).whole_days() + 1;
        Some((days + 6) / 7)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Support {
    pub client_id: String,
    pub labour: String,
    pub features: Vec<String>,
    pub other_features: String,
    pub periods: Vec<Period>,
}

impl Support {
    /// Periods in the order they happened.
    pub fn ordered(&self) -> Vec<&Period> {
        let mut p: Vec<&Period> = self.periods.iter().filter(|p| p.start().is_some()).collect();
        p.sort_by_key(|p| p.start());
        p
    }

    /// Closed when support was given and the latest period has ended by `today`.
    pub fn closed(&self, today: Date) -> bool {
        self.ordered().last().is_some_and(|p| p.end().is_some_and(|e| e <= today))
    }

}

impl CaseDocument for Support {
    const SENSITIVE: bool = true;
    const HAS_STATUS: bool = false;

    fn check(&self, c: &mut Check, ctx: &DocContext) {
        c.choice("labour", &self.labour, &LABOUR, false);
        for f in &self.features {
            c.choice("features", f, &FEATURES, false);
        }
        c.text("other_features", &self.other_features, SHORT, false);
        c.rows("periods", &self.periods);
        for p in &self.periods {
            let at = |f: &str| format!("periods/{}/{f}", p.id);
            let from = c.date(&at("from"), &p.from, true);
            let to = c.date(&at("to"), &p.to, false);
            c.not_future(&at("from"), from, ctx.today);
            c.not_future(&at("to"), to, ctx.today);
            c.range(&at("to"), from, to);
            if to.is_some() {
                c.choice(&at("reason"), &p.reason, &REASONS, true);
            } else if !p.reason.is_empty() {
                c.add(
                    &at("to"),
                    "required",
                    "Podaj datę zakończenia wsparcia albo usuń powód zakończenia.".into(),
                    "Give the date support ended, or remove the reason.".into(),
                );
            }
            c.text(&at("reason_text"), &p.reason_text, SHORT, p.reason == "other");
            c.text(&at("situation"), &p.situation, LONG, false);
        }
        // Support is given once at a time: a period starts after the previous ended,
        // and only the latest may still go on.
        let ordered = self.ordered();
        for pair in ordered.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let at = format!("periods/{}/from", b.id);
            match a.end() {
                None => c.add(
                    &at,
                    "open_period",
                    format!("Poprzedni okres wsparcia (od {}) nie został zakończony.", a.from),
                    format!("The previous period of support (from {}) has not ended.", a.from),
                ),
                Some(end) if b.start().is_some_and(|s| s <= end) => c.add(
                    &at,
                    "overlap",
                    format!("Okres wsparcia zaczyna się przed końcem poprzedniego ({}).", a.to),
                    format!("The period starts before the previous one ended ({}).", a.to),
                ),
                Some(_) => {}
            }
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

    fn codes(doc: serde_json::Value) -> Vec<(String, String)> {
        let ctx = DocContext { today: date!(2026 - 11 - 23), partners: &[], custom_services: &[] };
        match validate(DocType::Support, &doc, Lang::En, &ctx) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    #[test]
    fn support_that_ended_and_started_again_is_two_periods() {
        let doc = json!({"labour": "long_term_unemployed", "features": ["single_parent"], "periods": [
            {"id": "b", "from": "2026-06-01"},
            {"id": "a", "from": "2026-01-05", "to": "2026-03-31", "reason": "resigned", "situation": "opieka nad dzieckiem"},
        ]});
        assert!(codes(doc.clone()).is_empty());
        let s: Support = serde_json::from_value(doc).expect("support");
        assert!(!s.closed(date!(2026 - 11 - 23)));
        assert_eq!(s.ordered()[0].weeks(), Some(13));
    }

    #[test]
    fn periods_may_not_overlap_nor_follow_an_open_one_and_an_end_needs_a_reason() {
        assert_eq!(
            codes(json!({"periods": [{"id": "a", "from": "2026-01-05"}, {"id": "b", "from": "2026-02-01"}]})),
            [("/periods/b/from".into(), "open_period".into())]
        );
        assert_eq!(
            codes(json!({"periods": [{"id": "a", "from": "2026-01-05", "to": "2026-03-01", "reason": "employment"}, {"id": "b", "from": "2026-03-01"}]})),
            [("/periods/b/from".into(), "overlap".into())]
        );
        assert_eq!(codes(json!({"periods": [{"id": "a", "from": "2026-01-05", "to": "2026-03-01"}]})), [("/periods/a/reason".into(), "required".into())]);
        assert_eq!(
            codes(json!({"periods": [{"id": "a", "from": "2026-01-05", "to": "2026-01-01", "reason": "other"}]})),
            [("/periods/a/to".into(), "range".into()), ("/periods/a/reason_text".into(), "required".into())]
        );
        assert_eq!(codes(json!({"features": ["rich"]})), [("/features".into(), "unknown_option".into())]);
    }

    #[test]
    fn a_client_is_closed_from_the_day_support_ended() {
        let s = Support { periods: vec![Period { id: "a".into(), from: "2026-01-01".into(), to: "2026-10-31".into(), reason: "employment".into(), ..Default::default() }], ..Default::default() };
        assert!(s.closed(date!(2026 - 10 - 31)));
        assert!(!s.closed(date!(2026 - 10 - 30)));
        assert!(!Support::default().closed(date!(2026 - 10 - 31)));
    }

    proptest! {
        #[test]
        fn weeks_cover_every_day_of_support(start in 0i64..20_000, len in 0i64..2_000) {
            let from = date!(1990 - 01 - 01) + time::Duration::days(start);
            let to = from + time::Duration::days(len);
            let p = Period { id: "a".into(), from: from.to_string(), to: to.to_string(), ..Default::default() };
            let w = p.weeks().expect("weeks");
            prop_assert!(w * 7 > len && (w - 1) * 7 < len + 1);
            prop_assert!(p.overlaps(to, to + time::Duration::days(3)) && !p.overlaps(to + time::Duration::days(1), to + time::Duration::days(9)));
        }
    }
}
