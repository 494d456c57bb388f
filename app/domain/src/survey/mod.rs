//! The anonymous client survey (the partnership guide's tool 10): its questions,
//! the rules an answer must follow, and what may be kept of an answer.
//!
//! An answer is never stored as a whole. [`tallies`] turns it into independent
//! counter increments (one per chosen option, one "answered" mark per question) and
//! [`texts`] into loose free-text items; the server adds them to per-question counters
//! and a shuffled text list, so no stored row joins one person's metrics with their
//! opinions. [`results`] rebuilds the per-question figures from those counters and
//! withholds them below [`MIN_ANSWERS`].

pub mod api;
pub mod labels;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::validation::{Errors, FieldError};
use crate::lang::Lang;

/// Results are shown only from this many answers in a partnership and period, and
/// answers reach storage only in shuffled batches of at least this size.
pub const MIN_ANSWERS: u64 = 5;
/// The longest free-text answer, in characters.
pub const MAX_TEXT: usize = 1000;
/// The most answers one kiosk upload may carry.
pub const MAX_BATCH: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// One option at most.
    One,
    /// Any number of options ("proszę zaznaczyć wszystkie").
    Many,
    /// Free text only.
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Employment,
    Opinion,
    Metrics,
}

impl Section {
    pub fn key(self) -> &'static str {
        match self {
            Section::Employment => "survey.section.1",
            Section::Opinion => "survey.section.2",
            Section::Metrics => "survey.section.metrics",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Question {
    pub id: &'static str,
    pub section: Section,
    pub kind: Kind,
    pub options: &'static [&'static str],
    /// The options that open the question's text ("inne, jakie?", "dlaczego?").
    pub text_on: &'static [&'static str],
    /// The question is skipped when this other question has this answer.
    pub skip_if: Option<(&'static str, &'static str)>,
}

impl Question {
    /// The label key of the question, of one of its options, or of its text box.
    pub fn key(&self) -> String {
        format!("survey.{}", self.id)
    }
    pub fn option_key(&self, option: &str) -> String {
        format!("survey.{}.{option}", self.id)
    }
    pub fn text_key(&self) -> String {
        format!("survey.{}.text", self.id)
    }
    pub fn takes_text(&self) -> bool {
        self.kind == Kind::Text || !self.text_on.is_empty()
    }
    /// Whether the text box is open for these chosen options.
    pub fn text_open(&self, chosen: &[String]) -> bool {
        self.kind == Kind::Text || chosen.iter().any(|c| self.text_on.contains(&c.as_str()))
    }
}

const fn q(
    id: &'static str,
    section: Section,
    kind: Kind,
    options: &'static [&'static str],
    text_on: &'static [&'static str],
) -> Question {
    Question { id, section, kind, options, text_on, skip_if: None }
}

use Kind::{Many, One, Text};
use Section::{Employment, Metrics, Opinion};

/// The questionnaire exactly as printed in the guide, in its order.
pub static QUESTIONS: &[Question] = &[
    q("q1", Employment, One, &["yes", "no"], &[]),
    Question { skip_if: Some(("q1", "no")), ..q("q2", Employment, One, &["upto2", "2to5", "6to10", "over10"], &[]) },
    q("q3", Employment, One, &["yes", "no"], &["no"]),
    q("q4", Employment, One, &["qualifications", "education", "experience", "disability", "sex", "age", "other"], &["other"]),
    q(
        "q5",
        Employment,
        Many,
        &["trainings", "counselling", "placement", "psychological", "legal", "internships", "practice", "volunteering", "childcare", "other"],
        &["other"],
    ),
    q("q6", Opinion, One, &["announcement", "friends", "pup", "ops", "ngo", "other"], &["other"]),
    q("q7", Opinion, One, &["overloaded", "adequate", "narrow"], &["overloaded", "narrow"]),
    q("q8", Opinion, Text, &[], &[]),
    q("q9", Opinion, Many, &["variety", "one_place", "individual", "openness", "other"], &["other"]),
    q(
        "q10",
        Opinion,
        Many,
        &["self_belief", "belief_help", "wellbeing", "job_chances", "search_skills", "vocational_skills", "other"],
        &["other"],
    ),
    q("q11", Opinion, One, &["yes", "no"], &["yes"]),
    q("q12", Opinion, One, &["def_yes", "rather_yes", "rather_no", "def_no", "dont_know"], &[]),
    q("sex", Metrics, One, &["woman", "man"], &[]),
    q("age", Metrics, One, &["18_30", "31_45", "46_65"], &[]),
    q("education", Metrics, One, &["primary", "lower_secondary", "upper_secondary", "post_secondary", "higher"], &[]),
    q("place", Metrics, One, &["town", "village"], &[]),
    q("marital", Metrics, One, &["single", "married", "widowed"], &[]),
    q("children", Metrics, One, &["none", "one", "two_three", "four_plus"], &[]),
    q("household", Metrics, One, &["one", "two_three", "four_plus"], &[]),
    q("income", Metrics, One, &["benefits", "pension", "work", "other"], &["other"]),
];

pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

/// One person's answer, as the form sends it: the chosen options and the texts,
/// both keyed by question id. It carries nothing about who or when.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswer {
    #[serde(default)]
    pub choices: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub texts: BTreeMap<String, String>,
}

impl SurveyAnswer {
    pub fn chosen(&self, question: &str) -> &[String] {
        self.choices.get(question).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether the question is skipped by an earlier answer (question 1 "no" skips 2).
    pub fn skipped(&self, q: &Question) -> bool {
        q.skip_if.is_some_and(|(other, option)| self.chosen(other).iter().any(|c| c == option))
    }

    /// Chooses or unchooses an option the way the form's controls do: a single-choice
    /// question keeps only the new option; answers the choice makes impossible (a
    /// skipped question, a text box that closes) are dropped.
    pub fn toggle(&mut self, question: &str, option: &str) {
        let Some(q) = self::question(question) else { return };
        let list = self.choices.entry(q.id.to_string()).or_default();
        if let Some(at) = list.iter().position(|c| c == option) {
            list.remove(at);
        } else if q.kind == Kind::One {
            *list = vec![option.to_string()];
        } else {
            list.push(option.to_string());
        }
        self.tidy();
    }

    /// Drops what the rules make impossible: empty lists, answers to skipped
    /// questions, texts whose box is closed. What the form shows is what is sent.
    pub fn tidy(&mut self) {
        self.choices.retain(|_, v| !v.is_empty());
        let skipped: Vec<&str> = QUESTIONS.iter().filter(|q| self.skipped(q)).map(|q| q.id).collect();
        for id in skipped {
            self.choices.remove(id);
            self.texts.remove(id);
        }
        let closed: Vec<String> = self
            .texts
            .keys()
            .filter(|k| question(k).is_none_or(|q| !q.text_open(self.chosen(q.id))))
            .cloned()
            .collect();
        for k in closed {
            self.texts.remove(&k);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.choices.values().all(Vec::is_empty) && self.texts.values().all(|t| t.trim().is_empty())
    }
}

/// Checks an answer against the questionnaire: the same rules in the browser and on
/// the server, which refuses anything the form could not have produced. Returns
/// the answer with its texts trimmed.
pub fn validate(answer: &SurveyAnswer, lang: Lang) -> Result<SurveyAnswer, Vec<FieldError>> {
    let mut e = Errors::new(lang);
    let msg = |pl: &str, en: &str| match lang {
        Lang::Pl => pl.to_string(),
        Lang::En => en.to_string(),
    };
    let mut clean = SurveyAnswer::default();
    for (id, chosen) in &answer.choices {
        let field = format!("choices/{id}");
        let Some(q) = question(id) else {
            e.add(&field, "unknown_question", msg("Ankieta nie ma takiego pytania.", "The survey has no such question."));
            continue;
        };
        if q.kind == Kind::Text {
            e.add(&field, "not_a_choice", msg("To pytanie przyjmuje tylko tekst.", "This question takes text only."));
            continue;
        }
        if answer.skipped(q) && !chosen.is_empty() {
            e.add(&field, "skipped", format!("{} {}", msg("To pytanie należało pominąć:", "This question is skipped:"), crate::lang::lookup(labels::STRINGS, lang, "survey.q1.no").unwrap_or_default()));
            continue;
        }
        if let Some(bad) = chosen.iter().find(|c| !q.options.contains(&c.as_str())) {
            let bad: String = bad.chars().take(40).collect();
            e.add(&field, "unknown_option", format!("{} „{bad}”.", msg("Nie ma takiej odpowiedzi:", "No such answer:")));
            continue;
        }
        if q.kind == Kind::One && chosen.len() > 1 {
            e.add(&field, "one_only", msg("W tym pytaniu można wybrać tylko jedną odpowiedź.", "Choose only one answer to this question."));
            continue;
        }
        let mut unique = chosen.clone();
        unique.sort_unstable();
        unique.dedup();
        if unique.len() != chosen.len() {
            e.add(&field, "duplicate", msg("Ta sama odpowiedź wybrana dwa razy.", "The same answer is chosen twice."));
            continue;
        }
        if !chosen.is_empty() {
            clean.choices.insert(q.id.to_string(), chosen.clone());
        }
    }
    for (id, text) in &answer.texts {
        let field = format!("texts/{id}");
        let Some(q) = question(id).filter(|q| q.takes_text()) else {
            e.add(&field, "unknown_question", msg("To pytanie nie przyjmuje tekstu.", "This question takes no text."));
            continue;
        };
        let Some(v) = e.optional_text(&field, text, MAX_TEXT) else { continue };
        if v.is_empty() {
            continue;
        }
        if answer.skipped(q) || !q.text_open(answer.chosen(q.id)) {
            e.add(
                &field,
                "text_not_open",
                msg("Tekst można wpisać tylko przy odpowiedzi, która o niego prosi.", "Text goes only with the answer that asks for it."),
            );
            continue;
        }
        clean.texts.insert(q.id.to_string(), v);
    }
    if e.is_empty() && clean.is_empty() {
        e.add("", "empty", msg("Ankieta jest pusta — zaznacz co najmniej jedną odpowiedź.", "The survey is empty — choose at least one answer."));
    }
    e.into_result(|| clean)
}

/// The counter a respondent adds to: all respondents, those who answered a question,
/// and those who chose an option.
pub const ALL: &str = "*";

/// The counter increments one answer contributes: one per chosen option, one
/// "answered" mark per answered question, and one to the respondent total. Kept as
/// separate counters, they cannot be joined back into the answer.
pub fn tallies(answer: &SurveyAnswer) -> Vec<(&'static str, &'static str)> {
    let mut out = vec![(ALL, ALL)];
    for q in QUESTIONS {
        let chosen = answer.chosen(q.id);
        let has_text = answer.texts.get(q.id).is_some_and(|t| !t.trim().is_empty());
        if chosen.is_empty() && !has_text {
            continue;
        }
        out.push((q.id, ALL));
        out.extend(q.options.iter().filter(|o| chosen.iter().any(|c| c == *o)).map(|o| (q.id, *o)));
    }
    out
}

/// The free-text items one answer contributes, each on its own.
pub fn texts(answer: &SurveyAnswer) -> Vec<(&'static str, String)> {
    QUESTIONS
        .iter()
        .filter_map(|q| answer.texts.get(q.id).map(|t| (q.id, t.trim().to_string())))
        .filter(|(_, t)| !t.is_empty())
        .collect()
}

/// The alphabet of single-use codes: no 0/O, 1/I/L, so a code read off a slip is
/// typed right.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
pub const CODE_LEN: usize = 10;

/// A code as typed (any case, spaces or dashes) in its canonical form, or `None`
/// when it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let c: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
    (c.len() == CODE_LEN && c.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(c)
}

/// A canonical code as printed on a slip: `ABCDE-FGHJK`.
pub fn format_code(code: &str) -> String {
    let (a, b) = code.split_at(code.len() / 2);
    format!("{a}-{b}")
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OptionResult {
    pub option: String,
    pub count: u64,
    /// Of those who answered the question, one decimal.
    pub percent: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionResult {
    pub question: String,
    pub answered: u64,
    pub options: Vec<OptionResult>,
    /// Free-text answers to the question, in random order.
    pub texts: Vec<String>,
}

/// What coordinators see of a period: per question, never per person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodResults {
    pub period: String,
    pub respondents: u64,
    /// Fewer than [`MIN_ANSWERS`] answers: nothing but the count is shown.
    pub withheld: bool,
    /// When the round closed, fewer than [`MIN_ANSWERS`] answers were still waiting
    /// (on one server) and so were left out: counting them alone would have shown them.
    #[serde(default)]
    pub few: bool,
    pub questions: Vec<QuestionResult>,
}

/// Rebuilds the figures from the stored counters `(question, option, count)` and the
/// free-text items `(question, text)` (already shuffled by the caller).
pub fn results(period: crate::calendar::Month, counters: &[(String, String, i64)], texts: Vec<(String, String)>) -> PeriodResults {
    let count = |q: &str, o: &str| -> u64 {
        counters.iter().filter(|(cq, co, _)| cq == q && co == o).map(|(_, _, n)| u64::try_from(*n).unwrap_or(0)).sum()
    };
    let respondents = count(ALL, ALL);
    let withheld = respondents < MIN_ANSWERS;
    if withheld {
        return PeriodResults { period: period.to_string(), respondents, withheld, few: false, questions: Vec::new() };
    }
    let mut questions: Vec<QuestionResult> = QUESTIONS
        .iter()
        .map(|q| {
            let answered = count(q.id, ALL);
            let options = q
                .options
                .iter()
                .map(|o| {
                    let n = count(q.id, o);
                    let percent = if answered == 0 { 0.0 } else { (n as f64 * 1000.0 / answered as f64).round() / 10.0 };
                    OptionResult { option: (*o).to_string(), count: n, percent }
                })
                .collect();
            QuestionResult { question: q.id.to_string(), answered, options, texts: Vec::new() }
        })
        .collect();
    for (qid, text) in texts {
        if let Some(r) = questions.iter_mut().find(|r| r.question == qid) {
            r.texts.push(text);
        }
    }
    PeriodResults { period: period.to_string(), respondents, withheld, few: false, questions }
}

#[cfg(test)]
mod tests;
