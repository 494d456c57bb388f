//! Kontrakt socjalny (tool 7): Part I B as the form has it, and Part II B, the
//! evaluations, repeated as long as the contract runs.

use serde::{Deserialize, Serialize};

use super::{CaseDocument, Check, DocContext, DocStatus, Row, LONG, SHORT};
use crate::ident::Pesel;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    pub surname: String,
    pub first_name: String,
    pub address: String,
    pub pesel: String,
    /// Used only when the person has no PESEL.
    pub id_document_name: String,
    pub id_document_number: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Worker {
    pub surname: String,
    pub first_name: String,
    pub phone: String,
}

/// One action of a side, with the deadline it is due by.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Action {
    pub id: String,
    pub action: String,
    pub deadline: String,
}

impl Row for Action {
    fn row_id(&self) -> &str {
        &self.id
    }
}

/// Part II B: one evaluation of the contract.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Evaluation {
    pub id: String,
    /// The day the evaluation was made.
    pub date: String,
    /// `on_track` (point 1: no changes needed) or `changes` (point 2).
    pub outcome: String,
    pub person_actions: Vec<Action>,
    pub worker_actions: Vec<Action>,
    pub next_date: String,
}

impl Row for Evaluation {
    fn row_id(&self) -> &str {
        &self.id
    }
}

pub const OUTCOMES: [&str; 2] = ["on_track", "changes"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contract {
    pub client_id: String,
    pub status: DocStatus,
    pub date: String,
    pub person: Person,
    pub worker: Worker,
    /// Part I B, II: the assessment of the life situation, points 1–6.
    pub causes: String,
    pub capacities: String,
    pub limitations: String,
    pub unemployed_since: String,
    pub failure_reasons: String,
    pub effects_to_support: String,
    /// Point 7.1 and 7.2 a)–d).
    pub main_goal: String,
    pub goal_a: String,
    pub goal_b: String,
    pub goal_c: String,
    pub goal_d: String,
    /// III: the actions of each side.
    pub person_actions: Vec<Action>,
    pub worker_actions: Vec<Action>,
    /// V: the day the contract is evaluated.
    pub evaluation_date: String,
    /// VII: how benefits, money and mail are delivered.
    pub delivery: String,
    /// VIII: informed of art. 11(2) and art. 109 of the social-assistance act.
    pub informed: bool,
    pub evaluations: Vec<Evaluation>,
}

fn actions(c: &mut Check, table: &str, rows: &[Action], from: Option<time::Date>, required: bool) {
    c.rows(table, rows);
    for a in rows {
        let at = |f: &str| format!("{table}/{}/{f}", a.id);
        c.text(&at("action"), &a.action, LONG, required);
        let d = c.date(&at("deadline"), &a.deadline, required);
        c.not_before_document(&at("deadline"), d, from);
    }
}

impl CaseDocument for Contract {
    const SENSITIVE: bool = true;
    const HAS_STATUS: bool = true;

    fn check(&self, c: &mut Check, _ctx: &DocContext) {
        let fin = self.status == DocStatus::Final;
        let date = c.date("date", &self.date, fin);
        let p = &self.person;
        c.text("person/surname", &p.surname, SHORT, fin);
        c.text("person/first_name", &p.first_name, SHORT, fin);
        c.text("person/address", &p.address, SHORT, fin);
        c.text("person/id_document_name", &p.id_document_name, SHORT, false);
        c.text("person/id_document_number", &p.id_document_number, SHORT, false);
        let pesel = p.pesel.trim();
        if !pesel.is_empty() {
            if let Err(e) = Pesel::parse(pesel) {
                c.errors.id("person/pesel", &e);
            }
        } else if fin || !p.id_document_name.trim().is_empty() || !p.id_document_number.trim().is_empty() {
            // The form's rule: PESEL, or when there is none the name and number of an identity document.
            if fin && p.id_document_name.trim().is_empty() && p.id_document_number.trim().is_empty() {
                c.add(
                    "person/pesel",
                    "pesel_or_document",
                    "Podaj numer PESEL, a gdy go brak — nazwę i numer dokumentu tożsamości.".into(),
                    "Give the PESEL number or, when there is none, the name and number of an identity document.".into(),
                );
            } else {
                for (f, v) in [("person/id_document_name", &p.id_document_name), ("person/id_document_number", &p.id_document_number)] {
                    if v.trim().is_empty() {
                        c.add(
                            f,
                            "document_incomplete",
                            "Bez numeru PESEL podaj i nazwę, i numer dokumentu tożsamości.".into(),
                            "Without a PESEL give both the name and the number of the identity document.".into(),
                        );
                    }
                }
            }
        }
        c.text("worker/surname", &self.worker.surname, SHORT, fin);
        c.text("worker/first_name", &self.worker.first_name, SHORT, fin);
        c.text("worker/phone", &self.worker.phone, 30, fin);
        for (f, v) in [
            ("causes", &self.causes),
            ("capacities", &self.capacities),
            ("limitations", &self.limitations),
            ("unemployed_since", &self.unemployed_since),
            ("failure_reasons", &self.failure_reasons),
            ("effects_to_support", &self.effects_to_support),
            ("goal_a", &self.goal_a),
            ("goal_b", &self.goal_b),
            ("goal_c", &self.goal_c),
            ("goal_d", &self.goal_d),
            ("delivery", &self.delivery),
        ] {
            c.text(f, v, LONG, false);
        }
        c.text("main_goal", &self.main_goal, LONG, fin);
        actions(c, "person_actions", &self.person_actions, date, fin);
        actions(c, "worker_actions", &self.worker_actions, date, fin);
        if fin && self.person_actions.is_empty() {
            c.add("person_actions", "required", "Wpisz co najmniej jedno działanie osoby.".into(), "Add at least one action of the person.".into());
        }
        let evaluation = c.date("evaluation_date", &self.evaluation_date, fin);
        c.not_before_document("evaluation_date", evaluation, date);
        if fin && !self.informed {
            c.add(
                "informed",
                "required",
                "Potwierdź zapoznanie osoby z art. 11 ust. 2 i art. 109 ustawy o pomocy społecznej.".into(),
                "Confirm the person was informed of art. 11(2) and art. 109 of the social-assistance act.".into(),
            );
        }
        c.rows("evaluations", &self.evaluations);
        let mut previous: Option<time::Date> = evaluation;
        for e in &self.evaluations {
            let at = |f: &str| format!("evaluations/{}/{f}", e.id);
            let made = c.date(&at("date"), &e.date, true);
            c.not_before_document(&at("date"), made, date);
            if let (Some(m), Some(p)) = (made, previous) {
                if m < p {
                    c.add(
                        &at("date"),
                        "evaluation_order",
                        "Ocena nie może być wcześniejsza niż poprzednia ocena kontraktu.".into(),
                        "An evaluation cannot be earlier than the previous one.".into(),
                    );
                }
            }
            c.choice(&at("outcome"), &e.outcome, &OUTCOMES, true);
            actions(c, &at("person_actions"), &e.person_actions, made, true);
            actions(c, &at("worker_actions"), &e.worker_actions, made, true);
            if e.outcome == "changes" && e.person_actions.is_empty() && e.worker_actions.is_empty() {
                c.add(
                    &at("outcome"),
                    "changes_without_actions",
                    "Zmiana kontraktu wymaga nowych działań stron z terminami.".into(),
                    "A change of the contract needs new actions of the sides, with deadlines.".into(),
                );
            }
            let next = c.date(&at("next_date"), &e.next_date, e.outcome == "changes");
            if let (Some(m), Some(n)) = (made, next) {
                if n <= m {
                    c.add(
                        &at("next_date"),
                        "next_evaluation",
                        "Następna ocena musi przypaść po dniu tej oceny.".into(),
                        "The next evaluation must come after this one.".into(),
                    );
                }
            }
            previous = made.or(previous);
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
        match validate(DocType::Contract, &doc, Lang::Pl, &ctx) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    fn final_contract() -> serde_json::Value {
        json!({"status": "final", "date": "2026-11-02",
            "person": {"surname": "Nowak", "first_name": "Anna", "address": "Kielce, ul. Długa 1", "pesel": "85031412345"},
            "worker": {"surname": "Kowalska", "first_name": "Ewa", "phone": "41 123 45 67"},
            "main_goal": "Podjęcie zatrudnienia", "evaluation_date": "2027-01-15", "informed": true,
            "person_actions": [{"id": "p1", "action": "Udział w warsztatach", "deadline": "2026-12-15"}]})
    }

    #[test]
    fn pesel_or_an_identity_document() {
        let mut c = final_contract();
        c["person"]["pesel"] = json!(crate::ident::Pesel::generate(date!(1985 - 03 - 14), 1, crate::ident::Sex::Female).expect("pesel").as_str());
        assert!(codes(c.clone()).is_empty());
        c["person"]["pesel"] = json!("85031412346");
        assert_eq!(codes(c.clone())[0].0, "/person/pesel");
        c["person"]["pesel"] = json!("");
        assert_eq!(codes(c.clone()), [("/person/pesel".into(), "pesel_or_document".into())]);
        c["person"]["id_document_name"] = json!("paszport");
        assert_eq!(codes(c.clone()), [("/person/id_document_number".into(), "document_incomplete".into())]);
        c["person"]["id_document_number"] = json!("EK1234567");
        assert!(codes(c).is_empty());
    }

    #[test]
    fn deadlines_and_the_evaluation_date_are_not_before_the_contract() {
        let mut c = final_contract();
        c["person"]["pesel"] = json!("");
        c["person"]["id_document_name"] = json!("dowód osobisty");
        c["person"]["id_document_number"] = json!("ABC123456");
        c["worker_actions"] = json!([{"id": "w1", "action": "Skierowanie na kurs", "deadline": "2026-11-01"}]);
        c["evaluation_date"] = json!("2026-10-01");
        assert_eq!(codes(c), [
            ("/worker_actions/w1/deadline".into(), "before_document".into()),
            ("/evaluation_date".into(), "before_document".into()),
        ]);
    }

    #[test]
    fn evaluations_follow_each_other_and_a_change_brings_new_actions() {
        let base = json!({"date": "2026-11-02", "evaluation_date": "2027-01-15"});
        let mut ok = base.clone();
        ok["evaluations"] = json!([
            {"id": "e1", "date": "2027-01-15", "outcome": "on_track", "next_date": "2027-03-15"},
            {"id": "e2", "date": "2027-03-15", "outcome": "changes", "next_date": "2027-05-15",
             "person_actions": [{"id": "a", "action": "Staż", "deadline": "2027-04-01"}]}]);
        assert!(codes(ok.clone()).is_empty());
        let mut bad = ok.clone();
        bad["evaluations"][1]["next_date"] = json!("2027-03-15");
        assert_eq!(codes(bad), [("/evaluations/e2/next_date".into(), "next_evaluation".into())]);
        let mut early = ok.clone();
        early["evaluations"][1]["date"] = json!("2027-01-10");
        early["evaluations"][1]["person_actions"][0]["deadline"] = json!("2027-01-20");
        assert_eq!(codes(early), [("/evaluations/e2/date".into(), "evaluation_order".into())]);
        let mut empty = ok;
        empty["evaluations"][1]["person_actions"] = json!([]);
        assert_eq!(codes(empty), [("/evaluations/e2/outcome".into(), "changes_without_actions".into())]);
    }

    #[test]
    fn a_final_contract_needs_the_notice_and_the_parties() {
        let e = codes(json!({"status": "final"}));
        for p in ["/date", "/person/surname", "/person/pesel", "/worker/phone", "/main_goal", "/evaluation_date", "/informed", "/person_actions"] {
            assert!(e.iter().any(|(ptr, _)| ptr == p), "{p} missing from {e:?}");
        }
    }

    proptest! {
        #[test]
        fn the_next_evaluation_is_accepted_exactly_when_it_comes_later(a in 0i64..400, b in 0i64..400) {
            let day = |n: i64| (date!(2027 - 01 - 01) + time::Duration::days(n)).to_string();
            let doc = json!({"date": "2026-12-01", "evaluations": [{"id": "e", "date": day(a), "outcome": "on_track", "next_date": day(b)}]});
            prop_assert_eq!(codes(doc).is_empty(), b > a);
        }

        #[test]
        fn any_eleven_digits_are_accepted_exactly_when_they_are_a_valid_pesel(digits in "[0-9]{11}") {
            let doc = json!({"person": {"pesel": digits.clone()}});
            prop_assert_eq!(codes(doc).is_empty(), Pesel::parse(&digits).is_ok());
        }
    }
}
