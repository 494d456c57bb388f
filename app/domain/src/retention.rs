//! How long a client's file is kept (issue 20), and what is left of it after.
//!
//! Every member organisation's file plan gives client files a category (`B5`, `B10`,
//! `BE10`, `B25`…: years counted from 1 January of the year after the case closed;
//! `A` is kept for ever), and an EU-funded project's agreement fixes a date until which
//! its documents are archived. A file may be disposed of once every rule that applies
//! has passed: the latest date wins, and a member without a recorded category holds it.
//!
//! Disposal anonymises: what the monthly reports, the ROPS indicators and the dashboard
//! count stays (sex, the month of birth, labour-market situation, features, periods of
//! support, services delivered, effects reached, their dates and codes); everything
//! that names, describes or can reach the person goes. [`anonymised_client`] and
//! [`anonymised_document`] decide it, for the server and its tests alike.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Date, Month as CalMonth};
use uuid::Uuid;

use crate::docs::DocType;
use crate::validation::{parse_iso_date, FieldError};
use crate::Lang;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The longest period a category may name: no file plan keeps client files longer
/// than a century except as category A.
const MAX_YEARS: u16 = 100;

/// A file-plan category (kategoria archiwalna) as the organisation's file plan gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    /// Materials kept for ever and handed to a state archive: never disposed of here.
    Archival,
    /// `B{n}` or `BE{n}`: destroyed after `n` years (`BE` after the state archive's
    /// expert review, which the register's protocol is for).
    Years { years: u16, review: bool },
}

impl Category {
    /// Reads `A`, `B5`, `BE10`… (spaces and case ignored).
    pub fn parse(text: &str) -> Option<Category> {
        let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
        if t == "A" {
            return Some(Category::Archival);
        }
        let (review, digits) = match t.strip_prefix("BE") {
            Some(rest) => (true, rest),
            None => (false, t.strip_prefix('B')?),
        };
        if digits.is_empty() || digits.len() > 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let years: u16 = digits.parse().ok()?;
        (1..=MAX_YEARS).contains(&years).then_some(Category::Years { years, review })
    }

    /// The category as written in the file plan.
    pub fn code(self) -> String {
        match self {
            Category::Archival => "A".into(),
            Category::Years { years, review: true } => format!("BE{years}"),
            Category::Years { years, review: false } => format!("B{years}"),
        }
    }

    /// The first day a file closed on `closed` may go: the years count from 1 January
    /// of the following year. `None` for category A.
    pub fn disposable_from(self, closed: Date) -> Option<Date> {
        match self {
            Category::Archival => None,
            Category::Years { years, .. } => Date::from_calendar_date(closed.year() + 1 + i32::from(years), CalMonth::January, 1).ok(),
        }
    }
}

/// A category typed into an organisation's form: empty (not recorded yet) or valid.
pub fn check_category(lang: Lang, field: &str, text: &str) -> Result<String, FieldError> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    Category::parse(text).map(Category::code).ok_or_else(|| FieldError {
        pointer: format!("/{field}"),
        code: "category".into(),
        message: lang.pick(
            "Kategoria archiwalna z jednolitego rzeczowego wykazu akt: A, B i liczba lat (np. B10) albo BE i liczba lat (np. BE10).",
            "The file plan's archival category: A, B and a number of years (e.g. B10) or BE and a number of years (e.g. BE10).",
        )
        .into(),
    })
}

/// One rule that applies to a client's file, and when it lets the file go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RuleDate {
    /// `organisation` or `project`.
    pub kind: String,
    /// The organisation's name, or the partnership's for its project.
    pub source: String,
    /// The category (`B10`) or the project's archive date.
    pub rule: String,
    /// From this day the rule lets the file go; empty when it never does or is not known.
    pub from: String,
}

/// Why a client's file may or may not go, on a given day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub rules: Vec<RuleDate>,
    /// The latest of the rules' dates, when every rule has one.
    pub due_on: Option<Date>,
    pub due: bool,
}

/// The rules for one client's file: each member organisation's category (its name and
/// the category as recorded, possibly empty) and the project's archive date, if any.
pub fn verdict(closed: Date, organisations: &[(String, String)], project: Option<(&str, Date)>, today: Date) -> Verdict {
    let mut rules = Vec::new();
    let mut latest: Option<Date> = None;
    let mut open = false;
    for (name, code) in organisations {
        let from = Category::parse(code).and_then(|c| c.disposable_from(closed));
        match from {
            Some(d) => latest = latest.max(Some(d)),
            None => open = true,
        }
        rules.push(RuleDate { kind: "organisation".into(), source: name.clone(), rule: code.clone(), from: from.map(|d| d.to_string()).unwrap_or_default() });
    }
    if let Some((name, until)) = project {
        // The archive date is the last day documents must be kept: the file may go the day after.
        let from = until.next_day().unwrap_or(until);
        latest = latest.max(Some(from));
        rules.push(RuleDate { kind: "project".into(), source: name.to_string(), rule: until.to_string(), from: from.to_string() });
    }
    let due_on = if open || rules.is_empty() { None } else { latest };
    Verdict { due: due_on.is_some_and(|d| d <= today), due_on, rules }
}

/// A client on the disposal list: who (the list is for the people who decide), since
/// when the case is closed and why the file may (or may not yet) go.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DueClient {
    pub client_id: Uuid,
    pub name: String,
    pub kind: String,
    pub registered: String,
    pub closed_on: String,
    /// The day every rule has passed; empty while a rule has no date.
    pub due_on: String,
    pub rules: Vec<RuleDate>,
}

/// The partnership's retention rules and its closed clients, due and not yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DisposalList {
    pub partnership_id: Uuid,
    pub partnership: String,
    pub today: String,
    /// The project's archive date (ISO), empty when none is recorded.
    pub archive_until: String,
    /// Each member organisation and its category (empty: not recorded).
    pub organisations: Vec<RuleDate>,
    pub due: Vec<DueClient>,
    pub later: Vec<DueClient>,
}

/// The project's archive date as the coordinator records it; empty removes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchiveDate {
    pub archive_until: String,
}

impl ArchiveDate {
    pub fn validate(&self, lang: Lang) -> Result<Option<Date>, Vec<FieldError>> {
        let t = self.archive_until.trim();
        if t.is_empty() {
            return Ok(None);
        }
        parse_iso_date(t).map(Some).ok_or_else(|| {
            vec![FieldError {
                pointer: "/archive_until".into(),
                code: "date".into(),
                message: lang.pick("Data w formacie RRRR-MM-DD.", "A date as YYYY-MM-DD.").into(),
            }]
        })
    }
}

pub const JUSTIFICATION_MIN: usize = 10;
pub const JUSTIFICATION_MAX: usize = 2000;
/// At most this many files in one decision: a bulk approval is still read by a person.
pub const MAX_PER_DECISION: usize = 500;

/// A person's approval of disposal: the files, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisposalRequest {
    pub client_ids: Vec<Uuid>,
    pub justification: String,
}

impl DisposalRequest {
    pub fn validate(&self, lang: Lang) -> Result<(Vec<Uuid>, String), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut ids = self.client_ids.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() || ids.len() > MAX_PER_DECISION {
            errors.push(FieldError {
                pointer: "/client_ids".into(),
                code: "count".into(),
                message: lang.pick(format!("Zaznacz od 1 do {MAX_PER_DECISION} klientów."), format!("Select 1 to {MAX_PER_DECISION} clients.")),
            });
        }
        let text = self.justification.trim();
        let n = text.chars().count();
        if !(JUSTIFICATION_MIN..=JUSTIFICATION_MAX).contains(&n) {
            errors.push(FieldError {
                pointer: "/justification".into(),
                code: "length".into(),
                message: lang.pick(
                    format!("Uzasadnienie ma od {JUSTIFICATION_MIN} do {JUSTIFICATION_MAX} znaków."),
                    format!("The justification has {JUSTIFICATION_MIN} to {JUSTIFICATION_MAX} characters."),
                ),
            });
        }
        if errors.is_empty() {
            Ok((ids, text.to_string()))
        } else {
            Err(errors)
        }
    }
}

/// One line of the disposal register: what went, when, on which rules, approved by whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DisposalEntry {
    pub no: i64,
    pub client_id: Uuid,
    /// `person`, `group` or `institution`.
    pub kind: String,
    pub registered: String,
    pub closed_on: String,
    pub due_on: String,
    pub rules: Vec<RuleDate>,
    pub justification: String,
    pub approved_by: String,
    pub disposed_at: String,
}

/// The register of a partnership, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DisposalRegister {
    pub partnership_id: Uuid,
    pub partnership: String,
    pub entries: Vec<DisposalEntry>,
}

/// The answer to an approval: how many files went.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Disposed {
    pub disposed: Vec<Uuid>,
}

/// The birth date kept after disposal: its year and month. A report's age is counted
/// on a month's last day, which every day of the birth month reaches, so past and
/// future reports give the same ages; 29 February stays, as 28 February would not.
pub fn coarse_birth_date(iso: &str) -> String {
    match parse_iso_date(iso) {
        Some(d) if d.month() == CalMonth::February && d.day() == 29 => d.to_string(),
        Some(d) => Date::from_calendar_date(d.year(), d.month(), 1).map(|d| d.to_string()).unwrap_or_default(),
        None => String::new(),
    }
}

/// The name an anonymised client is shown by.
pub const ANONYMISED_NAME: &str = "[zanonimizowano]";

fn keep(data: &Value, keys: &[&str]) -> Map<String, Value> {
    keys.iter().filter_map(|k| data.get(*k).map(|v| ((*k).to_string(), v.clone()))).collect()
}

fn keep_rows(data: &Value, key: &str, fields: &[&str]) -> Value {
    Value::Array(data.get(key).and_then(Value::as_array).map(|rows| rows.iter().map(|r| Value::Object(keep(r, fields))).collect()).unwrap_or_default())
}

/// A client record after disposal: the kind, form of work, sex and month of birth.
pub fn anonymised_client(data: &Value) -> Value {
    let mut out = keep(data, &["partnership_id", "kind", "work_form", "sex"]);
    out.insert("birth_date".into(), Value::String(coarse_birth_date(data.get("birth_date").and_then(Value::as_str).unwrap_or_default())));
    Value::Object(out)
}

/// A case document after disposal: what the reports and indicators count, or `None`
/// when nothing of it is counted and it goes whole (IPD, contract, diagnosis…).
pub fn anonymised_document(doc_type: DocType, data: &Value) -> Option<Value> {
    let mut out = keep(data, &["client_id"]);
    match doc_type {
        DocType::Support => {
            out.extend(keep(data, &["labour", "features"]));
            out.insert("periods".into(), keep_rows(data, "periods", &["id", "from", "to", "reason", "situation"]));
        }
        DocType::Services => {
            out.insert("rows".into(), keep_rows(data, "rows", &["id", "date", "service", "scope", "partner", "finished"]));
        }
        DocType::Effects => {
            out.extend(keep(data, &["employment_date"]));
            out.insert("rows".into(), keep_rows(data, "rows", &["id", "indicator", "date"]));
        }
        DocType::Assessment => {
            out.extend(keep(data, &["status", "disability"]));
        }
        _ => return None,
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::date;

    #[test]
    fn categories_read_as_the_file_plan_writes_them() {
        assert_eq!(Category::parse("B10"), Some(Category::Years { years: 10, review: false }));
        assert_eq!(Category::parse(" be 10 "), Some(Category::Years { years: 10, review: true }));
        assert_eq!(Category::parse("a"), Some(Category::Archival));
        for bad in ["", "B", "B0", "C5", "B101", "B1a", "BE", "Bc"] {
            assert_eq!(Category::parse(bad), None, "{bad}");
        }
        assert_eq!(Category::parse("be25").map(Category::code).as_deref(), Some("BE25"));
    }

    #[test]
    fn years_count_from_the_first_of_january_after_the_case_closed() {
        let b5 = Category::Years { years: 5, review: false };
        assert_eq!(b5.disposable_from(date!(2026 - 05 - 10)), Some(date!(2032 - 01 - 01)));
        assert_eq!(b5.disposable_from(date!(2026 - 12 - 31)), Some(date!(2032 - 01 - 01)));
        assert_eq!(Category::Archival.disposable_from(date!(2026 - 05 - 10)), None);
    }

    #[test]
    fn the_latest_rule_wins_and_a_missing_one_holds_the_file() {
        let orgs = vec![("MOPS".to_string(), "B5".to_string()), ("PUP".to_string(), "B10".to_string())];
        let v = verdict(date!(2026 - 05 - 10), &orgs, Some(("Razem", date!(2030 - 12 - 31))), date!(2037 - 01 - 01));
        assert_eq!(v.due_on, Some(date!(2037 - 01 - 01)));
        assert!(v.due);
        assert!(!verdict(date!(2026 - 05 - 10), &orgs, None, date!(2036 - 12 - 31)).due);
        // The project's archive date later than every category.
        let late = verdict(date!(2026 - 05 - 10), &orgs, Some(("Razem", date!(2040 - 06 - 30))), date!(2039 - 01 - 01));
        assert_eq!((late.due, late.due_on), (false, Some(date!(2040 - 07 - 01))));
        let unknown = vec![("MOPS".to_string(), "B5".to_string()), ("NGO".to_string(), String::new())];
        let held = verdict(date!(2020 - 01 - 01), &unknown, None, date!(2090 - 01 - 01));
        assert_eq!((held.due, held.due_on), (false, None));
        let archival = vec![("MOPS".to_string(), "A".to_string())];
        assert!(!verdict(date!(2020 - 01 - 01), &archival, None, date!(2090 - 01 - 01)).due);
        assert!(!verdict(date!(2020 - 01 - 01), &[], None, date!(2090 - 01 - 01)).due);
    }

    #[test]
    fn the_month_of_birth_gives_every_report_the_same_age() {
        assert_eq!(coarse_birth_date("1990-10-31"), "1990-10-01");
        assert_eq!(coarse_birth_date("2000-02-29"), "2000-02-29");
        assert_eq!(coarse_birth_date(""), "");
    }

    #[test]
    fn a_disposed_record_keeps_what_is_counted_and_nothing_that_names() {
        let client = json!({"partnership_id": "p", "kind": "person", "work_form": "individual", "surname": "Kowalska",
            "first_names": "Anna", "pesel": "90103112345", "birth_date": "1990-10-31", "sex": "female", "phone": "600100200",
            "street_address": "Długa 1", "city": "Kraków", "id_document_number": "ABC123456"});
        let a = anonymised_client(&client);
        let text = a.to_string();
        for gone in ["Kowalska", "Anna", "90103112345", "600100200", "Długa", "Kraków", "ABC123456", "1990-10-31"] {
            assert!(!text.contains(gone), "{gone} in {text}");
        }
        assert_eq!((a["sex"].as_str(), a["birth_date"].as_str()), (Some("female"), Some("1990-10-01")));

        let support = json!({"client_id": "c", "labour": "unemployed", "features": ["rural"], "other_features": "Anna z Długiej",
            "periods": [{"id": "1", "from": "2026-01-01", "to": "2026-05-10", "reason": "goal", "reason_text": "Pani Anna", "situation": "employed"}]});
        let s = anonymised_document(DocType::Support, &support).expect("kept");
        assert!(!s.to_string().contains("Anna"));
        assert_eq!(s["periods"][0]["to"], "2026-05-10");
        let services = json!({"rows": [{"id": "1", "date": "2026-02-01", "service": "job_club", "scope": "4 h", "finished": true, "remarks": "Anna płakała"}]});
        let v = anonymised_document(DocType::Services, &services).expect("kept");
        assert!(!v.to_string().contains("Anna") && v["rows"][0]["finished"] == true);
        let effects = json!({"rows": [{"id": "1", "indicator": "employment", "date": "2026-04-01", "evidence": "umowa z Kowalską", "remarks": "x"}]});
        assert!(!anonymised_document(DocType::Effects, &effects).expect("kept").to_string().contains("Kowalsk"));
        assert_eq!(anonymised_document(DocType::Ipd, &json!({"goal": "Anna"})), None);
    }
}
