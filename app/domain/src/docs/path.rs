//! The OWES individual support path (standard D.1): six steps, each documented
//! with dated annotations; the development direction(s) and the work form. The
//! path is updated many times; its versions are kept by the sync engine.

use serde::{Deserialize, Serialize};

use super::{CaseDocument, Check, DocContext, DocStatus, Row, LONG};

/// The six steps, in order.
pub const STEPS: [&str; 6] = ["identification", "needs", "plan", "implementation", "monitoring", "evaluation"];
/// The five development directions of an OWES path.
pub const DIRECTIONS: [&str; 5] = ["natural_persons", "legal_persons", "conversion", "economisation", "reintegration_entities"];
pub const WORK_FORMS: [&str; 3] = ["individual", "group", "e_support"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Annotation {
    pub id: String,
    pub date: String,
    pub text: String,
}

impl Row for Annotation {
    fn row_id(&self) -> &str {
        &self.id
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Step {
    pub summary: String,
    pub annotations: Vec<Annotation>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Steps {
    pub identification: Step,
    pub needs: Step,
    pub plan: Step,
    pub implementation: Step,
    pub monitoring: Step,
    pub evaluation: Step,
}

impl Steps {
    pub fn list(&self) -> [(&'static str, &Step); 6] {
        [
            (STEPS[0], &self.identification),
            (STEPS[1], &self.needs),
            (STEPS[2], &self.plan),
            (STEPS[3], &self.implementation),
            (STEPS[4], &self.monitoring),
            (STEPS[5], &self.evaluation),
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SupportPath {
    pub client_id: String,
    pub status: DocStatus,
    /// Several may apply; a set, so two devices ticking different ones both count.
    pub directions: Vec<String>,
    pub work_form: String,
    pub steps: Steps,
}

impl CaseDocument for SupportPath {
    const SENSITIVE: bool = true;
    const HAS_STATUS: bool = true;

    fn check(&self, c: &mut Check, ctx: &DocContext) {
        let fin = self.status == DocStatus::Final;
        for (i, d) in self.directions.iter().enumerate() {
            if !DIRECTIONS.contains(&d.as_str()) || self.directions[..i].contains(d) {
                c.add("directions", "unknown_option", format!("Nieznany lub powtórzony kierunek „{d}”."), format!("Unknown or repeated direction \"{d}\"."));
            }
        }
        if fin && self.directions.is_empty() {
            c.add("directions", "required", "Wybierz co najmniej jeden kierunek rozwoju.".into(), "Choose at least one development direction.".into());
        }
        c.choice("work_form", &self.work_form, &WORK_FORMS, fin);
        for (key, step) in self.steps.list() {
            c.text(&format!("steps/{key}/summary"), &step.summary, LONG, false);
            let table = format!("steps/{key}/annotations");
            c.rows(&table, &step.annotations);
            for a in &step.annotations {
                let d = c.date(&format!("{table}/{}/date", a.id), &a.date, true);
                c.not_future(&format!("{table}/{}/date", a.id), d, ctx.today);
                c.text(&format!("{table}/{}/text", a.id), &a.text, LONG, true);
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
        match validate(DocType::Path, &doc, Lang::Pl, &ctx) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    #[test]
    fn annotations_are_dated_and_written() {
        assert!(codes(json!({"steps": {"monitoring": {"annotations": [{"id": "a", "date": "2026-11-20", "text": "Wizyta w spółdzielni"}]}}})).is_empty());
        assert_eq!(codes(json!({"steps": {"plan": {"annotations": [{"id": "a", "date": "", "text": ""}]}}})), [
            ("/steps/plan/annotations/a/date".into(), "required".into()),
            ("/steps/plan/annotations/a/text".into(), "required".into()),
        ]);
    }

    #[test]
    fn directions_are_the_five_of_the_standard_and_a_final_path_has_one() {
        assert!(codes(json!({"directions": ["conversion", "economisation"]})).is_empty());
        assert_eq!(codes(json!({"directions": ["conversion", "conversion"]})), [("/directions".into(), "unknown_option".into())]);
        let e = codes(json!({"status": "final"}));
        assert!(e.contains(&("/directions".into(), "required".into())));
        assert!(e.contains(&("/work_form".into(), "required".into())));
    }

    proptest! {
        #[test]
        fn any_subset_of_directions_in_any_order_is_valid(mask in 0u8..32) {
            let dirs: Vec<&str> = DIRECTIONS.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, d)| *d).rev().collect();
            let ok = codes(json!({"directions": dirs, "work_form": "group"})).is_empty();
            prop_assert!(ok);
        }
    }
}
