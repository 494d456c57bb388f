//! The internal evaluation questionnaire (tool 9). The team fills it together, but
//! where partners see things differently the form wants the differences shown: each
//! answer is one partner's opinion, kept in a row of its own (`question:organisation`),
//! so two partners' opinions are never merged into one text — while two devices
//! writing the same partner's opinion meet in one field, as any other field does.
//!
//! In the partnership's first year a questionnaire is due every 2–3 months.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::docs::{Check, Partner, Row, LONG, SHORT};
use crate::calendar::Month;

/// Sections III–VI ask the same six questions of one area of work.
pub const AREAS: [&str; 4] = ["recruitment", "needs", "plans", "services"];
pub const AREA_QUESTIONS: [&str; 8] =
    ["how", "roles", "new_methods", "problems", "value_clients", "value_members", "value_community", "remarks"];
/// Sections VII–IX and XI: one question each.
pub const GENERAL: [&str; 4] = ["clients", "organisation", "perception", "other"];

/// Months between questionnaires in the first year: due after 3, reminded after 2.
pub const EVERY_MONTHS: i32 = 3;

/// Every question's key, in the form's order.
pub fn questions() -> Vec<String> {
    AREAS
        .iter()
        .flat_map(|a| AREA_QUESTIONS.iter().map(move |q| format!("{a}.{q}")))
        .chain(GENERAL.iter().map(|g| (*g).to_string()))
        .collect()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Opinion {
    /// `question:organisation`.
    pub id: String,
    pub question: String,
    pub organisation_id: String,
    pub text: String,
}

impl Row for Opinion {
    fn row_id(&self) -> &str {
        &self.id
    }
}

pub fn opinion_id(question: &str, organisation: Uuid) -> String {
    format!("{question}:{organisation}")
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evaluation {
    /// I. The months evaluated (`YYYY-MM`).
    pub period_from: String,
    pub period_to: String,
    /// II. Who filled it in, with contact details.
    pub filled_by: String,
    pub opinions: Vec<Opinion>,
}

impl Evaluation {
    pub fn check(&self, c: &mut Check, partners: &[Partner]) {
        let from = Month::parse(&self.period_from);
        let to = Month::parse(&self.period_to);
        for (f, v, p) in [("period_from", &self.period_from, from), ("period_to", &self.period_to, to)] {
            if !v.is_empty() && p.is_none() {
                c.add(f, "month", "Miesiąc w postaci rrrr-mm.".into(), "A month as yyyy-mm.".into());
            }
        }
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                c.add("period_to", "range", "Koniec okresu jest przed jego początkiem.".into(), "The period ends before it starts.".into());
            }
        }
        c.text("filled_by", &self.filled_by, SHORT, false);
        c.rows("opinions", &self.opinions);
        let known = questions();
        for o in &self.opinions {
            let at = |f: &str| format!("opinions/{}/{f}", o.id);
            if !known.contains(&o.question) {
                c.add(&at("question"), "unknown_option", format!("Nieznane pytanie „{}”.", o.question), format!("Unknown question \"{}\".", o.question));
            }
            match Uuid::parse_str(&o.organisation_id) {
                Ok(org) if partners.iter().any(|p| p.organisation_id == org) => {
                    // One row per partner and question: opinions are never merged.
                    if o.id != opinion_id(&o.question, org) {
                        c.add(&at("organisation_id"), "row_id", "Opinia partnera ma stały identyfikator pytania i partnera.".into(), "A partner's opinion is keyed by question and partner.".into());
                    }
                }
                _ => c.add(&at("organisation_id"), "unknown_partner", "To nie jest partner tego partnerstwa.".into(), "Not a partner of this partnership.".into()),
            }
            c.text(&at("text"), &o.text, LONG, false);
        }
    }

    /// The opinions on one question, one per partner who gave one.
    pub fn on(&self, question: &str) -> Vec<&Opinion> {
        self.opinions.iter().filter(|o| o.question == question && !o.text.trim().is_empty()).collect()
    }
}

/// When the next questionnaire is due in the partnership's first year (counted from
/// the day the agreement came into force), or `None` after the first year. `last` is
/// the end month of the latest questionnaire.
pub fn next_due(in_force: Date, last: Option<Month>) -> Option<Month> {
    let start = Month::of(in_force);
    let mut due = last.unwrap_or(start);
    for _ in 0..EVERY_MONTHS {
        due = due.next();
    }
    let first_year_end = {
        let mut p = start;
        for _ in 0..12 {
            p = p.next();
        }
        p
    };
    (due <= first_year_end).then_some(due)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgType;
    use crate::lang::Lang;
    use time::macros::date;

    #[test]
    fn diverging_opinions_are_kept_per_partner() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let partners = vec![
            Partner { organisation_id: a, name: "MOPS".into(), org_type: OrgType::Ops },
            Partner { organisation_id: b, name: "NGO".into(), org_type: OrgType::Ngo },
        ];
        let op = |org: Uuid, text: &str| Opinion { id: opinion_id("recruitment.how", org), question: "recruitment.how".into(), organisation_id: org.to_string(), text: text.into() };
        let e = Evaluation { opinions: vec![op(a, "Dobrze"), op(b, "Za wolno")], ..Default::default() };
        let mut c = Check::new(Lang::En);
        e.check(&mut c, &partners);
        assert!(c.errors.into_result(|| ()).is_ok());
        assert_eq!(e.on("recruitment.how").len(), 2);
        // An opinion filed under another partner's key is refused.
        let forged = Evaluation { opinions: vec![Opinion { organisation_id: b.to_string(), ..op(a, "x") }], ..Default::default() };
        let mut c = Check::new(Lang::En);
        forged.check(&mut c, &partners);
        assert_eq!(c.errors.into_result(|| ()).unwrap_err()[0].code, "row_id");
        assert_eq!(questions().len(), 4 * 8 + 4);
    }

    #[test]
    fn a_questionnaire_is_due_every_three_months_in_the_first_year() {
        let p = |s: &str| Month::parse(s);
        assert_eq!(next_due(date!(2026 - 01 - 15), None), p("2026-04"));
        assert_eq!(next_due(date!(2026 - 01 - 15), p("2026-09")), p("2026-12"));
        assert_eq!(next_due(date!(2026 - 01 - 15), p("2026-10")), p("2027-01"));
        assert_eq!(next_due(date!(2026 - 01 - 15), p("2026-11")), None, "after the first year");
    }
}
