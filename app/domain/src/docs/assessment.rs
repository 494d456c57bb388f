//! Bilans predyspozycji (tool 4): the client's own view of strengths and
//! weaknesses, eleven social skills rated 1–10, vocational predispositions and
//! history, the course the client prefers and the one the specialist suggests.

use serde::{Deserialize, Serialize};

use super::{CaseDocument, Check, DocContext, DocStatus, LONG, SHORT};

/// The social skills of the form, in its order; each is rated 1–10.
pub const SKILLS: [&str; 11] = [
    "communicativeness",
    "ease_of_contacts",
    "group_work",
    "leadership",
    "self_presentation",
    "self_esteem",
    "goal_orientation",
    "motivation",
    "flexibility",
    "inventiveness",
    "stress_resistance",
];

pub const DISABILITY: [&str; 4] = ["none", "light", "moderate", "significant"];
pub const EDUCATION: [&str; 6] = ["none", "primary", "lower_secondary", "upper_secondary", "post_secondary", "higher"];

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Skills {
    pub communicativeness: Option<i64>,
    pub ease_of_contacts: Option<i64>,
    pub group_work: Option<i64>,
    pub leadership: Option<i64>,
    pub self_presentation: Option<i64>,
    pub self_esteem: Option<i64>,
    pub goal_orientation: Option<i64>,
    pub motivation: Option<i64>,
    pub flexibility: Option<i64>,
    pub inventiveness: Option<i64>,
    pub stress_resistance: Option<i64>,
}

impl Skills {
    /// The ratings in the form's order, with their keys (see [`SKILLS`]).
    pub fn list(&self) -> [(&'static str, Option<i64>); 11] {
        [
            (SKILLS[0], self.communicativeness),
            (SKILLS[1], self.ease_of_contacts),
            (SKILLS[2], self.group_work),
            (SKILLS[3], self.leadership),
            (SKILLS[4], self.self_presentation),
            (SKILLS[5], self.self_esteem),
            (SKILLS[6], self.goal_orientation),
            (SKILLS[7], self.motivation),
            (SKILLS[8], self.flexibility),
            (SKILLS[9], self.inventiveness),
            (SKILLS[10], self.stress_resistance),
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Assessment {
    pub client_id: String,
    pub status: DocStatus,
    pub strengths: String,
    pub weaknesses: String,
    pub skills: Skills,
    pub predispositions: String,
    /// Special-category data (GDPR art. 9): reads of this document are audited.
    pub disability: String,
    pub education: String,
    pub interests: String,
    pub profession: String,
    pub career_path: String,
    pub work_stop_reason: String,
    pub job_search: String,
    pub computer: String,
    pub languages: String,
    pub driving_licence: String,
    pub other_skills: String,
    pub preferred_course: String,
    pub preferred_course_reason: String,
    pub suggested_course: String,
    pub place: String,
    pub date: String,
}

impl CaseDocument for Assessment {
    const SENSITIVE: bool = true;
    const HAS_STATUS: bool = true;

    fn check(&self, c: &mut Check, ctx: &DocContext) {
        let fin = self.status == DocStatus::Final;
        for (field, value) in [("strengths", &self.strengths), ("weaknesses", &self.weaknesses)] {
            c.text(field, value, LONG, fin);
        }
        for (key, v) in self.skills.list() {
            c.rating(&format!("skills/{key}"), v, fin);
        }
        c.choice("disability", &self.disability, &DISABILITY, fin);
        c.choice("education", &self.education, &EDUCATION, fin);
        for (field, value) in [
            ("predispositions", &self.predispositions),
            ("interests", &self.interests),
            ("career_path", &self.career_path),
            ("work_stop_reason", &self.work_stop_reason),
            ("job_search", &self.job_search),
            ("other_skills", &self.other_skills),
            ("preferred_course_reason", &self.preferred_course_reason),
        ] {
            c.text(field, value, LONG, false);
        }
        for (field, value) in [
            ("profession", &self.profession),
            ("computer", &self.computer),
            ("languages", &self.languages),
            ("driving_licence", &self.driving_licence),
            ("preferred_course", &self.preferred_course),
            ("suggested_course", &self.suggested_course),
        ] {
            c.text(field, value, SHORT, false);
        }
        c.text("place", &self.place, SHORT, fin);
        let date = c.date("date", &self.date, fin);
        c.not_future("date", date, ctx.today);
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

    fn ctx() -> DocContext<'static> {
        DocContext { today: date!(2026 - 11 - 23), partners: &[], custom_services: &[] }
    }

    fn codes(doc: serde_json::Value) -> Vec<(String, String)> {
        match validate(DocType::Assessment, &doc, Lang::Pl, &ctx()) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|f| (f.pointer, f.code)).collect(),
        }
    }

    #[test]
    fn ratings_are_one_to_ten() {
        assert!(codes(json!({"skills": {"motivation": 10, "leadership": 1}})).is_empty());
        assert_eq!(codes(json!({"skills": {"motivation": 11}})), [("/skills/motivation".into(), "rating".into())]);
        assert_eq!(codes(json!({"skills": {"flexibility": 0}})), [("/skills/flexibility".into(), "rating".into())]);
    }

    #[test]
    fn a_final_assessment_needs_every_rating_place_date_education_and_disability() {
        let e = codes(json!({"status": "final"}));
        for p in ["/strengths", "/weaknesses", "/skills/stress_resistance", "/disability", "/education", "/place", "/date"] {
            assert!(e.iter().any(|(ptr, _)| ptr == p), "{p} missing from {e:?}");
        }
        let mut full = json!({"status": "final", "strengths": "punktualna", "weaknesses": "nieśmiała", "disability": "none",
            "education": "primary", "place": "Kielce", "date": "2026-11-20", "skills": {}});
        for k in SKILLS {
            full["skills"][k] = json!(5);
        }
        assert!(codes(full).is_empty());
    }

    #[test]
    fn options_and_dates_are_checked() {
        assert_eq!(codes(json!({"education": "phd"})), [("/education".into(), "unknown_option".into())]);
        assert_eq!(codes(json!({"date": "2026-12-01"})), [("/date".into(), "future".into())]);
        assert_eq!(codes(json!({"date": "31.02.2026"})), [("/date".into(), "date".into())]);
    }

    proptest! {
        #[test]
        fn any_rating_is_accepted_exactly_when_it_is_on_the_scale(r in -1000i64..1000) {
            let ok = codes(json!({"skills": {"group_work": r}})).is_empty();
            prop_assert_eq!(ok, (1..=10).contains(&r));
        }

        #[test]
        fn validation_never_panics_and_normalises_to_a_fixed_point(text in "\\PC{0,40}", r in proptest::option::of(0i64..12)) {
            let doc = json!({"strengths": text, "skills": {"motivation": r}, "unknown": 1});
            if let Ok(v) = validate(DocType::Assessment, &doc, Lang::En, &ctx()) {
                prop_assert!(v.get("unknown").is_none());
                prop_assert_eq!(validate(DocType::Assessment, &v, Lang::En, &ctx()).ok(), Some(v));
            }
        }
    }
}
