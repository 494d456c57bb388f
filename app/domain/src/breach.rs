//! The register of personal-data breaches a partnership keeps (GDPR art. 33(5)): what
//! happened and when it was found, what data and how many people, the risk, whether
//! and when the supervisory authority (UODO) was told — within 72 hours of finding it
//! (art. 33(1)) — and the people themselves where the risk is high (art. 34), and what
//! was done. The rules a form and the server both run are here.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::i18n::t;
use crate::lang::Lang;
use crate::org::string_enum;
use crate::validation::{format_timestamp_warsaw, parse_warsaw_minute, Errors, FieldError};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Hours from finding a breach to the supervisory authority's deadline (art. 33(1)).
pub const DEADLINE_HOURS: i64 = 72;

string_enum! {
    /// How likely the breach is to harm the people whose data it concerns: `unlikely`
    /// needs no report to UODO (the register says why), `risk` does, `high` also means
    /// telling the people themselves.
    BreachRisk { Unlikely = "unlikely", Risk = "risk", High = "high" }
}

// A form starts at "a risk": the answer that asks for the report unless someone decides
// otherwise. (Written out: the enum's macro takes no `#[default]`.)
#[allow(clippy::derivable_impls)]
impl Default for BreachRisk {
    fn default() -> Self {
        BreachRisk::Risk
    }
}

/// A breach as recorded or updated. Times are Warsaw local time as a
/// `<input type="datetime-local">` sends them (`YYYY-MM-DDTHH:MM`); empty where not
/// (yet) done. `people` 0 means not yet known.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BreachInput {
    pub found_at: String,
    pub what_happened: String,
    /// What data, whose (e.g. "health data of clients of the OPS").
    pub data: String,
    #[serde(default)]
    pub people: u32,
    pub risk: BreachRisk,
    /// When UODO was told.
    #[serde(default)]
    pub reported_at: String,
    /// When the people concerned were told (art. 34).
    #[serde(default)]
    pub informed_at: String,
    /// Why it was not reported, or why the report came after 72 hours.
    #[serde(default)]
    pub justification: String,
    /// What was done to stop it and to limit its effects.
    #[serde(default)]
    pub measures: String,
    /// The incident is dealt with: everything it needs is recorded.
    #[serde(default)]
    pub closed: bool,
}

/// [`BreachInput`] as stored: texts cleaned, times as Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidBreach {
    pub found: i64,
    pub what_happened: String,
    pub data: String,
    pub people: u32,
    pub risk: BreachRisk,
    pub reported: Option<i64>,
    pub informed: Option<i64>,
    pub justification: String,
    pub measures: String,
    pub closed: bool,
}

impl BreachInput {
    /// The breach as stored, or every reason it is refused. `now` (Unix seconds) bounds
    /// every time: nothing is found, reported or told in the future.
    pub fn validate(&self, lang: Lang, now: i64) -> Result<ValidBreach, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        // A minute of a tablet's clock running ahead is no future.
        let latest = now + 300;
        let time = |e: &mut Errors, field: &str, value: &str, required: bool| -> Option<i64> {
            match value.trim() {
                "" => {
                    if required {
                        e.required(field);
                    }
                    None
                }
                v => match parse_warsaw_minute(v) {
                    Some(t) if t <= latest => Some(t),
                    Some(_) => {
                        e.add(field, "future", lang.pick("Ta chwila jeszcze nie nadeszła.", "That moment has not come yet."));
                        None
                    }
                    None => {
                        e.add(field, "datetime", lang.pick("Podaj datę i godzinę.", "Give a date and a time."));
                        None
                    }
                },
            }
        };
        let found = time(&mut e, "found_at", &self.found_at, true);
        let reported = time(&mut e, "reported_at", &self.reported_at, false);
        let informed = time(&mut e, "informed_at", &self.informed_at, false);
        for (field, at) in [("reported_at", reported), ("informed_at", informed)] {
            if let (Some(f), Some(t)) = (found, at) {
                if t < f {
                    e.add(field, "before_found", lang.pick("Nie wcześniej niż stwierdzono naruszenie.", "Not before the breach was found."));
                }
            }
        }
        let what_happened = e.text("what_happened", &self.what_happened, 4000);
        let data = e.text("data", &self.data, 2000);
        let justification = e.optional_text("justification", &self.justification, 4000).unwrap_or_default();
        let measures = e.optional_text("measures", &self.measures, 4000).unwrap_or_default();
        if self.people > 10_000_000 {
            e.add("people", "range", lang.pick("Podaj liczbę osób (do 10 000 000).", "Give the number of people (up to 10,000,000)."));
        }
        // Reported after the deadline: art. 33(1) asks for the reasons of the delay.
        if let (Some(f), Some(r)) = (found, reported) {
            if r > deadline(f) && justification.is_empty() {
                e.add("justification", "late", lang.pick("Zgłoszenie po 72 godzinach: podaj przyczyny opóźnienia.", "Reported after 72 hours: give the reasons for the delay."));
            }
        }
        if self.closed {
            // What closing needs: the people counted, what was done, and each duty met
            // or the reason it did not apply.
            if self.people == 0 {
                e.add("people", "to_close", lang.pick("Przed zamknięciem podaj liczbę osób.", "Give the number of people before closing."));
            }
            if measures.is_empty() {
                e.add("measures", "to_close", lang.pick("Przed zamknięciem opisz podjęte środki.", "Describe the measures taken before closing."));
            }
            match self.risk {
                BreachRisk::Unlikely if justification.is_empty() && reported.is_none() && self.reported_at.trim().is_empty() => e.add(
                    "justification",
                    "to_close",
                    lang.pick("Podaj, dlaczego naruszenie nie wymaga zgłoszenia do UODO.", "Say why the breach needs no report to UODO."),
                ),
                BreachRisk::Risk | BreachRisk::High if reported.is_none() && self.reported_at.trim().is_empty() => e.add(
                    "reported_at",
                    "to_close",
                    lang.pick("Naruszenie z ryzykiem zgłasza się do UODO: podaj, kiedy.", "A breach with a risk is reported to UODO: say when."),
                ),
                _ => {}
            }
            // Art. 34(3) lets the people go untold (the data were encrypted, later
            // measures removed the risk, telling each would take disproportionate
            // effort) if the reason is recorded.
            if self.risk == BreachRisk::High && informed.is_none() && self.informed_at.trim().is_empty() && justification.is_empty() {
                e.add(
                    "informed_at",
                    "to_close",
                    lang.pick(
                        "Przy wysokim ryzyku zawiadamia się osoby (art. 34): podaj, kiedy, albo w uzasadnieniu, dlaczego nie.",
                        "With a high risk the people are told (art. 34): say when, or why not in the justification.",
                    ),
                );
            }
        }
        e.into_result(|| ValidBreach {
            found: found.unwrap_or_default(),
            what_happened: what_happened.unwrap_or_default(),
            data: data.unwrap_or_default(),
            people: self.people,
            risk: self.risk,
            reported,
            informed,
            justification,
            measures,
            closed: self.closed,
        })
    }
}

/// The supervisory authority's deadline for a breach found at `found` (Unix seconds).
pub fn deadline(found: i64) -> i64 {
    found + DEADLINE_HOURS * 3600
}

/// Whole hours left to report a breach at `now`: none when no report is due (the risk
/// is unlikely, it was reported, or it is closed); negative once the deadline passed.
pub fn hours_left(found: i64, risk: BreachRisk, reported: Option<i64>, closed: bool, now: i64) -> Option<i64> {
    (risk != BreachRisk::Unlikely && reported.is_none() && !closed).then(|| (deadline(found) - now).div_euclid(3600))
}

/// A breach of the register, as its pages show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Breach {
    pub id: Uuid,
    /// Its number in the partnership's register, from 1.
    pub number: i64,
    /// What the form edits, times as the form writes them.
    pub input: BreachInput,
    /// The deadline to report it (Warsaw time, `dd.mm.rrrr HH:MM`).
    pub deadline: String,
    /// See [`hours_left`].
    pub hours_left: Option<i64>,
    pub recorded_by: String,
    pub recorded_at: String,
    pub updated_by: String,
    pub updated_at: String,
    /// Guards an update: the version the person saw.
    pub version: i64,
}

impl Breach {
    /// The moment `found_at` names, shown the Polish way.
    pub fn found_label(&self) -> String {
        parse_warsaw_minute(&self.input.found_at).map(format_timestamp_warsaw).unwrap_or_default()
    }

    /// Where the entry stands, as the register's row and the dashboard say it, and
    /// whether a report is still due.
    pub fn standing(&self, lang: Lang) -> (String, bool) {
        let at = |s: &str| parse_warsaw_minute(s).map(format_timestamp_warsaw).unwrap_or_default();
        match self.hours_left {
            _ if self.input.closed => (t(lang, "breaches.closed").to_string(), false),
            Some(h) => {
                let (key, n) = if h >= 0 { ("breaches.hours_left", h) } else { ("breaches.overdue", -h) };
                (format!("{} ({} {})", t(lang, key).replace("{n}", &n.to_string()), t(lang, "breaches.deadline"), self.deadline), true)
            }
            None if !self.input.reported_at.is_empty() => (format!("{} {}", t(lang, "breaches.reported"), at(&self.input.reported_at)), false),
            None => (t(lang, "breaches.no_report_needed").to_string(), false),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::warsaw_minute;

    const NOW: i64 = 1_780_000_000; // 2026-05-28, summer time

    fn input() -> BreachInput {
        BreachInput {
            found_at: warsaw_minute(NOW - 3600),
            what_happened: "Zgubiony pendrive z listą uczestników".into(),
            data: "Imiona, nazwiska i adresy 12 klientów".into(),
            people: 12,
            risk: BreachRisk::Risk,
            ..Default::default()
        }
    }

    #[test]
    fn a_new_breach_needs_when_what_and_whose_data() {
        assert!(input().validate(Lang::Pl, NOW).is_ok());
        let empty = BreachInput::default().validate(Lang::En, NOW).expect_err("refused");
        let fields: Vec<_> = empty.iter().map(|f| f.pointer.as_str()).collect();
        assert_eq!(fields, ["/found_at", "/what_happened", "/data"]);
        let mut later = input();
        later.found_at = warsaw_minute(NOW + 3600);
        assert_eq!(later.validate(Lang::En, NOW).expect_err("future")[0].code, "future");
        later.found_at = "wczoraj".into();
        assert_eq!(later.validate(Lang::En, NOW).expect_err("not a time")[0].code, "datetime");
    }

    #[test]
    fn closing_asks_for_each_duty_met_or_its_reason() {
        let mut b = input();
        b.closed = true;
        b.people = 0;
        let codes: Vec<_> = b.validate(Lang::En, NOW).expect_err("refused").into_iter().map(|f| (f.pointer, f.code)).collect();
        assert_eq!(codes, [("/people".into(), "to_close".into()), ("/measures".into(), "to_close".into()), ("/reported_at".into(), "to_close".into())]);
        b.people = 12;
        b.measures = "Hasła zmienione, osoby zawiadomione".into();
        b.reported_at = warsaw_minute(NOW - 600);
        assert!(b.validate(Lang::En, NOW).is_ok());
        b.risk = BreachRisk::High;
        assert_eq!(b.validate(Lang::En, NOW).expect_err("art. 34")[0].pointer, "/informed_at");
        // Art. 34(3): not telling the people, with the reason recorded.
        let mut untold = b.clone();
        untold.justification = "Dane były zaszyfrowane, klucz nie wyciekł".into();
        assert!(untold.validate(Lang::En, NOW).is_ok());
        // An unlikely risk reported all the same needs no reason for not reporting.
        b.risk = BreachRisk::Unlikely;
        assert!(b.validate(Lang::En, NOW).is_ok());
        b.reported_at.clear();
        assert_eq!(b.validate(Lang::En, NOW).expect_err("why not reported")[0].pointer, "/justification");
        b.justification = "Dane zaszyfrowane, klucz bezpieczny".into();
        assert!(b.validate(Lang::En, NOW).is_ok());
    }

    #[test]
    fn a_late_report_gives_its_reasons_and_nothing_precedes_the_finding() {
        let mut b = input();
        b.found_at = warsaw_minute(NOW - 80 * 3600);
        b.reported_at = warsaw_minute(NOW - 60);
        assert_eq!(b.validate(Lang::En, NOW).expect_err("late")[0].code, "late");
        b.justification = "Ustalenie zakresu trwało dłużej".into();
        assert!(b.validate(Lang::En, NOW).is_ok());
        b.reported_at = warsaw_minute(NOW - 81 * 3600);
        assert_eq!(b.validate(Lang::En, NOW).expect_err("before")[0].code, "before_found");
    }

    #[test]
    fn hours_left_count_down_to_the_deadline_and_past_it() {
        let found = NOW - 3600;
        assert_eq!(hours_left(found, BreachRisk::Risk, None, false, NOW), Some(71));
        assert_eq!(hours_left(found, BreachRisk::Risk, None, false, NOW + 72 * 3600), Some(-1));
        assert_eq!(hours_left(found, BreachRisk::Risk, Some(NOW), false, NOW), None);
        assert_eq!(hours_left(found, BreachRisk::Unlikely, None, false, NOW), None);
        assert_eq!(hours_left(found, BreachRisk::High, None, true, NOW), None);
    }
}
