use crate::calendar::Month;
use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::i18n::t;

fn answer(choices: &[(&str, &[&str])], texts: &[(&str, &str)]) -> SurveyAnswer {
    SurveyAnswer {
        choices: choices.iter().map(|(q, o)| (q.to_string(), o.iter().map(std::string::ToString::to_string).collect())).collect(),
        texts: texts.iter().map(|(q, s)| (q.to_string(), s.to_string())).collect(),
    }
}

fn codes(r: Result<SurveyAnswer, Vec<FieldError>>) -> Vec<(String, String)> {
    r.err().unwrap_or_default().into_iter().map(|e| (e.pointer, e.code)).collect()
}

#[test]
fn the_questionnaire_is_the_printed_one() {
    let ids: Vec<_> = QUESTIONS.iter().map(|q| q.id).collect();
    assert_eq!(
        ids,
        ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11", "q12", "sex", "age", "education", "place", "marital", "children", "household", "income"]
    );
    let many: Vec<_> = QUESTIONS.iter().filter(|q| q.kind == Kind::Many).map(|q| q.id).collect();
    assert_eq!(many, ["q5", "q9", "q10"]);
    assert_eq!(question("q5").map(|q| q.options.len()), Some(10));
    assert_eq!(question("q12").map(|q| q.options.len()), Some(5));
    assert_eq!(question("education").map(|q| q.options.len()), Some(5));
    // Every question, option and text box has its label in both languages.
    for q in QUESTIONS {
        let mut keys = vec![q.key()];
        keys.extend(q.options.iter().map(|o| q.option_key(o)));
        if q.takes_text() {
            keys.push(q.text_key());
        }
        for key in keys {
            assert_ne!(t(Lang::Pl, &key), key, "no label {key}");
            assert_ne!(t(Lang::En, &key), t(Lang::Pl, &key), "untranslated {key}");
        }
    }
    assert_eq!(t(Lang::Pl, "survey.q1.no"), "Nie (proszę przejść do pytania nr 3)");
}

#[test]
fn question_one_no_skips_question_two() {
    let ok = answer(&[("q1", &["no"]), ("q3", &["yes"])], &[]);
    assert!(validate(&ok, Lang::Pl).is_ok());
    let bad = answer(&[("q1", &["no"]), ("q2", &["over10"])], &[]);
    assert_eq!(codes(validate(&bad, Lang::En)), [("/choices/q2".to_string(), "skipped".to_string())]);
    let fine = answer(&[("q1", &["yes"]), ("q2", &["over10"])], &[]);
    assert!(validate(&fine, Lang::Pl).is_ok());
    // The form drops question 2 when question 1 becomes "no".
    let mut a = fine.clone();
    a.toggle("q1", "no");
    assert_eq!(a.chosen("q1"), ["no"]);
    assert!(a.chosen("q2").is_empty());
}

#[test]
fn single_choice_takes_one_option_and_multi_choice_many() {
    let two = answer(&[("q4", &["age", "sex"])], &[]);
    assert_eq!(codes(validate(&two, Lang::Pl)), [("/choices/q4".to_string(), "one_only".to_string())]);
    let many = answer(&[("q5", &["trainings", "legal", "childcare"])], &[]);
    assert!(validate(&many, Lang::Pl).is_ok());
    let twice = answer(&[("q5", &["legal", "legal"])], &[]);
    assert_eq!(codes(validate(&twice, Lang::Pl)), [("/choices/q5".to_string(), "duplicate".to_string())]);
    let mut a = SurveyAnswer::default();
    a.toggle("q4", "age");
    a.toggle("q4", "sex");
    assert_eq!(a.chosen("q4"), ["sex"]);
    a.toggle("q5", "legal");
    a.toggle("q5", "trainings");
    a.toggle("q5", "legal");
    assert_eq!(a.chosen("q5"), ["trainings"]);
}

#[test]
fn unknown_questions_and_options_are_refused() {
    let a = answer(&[("q99", &["yes"]), ("q1", &["maybe"])], &[("pesel", "x")]);
    let c = codes(validate(&a, Lang::Pl));
    assert!(c.contains(&("/choices/q99".into(), "unknown_question".into())));
    assert!(c.contains(&("/choices/q1".into(), "unknown_option".into())));
    assert!(c.contains(&("/texts/pesel".into(), "unknown_question".into())));
    // Text-only question 8 has no options.
    assert_eq!(codes(validate(&answer(&[("q8", &["yes"])], &[]), Lang::Pl)), [("/choices/q8".to_string(), "not_a_choice".to_string())]);
    // Unknown fields in the body itself are refused by serde.
    assert!(serde_json::from_str::<SurveyAnswer>(r#"{"choices":{},"client_id":"x"}"#).is_err());
}

#[test]
fn texts_go_only_with_the_answer_that_asks_for_them() {
    let why = answer(&[("q3", &["no"])], &[("q3", "Opiekuję się mamą")]);
    assert_eq!(validate(&why, Lang::Pl).map(|a| a.texts.len()), Ok(1));
    let not_asked = answer(&[("q3", &["yes"])], &[("q3", "tekst")]);
    assert_eq!(codes(validate(&not_asked, Lang::Pl)), [("/texts/q3".to_string(), "text_not_open".to_string())]);
    let other = answer(&[("q5", &["legal", "other"])], &[("q5", "kurs prawa jazdy")]);
    assert!(validate(&other, Lang::Pl).is_ok());
    let q7 = answer(&[("q7", &["narrow"])], &[("q7", "za mało szkoleń")]);
    assert!(validate(&q7, Lang::Pl).is_ok());
    let q7_adequate = answer(&[("q7", &["adequate"])], &[("q7", "x")]);
    assert_eq!(codes(validate(&q7_adequate, Lang::Pl)).len(), 1);
    let q8 = answer(&[], &[("q8", "  pomoc w znalezieniu mieszkania  ")]);
    assert_eq!(validate(&q8, Lang::Pl).map(|a| a.texts["q8"].clone()), Ok("pomoc w znalezieniu mieszkania".to_string()));
    let long = answer(&[], &[("q8", &"a".repeat(MAX_TEXT + 1))]);
    assert_eq!(codes(validate(&long, Lang::Pl)), [("/texts/q8".to_string(), "too_long".to_string())]);
    // Closing the "other" box drops its text.
    let mut a = other.clone();
    a.toggle("q5", "other");
    assert!(a.texts.is_empty());
}

#[test]
fn an_empty_survey_is_refused_with_a_clear_message() {
    let r = validate(&SurveyAnswer::default(), Lang::Pl);
    let e = r.expect_err("empty");
    assert_eq!(e[0].code, "empty");
    assert!(e[0].message.contains("co najmniej jedną"));
}

#[test]
fn tallies_are_independent_counters_and_results_are_per_question() {
    let a = answer(&[("q1", &["yes"]), ("q5", &["legal", "other"]), ("sex", &["woman"])], &[("q5", "kurs")]);
    let tl = tallies(&a);
    assert_eq!(tl, [(ALL, ALL), ("q1", ALL), ("q1", "yes"), ("q5", ALL), ("q5", "legal"), ("q5", "other"), ("sex", ALL), ("sex", "woman")]);
    assert_eq!(texts(&a), [("q5", "kurs".to_string())]);

    let p = Month { year: 2026, month: 11 };
    let mut counters: BTreeMap<(String, String), i64> = BTreeMap::new();
    let people = [("yes", "woman"), ("yes", "man"), ("no", "woman"), ("yes", "woman")];
    for (q1, sex) in people {
        for (q, o) in tallies(&answer(&[("q1", &[q1]), ("sex", &[sex])], &[])) {
            *counters.entry((q.into(), o.into())).or_default() += 1;
        }
    }
    let flat = |c: &BTreeMap<(String, String), i64>| c.iter().map(|((q, o), n)| (q.clone(), o.clone(), *n)).collect::<Vec<_>>();
    let r = results(p, &flat(&counters), vec![]);
    assert!(r.withheld, "4 answers are withheld");
    assert!(r.questions.is_empty());
    for (q, o) in tallies(&answer(&[("q12", &["def_yes"])], &[])) {
        *counters.entry((q.into(), o.into())).or_default() += 1;
    }
    let r = results(p, &flat(&counters), vec![("q8".into(), "mieszkanie".into())]);
    assert!(!r.withheld);
    assert_eq!(r.respondents, 5);
    let q1 = &r.questions[0];
    assert_eq!((q1.answered, q1.options[0].count, q1.options[0].percent), (4, 3, 75.0));
    let q12 = r.questions.iter().find(|q| q.question == "q12").expect("q12");
    assert_eq!((q12.answered, q12.options[0].percent), (1, 100.0));
    let q8 = r.questions.iter().find(|q| q.question == "q8").expect("q8");
    assert_eq!(q8.texts, ["mieszkanie"]);
}

#[test]
fn periods_are_months() {
    assert_eq!(Month::parse("2026-11"), Some(Month { year: 2026, month: 11 }));
    assert_eq!(Month::parse("2026-13"), None);
    assert_eq!(Month::parse("26-11"), None);
    assert_eq!(Month::parse("2026-1"), None);
    assert_eq!(Month { year: 2026, month: 1 }.previous().to_string(), "2025-12");
    assert_eq!(Month { year: 2026, month: 11 }.label(Lang::Pl), "listopad 2026");
}

#[test]
fn codes_are_read_forgivingly() {
    assert_eq!(normalize_code("abcde-fghjk"), Some("ABCDEFGHJK".into()));
    assert_eq!(normalize_code(" ABCDE FGHJK "), Some("ABCDEFGHJK".into()));
    assert_eq!(normalize_code("ABCDE-FGHJ0"), None, "0 is not in the alphabet");
    assert_eq!(normalize_code("ABC"), None);
    assert_eq!(format_code("ABCDEFGHJK"), "ABCDE-FGHJK");
}

fn any_answer() -> impl Strategy<Value = SurveyAnswer> {
    let pick = proptest::collection::vec((0..QUESTIONS.len(), 0usize..12), 0..25);
    let text = proptest::collection::vec((0..QUESTIONS.len(), "[a-zA-Ząęś \\n]{0,30}"), 0..5);
    (pick, text).prop_map(|(picks, texts)| {
        let mut a = SurveyAnswer::default();
        for (qi, oi) in picks {
            let q = &QUESTIONS[qi];
            if let Some(o) = q.options.get(oi % q.options.len().max(1)) {
                a.choices.entry(q.id.to_string()).or_default().push((*o).to_string());
            }
        }
        for (qi, s) in texts {
            a.texts.insert(QUESTIONS[qi].id.to_string(), s);
        }
        a
    })
}

proptest! {
    /// Whatever is clicked, what the form keeps (after `tidy`) is accepted unless it
    /// breaks a choice rule, and the validator never panics on anything.
    #[test]
    fn the_form_never_sends_what_the_server_refuses(clicks in proptest::collection::vec((0..QUESTIONS.len(), 0usize..12), 1..30)) {
        let mut a = SurveyAnswer::default();
        for (qi, oi) in clicks {
            let q = &QUESTIONS[qi];
            if let Some(o) = q.options.get(oi % q.options.len().max(1)) {
                a.toggle(q.id, o);
                if q.text_on.contains(o) {
                    a.texts.insert(q.id.to_string(), "tekst".into());
                }
            }
        }
        a.tidy();
        if !a.is_empty() {
            prop_assert!(validate(&a, Lang::Pl).is_ok(), "{a:?}: {:?}", validate(&a, Lang::Pl));
        }
    }

    #[test]
    fn accepted_answers_follow_every_rule(a in any_answer()) {
        if let Ok(clean) = validate(&a, Lang::En) {
            for (id, chosen) in &clean.choices {
                let q = question(id).expect("known question");
                prop_assert!(!chosen.is_empty());
                prop_assert!(q.kind != Kind::One || chosen.len() == 1);
                prop_assert!(chosen.iter().all(|c| q.options.contains(&c.as_str())));
                prop_assert!(!clean.skipped(q));
            }
            for (id, text) in &clean.texts {
                let q = question(id).expect("known question");
                prop_assert!(q.text_open(clean.chosen(id)));
                prop_assert!(text.chars().count() <= MAX_TEXT && !text.is_empty());
            }
            // One respondent, one total; each answered question counted once.
            let tl = tallies(&clean);
            prop_assert_eq!(tl.iter().filter(|t| **t == (ALL, ALL)).count(), 1);
            for q in QUESTIONS {
                prop_assert!(tl.iter().filter(|(tq, to)| *tq == q.id && *to == ALL).count() <= 1);
            }
        }
    }
}
