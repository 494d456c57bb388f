//! The case documents a key consultant writes with a client: the needs and
//! competence assessment (tool 4), the individual action plan (IPD, tools 5–6), the
//! social contract (tool 7), the services delivered, the indicators of effect and
//! the OWES individual support path. Each is a typed definition with one
//! validation, run by the browser before a change leaves the device and by the
//! server before it is stored.
//!
//! A document is a draft until the consultant marks it final (signed on paper):
//! the structural rules (dates, ranges, ratings, lengths, known options) hold for
//! every draft, so a half-written plan still syncs; the form's required fields are
//! enforced once it is final.

pub mod assessment;
pub mod contract;
pub mod effects;
pub mod field_labels;
pub mod ipd;
pub mod kind;
pub mod labels;
pub mod path;
pub mod services;
pub mod support;

pub use kind::{doc_id_for, empty_doc as empty, validate, CaseDocument, DocType};

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::lang::Lang;
use crate::org::{string_enum, OrgType};
use crate::validation::{parse_iso_date, Errors, FieldError};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// A short answer (a name, a course, a position).
pub const SHORT: usize = 300;
/// A described answer (causes, resources, barriers).
pub const LONG: usize = 5_000;
/// Rows one table may hold.
pub const MAX_ROWS: usize = 300;

string_enum! {
    /// Draft while it is being written; final once signed on paper.
    DocStatus { Draft = "draft", Final = "final" }
}

// string_enum! takes no per-variant attributes, so `#[default]` cannot be derived.
#[allow(clippy::derivable_impls)]
impl Default for DocStatus {
    fn default() -> Self {
        DocStatus::Draft
    }
}

/// One member organisation of a partnership, as documents refer to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Partner {
    pub organisation_id: Uuid,
    pub name: String,
    pub org_type: OrgType,
}

/// A service a partnership added to the catalogue of support forms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CustomService {
    pub code: String,
    pub name: String,
}

/// What a document is checked against besides itself: the day, and the
/// partnership it belongs to (its partners and its own services).
#[derive(Debug, Clone, Copy)]
pub struct DocContext<'a> {
    pub today: Date,
    pub partners: &'a [Partner],
    pub custom_services: &'a [CustomService],
}

impl DocContext<'_> {
    pub fn has(&self, t: OrgType) -> bool {
        self.partners.iter().any(|p| p.org_type == t)
    }
}

/// A stored case document as the server sends it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DocRecord {
    pub id: Uuid,
    pub doc_type: DocType,
    pub client_id: Uuid,
    pub partnership_id: Uuid,
    pub version: i64,
    pub updated_at: String,
    pub updated_by: String,
    pub data: Value,
}

pub(crate) fn malformed(lang: Lang, e: impl std::fmt::Display) -> Vec<FieldError> {
    vec![FieldError {
        pointer: String::new(),
        code: "malformed".into(),
        message: match lang {
            Lang::Pl => format!("Dokument ma niepoprawną budowę: {e}"),
            Lang::En => format!("The document is malformed: {e}"),
        },
    }]
}

/// Reads a JSON document as `T`, runs its rules, and returns it normalised (unknown
/// fields dropped, missing ones empty). Every document, case or partnership, is
/// validated through it.
pub(crate) fn run<T: serde::de::DeserializeOwned + Serialize>(
    doc: &Value,
    lang: Lang,
    check: impl FnOnce(&T, &mut Check),
) -> Result<Value, Vec<FieldError>> {
    let typed: T = serde_json::from_value(doc.clone()).map_err(|e| malformed(lang, e))?;
    let mut c = Check::new(lang);
    check(&typed, &mut c);
    c.errors.into_result(|| ())?;
    serde_json::to_value(&typed).map_err(|e| malformed(lang, e))
}

/// The client a case document belongs to, as written in it.
pub fn client_of(doc: &Value) -> Option<Uuid> {
    doc.get("client_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
}

/// A row of a table: every row carries an id of its own so that two devices editing
/// the same table merge row by row.
pub trait Row {
    fn row_id(&self) -> &str;
}

/// The rules every document shares, with their messages in both languages.
/// Pointers are JSON Pointers without the leading slash; rows are addressed by id.
pub struct Check {
    pub errors: Errors,
}

impl Check {
    pub fn new(lang: Lang) -> Check {
        Check { errors: Errors::new(lang) }
    }

    fn lang(&self) -> Lang {
        self.errors.lang()
    }

    fn say(&mut self, field: &str, code: &str, pl: String, en: String) {
        let msg = match self.lang() {
            Lang::Pl => pl,
            Lang::En => en,
        };
        self.errors.add(field, code, msg);
    }

    /// A text within `max` characters; required when `required`.
    pub fn text(&mut self, field: &str, value: &str, max: usize, required: bool) {
        if required {
            self.errors.text(field, value, max);
        } else {
            self.errors.optional_text(field, value, max);
        }
    }

    /// A date field: empty, or a real date. Required when `required`.
    pub fn date(&mut self, field: &str, value: &str, required: bool) -> Option<Date> {
        if value.trim().is_empty() {
            if required {
                self.errors.required(field);
            }
            return None;
        }
        let d = parse_iso_date(value);
        if d.is_none() {
            self.say(field, "date", "Nieprawidłowa data (dd.mm.rrrr, od 1900 do 2100 roku).".into(), "Not a valid date (dd.mm.yyyy, from 1900 to 2100).".into());
        }
        d
    }

    /// A date that may not lie before the document's own date.
    pub fn not_before_document(&mut self, field: &str, d: Option<Date>, document: Option<Date>) {
        if let (Some(d), Some(doc)) = (d, document) {
            if d < doc {
                self.say(
                    field,
                    "before_document",
                    format!("Termin {} jest wcześniejszy niż data dokumentu ({}).", fmt(d), fmt(doc)),
                    format!("The date {} is before the document's date ({}).", fmt(d), fmt(doc)),
                );
            }
        }
    }

    /// A date that has not happened yet cannot have been reached or delivered.
    pub fn not_future(&mut self, field: &str, d: Option<Date>, today: Date) {
        if let Some(d) = d {
            if d > today {
                self.say(
                    field,
                    "future",
                    format!("Data {} jeszcze nie nadeszła.", fmt(d)),
                    format!("The date {} is in the future.", fmt(d)),
                );
            }
        }
    }

    /// `to` may not be before `from`; the error sits on `to`.
    pub fn range(&mut self, to_field: &str, from: Option<Date>, to: Option<Date>) {
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                self.say(
                    to_field,
                    "range",
                    format!("Data „do” ({}) jest wcześniejsza niż data „od” ({}).", fmt(t), fmt(f)),
                    format!("The \"to\" date ({}) is before the \"from\" date ({}).", fmt(t), fmt(f)),
                );
            }
        }
    }

    /// A rating on the form's scale of 1 to 10.
    pub fn rating(&mut self, field: &str, value: Option<i64>, required: bool) {
        match value {
            None if required => self.say(field, "required", "Wybierz ocenę od 1 do 10.".into(), "Choose a rating from 1 to 10.".into()),
            Some(v) if !(1..=10).contains(&v) => self.say(
                field,
                "rating",
                format!("Ocena musi być liczbą od 1 do 10 (jest {v})."),
                format!("A rating must be from 1 to 10 (got {v})."),
            ),
            _ => {}
        }
    }

    /// One of the form's options, or empty.
    pub fn choice(&mut self, field: &str, value: &str, allowed: &[&str], required: bool) {
        if value.is_empty() {
            if required {
                self.say(field, "required", "Wybierz jedną z możliwości.".into(), "Choose one of the options.".into());
            }
        } else if !allowed.contains(&value) {
            self.say(field, "unknown_option", format!("Nieznana wartość „{value}”."), format!("Unknown value \"{value}\"."));
        }
    }

    /// A table: within the row limit, every row with a unique, non-empty id.
    pub fn rows<R: Row>(&mut self, field: &str, rows: &[R]) {
        if rows.len() > MAX_ROWS {
            self.say(
                field,
                "too_many_rows",
                format!("Tabela może mieć najwyżej {MAX_ROWS} wierszy."),
                format!("A table may have at most {MAX_ROWS} rows."),
            );
        }
        let mut seen: Vec<&str> = Vec::with_capacity(rows.len());
        for r in rows {
            let id = r.row_id();
            if id.is_empty() || id.len() > 64 || seen.contains(&id) {
                self.say(field, "row_id", "Wiersz tabeli bez własnego identyfikatora.".into(), "A table row without an id of its own.".into());
                return;
            }
            seen.push(id);
        }
    }

    pub fn add(&mut self, field: &str, code: &str, pl: String, en: String) {
        self.say(field, code, pl, en);
    }
}

fn fmt(d: Date) -> String {
    crate::validation::format_date(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_document_of_each_kind_per_client_with_a_stable_id() {
        let client = Uuid::now_v7();
        let ipd = doc_id_for(client, DocType::Ipd);
        assert_eq!(ipd, doc_id_for(client, DocType::Ipd));
        assert_ne!(ipd, doc_id_for(client, DocType::Contract));
        assert_ne!(ipd, doc_id_for(Uuid::now_v7(), DocType::Ipd));
        assert_eq!(doc_id_for(client, DocType::Client), client);
    }

    #[test]
    fn an_empty_document_of_every_kind_is_a_valid_draft() {
        let client = Uuid::now_v7();
        let ctx = DocContext { today: time::macros::date!(2026 - 11 - 23), partners: &[], custom_services: &[] };
        for t in DocType::CASE_DOCS {
            let doc = empty(*t, client);
            assert_eq!(client_of(&doc), Some(client));
            assert!(validate(*t, &doc, Lang::Pl, &ctx).is_ok(), "{t:?}");
        }
    }

    #[test]
    fn every_option_of_every_document_has_a_label_in_both_languages() {
        let keys = assessment::SKILLS.iter().map(|k| format!("as.skill.{k}"))
            .chain(assessment::DISABILITY.iter().map(|k| format!("as.disability.{k}")))
            .chain(assessment::EDUCATION.iter().map(|k| format!("as.education.{k}")))
            .chain(ipd::OWNERS.iter().map(|k| format!("owner.{k}")))
            .chain(ipd::SOCIAL_TABLES.iter().map(|(k, _)| format!("ipd.table.social.{k}")))
            .chain(ipd::VOCATIONAL_TABLES.iter().map(|(k, _)| format!("ipd.table.vocational.{k}")))
            .chain(services::CATALOGUE.iter().map(|k| format!("service.{k}")))
            .chain(effects::INDICATORS.iter().map(|k| format!("effect.{k}")))
            .chain(path::DIRECTIONS.iter().map(|k| format!("direction.{k}")))
            .chain(path::STEPS.iter().map(|k| format!("step.{k}")))
            .chain(support::LABOUR.iter().map(|k| format!("support.labour.{k}")))
            .chain(support::FEATURES.iter().map(|k| format!("support.feature.{k}")))
            .chain(support::REASONS.iter().map(|k| format!("support.reason.{k}")))
            .chain(DocType::CASE_DOCS.iter().map(|t| format!("doc.{}", t.as_str())));
        for k in keys {
            assert!(labels::STRINGS.iter().any(|(key, _, _)| *key == k), "no label for {k}");
        }
    }

    #[test]
    fn a_malformed_document_is_a_field_error_not_a_panic() {
        let ctx = DocContext { today: time::macros::date!(2026 - 11 - 23), partners: &[], custom_services: &[] };
        for t in DocType::CASE_DOCS {
            let e = validate(*t, &serde_json::json!({"client_id": 5}), Lang::En, &ctx).unwrap_err();
            assert_eq!(e[0].code, "malformed");
            assert!(validate(*t, &serde_json::json!([1, 2]), Lang::Pl, &ctx).is_err());
        }
    }
}
