//! The client registry: a person, or at an OWES also a group, an organisation or an
//! institution. `ClientInput` is what a form sends; `ClientInput::validate` is the one
//! validation both the browser and the server run.

use serde::{Deserialize, Serialize};
use time::Date;
use uuid::Uuid;

use crate::lang::Lang;
use crate::ident::{Krs, Pesel, PostalCode, Regon, Sex};
use crate::org::string_enum;
use crate::validation::{format_date, parse_iso_date, Errors, FieldError};

pub const MAX_NAME: usize = 100;
pub const MAX_TEXT: usize = 300;

string_enum! {
    ClientKind { Person = "person", Group = "group", Organisation = "organisation", Institution = "institution" }
}
string_enum! {
    WorkForm { Individual = "individual", Group = "group", ESupport = "e_support" }
}
string_enum! {
    IdDocumentType { IdCard = "id_card", Passport = "passport", ResidenceCard = "residence_card", Other = "other" }
}

impl ClientKind {
    pub fn is_person(self) -> bool {
        self == ClientKind::Person
    }
}

/// A client as a form submits it. Text fields are plain strings (empty = not given) so
/// that every mistake becomes a field error rather than a parse failure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientInput {
    pub partnership_id: Uuid,
    pub kind: ClientKind,
    pub work_form: WorkForm,
    #[serde(default)]
    pub key_consultant_id: Option<Uuid>,
    /// Needed only to assign a consultant who already leads 15 clients; kept and shown.
    #[serde(default)]
    pub caseload_override_reason: String,
    #[serde(default)]
    pub surname: String,
    #[serde(default)]
    pub first_names: String,
    #[serde(default)]
    pub pesel: String,
    #[serde(default)]
    pub id_document_type: String,
    #[serde(default)]
    pub id_document_number: String,
    /// ISO date; derived from the PESEL when there is one, and checked against it when typed.
    #[serde(default)]
    pub birth_date: String,
    /// `female` or `male`; derived from the PESEL when there is one.
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub entity_type: String,
    #[serde(default)]
    pub krs: String,
    #[serde(default)]
    pub regon: String,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub street_address: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub phone: String,
    /// The legal basis of processing (GDPR art. 6 and 9): `statute` (the social
    /// assistance or labour-market act), `agreement` (the project's funding agreement)
    /// or `consent`. An older payload with only `consent: true` means consent.
    #[serde(default)]
    pub legal_basis: String,
    /// When the information clause (art. 13) was given to the person, and by whom.
    #[serde(default)]
    pub information_date: String,
    #[serde(default)]
    pub information_by: String,
    /// Set from the legal basis: whether it is consent.
    #[serde(default)]
    pub consent: bool,
    #[serde(default)]
    pub consent_date: String,
    /// Where consent is the basis: what the person consented to, and when they
    /// withdrew it, if they did.
    #[serde(default)]
    pub consent_scope: String,
    #[serde(default)]
    pub consent_withdrawn: String,
}

/// The legal bases of processing a client's data, as stored.
pub const LEGAL_BASES: [&str; 3] = ["statute", "agreement", "consent"];

/// The scope of consent the form offers, and what an API payload without one gets.
pub const DEFAULT_CONSENT_SCOPE: &str =
    "Przetwarzanie moich danych osobowych, w tym danych o stanie zdrowia i niepełnosprawności, w celu udziału w usługach partnerstwa: rekrutacji, wsparcia, monitorowania i sprawozdawczości.";


impl ClientInput {
    pub fn empty(partnership_id: Uuid) -> ClientInput {
        ClientInput {
            partnership_id,
            kind: ClientKind::Person,
            work_form: WorkForm::Individual,
            key_consultant_id: None,
            caseload_override_reason: String::new(),
            surname: String::new(),
            first_names: String::new(),
            pesel: String::new(),
            id_document_type: String::new(),
            id_document_number: String::new(),
            birth_date: String::new(),
            sex: String::new(),
            name: String::new(),
            entity_type: String::new(),
            krs: String::new(),
            regon: String::new(),
            contact_person: String::new(),
            street_address: String::new(),
            postal_code: String::new(),
            city: String::new(),
            phone: String::new(),
            legal_basis: String::new(),
            information_date: String::new(),
            information_by: String::new(),
            consent: false,
            consent_date: String::new(),
            consent_scope: String::new(),
            consent_withdrawn: String::new(),
        }
    }

    /// An older payload (only `consent: true`) names nobody as having given the
    /// information clause: `name`, the person who stores it, did.
    pub fn with_informer(mut self, name: &str) -> ClientInput {
        if self.legal_basis.trim().is_empty() && self.consent && self.information_by.trim().is_empty() {
            self.information_by = name.to_string();
        }
        self
    }

    /// Checks every field and returns the normalised client, or every error at once.
    pub fn validate(&self, lang: Lang, today: Date) -> Result<ValidClient, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let mut out = self.clone();
        if self.kind.is_person() {
            self.validate_person(&mut e, &mut out, today);
        } else {
            self.validate_entity(&mut e, &mut out);
        }
        out.street_address = e.optional_line("street_address", &self.street_address, MAX_TEXT).unwrap_or_default();
        out.city = e.optional_line("city", &self.city, MAX_NAME).unwrap_or_default();
        out.caseload_override_reason = e
            .optional_text("caseload_override_reason", &self.caseload_override_reason, crate::caseload::MAX_OVERRIDE_REASON)
            .unwrap_or_default();
        if !self.postal_code.trim().is_empty() {
            match PostalCode::parse(&self.postal_code) {
                Ok(p) => out.postal_code = p.as_str().to_string(),
                Err(err) => e.id("postal_code", &err),
            }
        }
        if !self.phone.trim().is_empty() {
            match normalise_phone(&self.phone) {
                Some(p) => out.phone = p,
                None => e.add("phone", "phone", match lang {
                    Lang::Pl => "Numer telefonu: 9–15 cyfr, dozwolone spacje, myślniki i +.",
                    Lang::En => "Phone number: 9–15 digits; spaces, dashes and + allowed.",
                }),
            }
        }
        e.into_result(|| ValidClient(out))
    }

    fn validate_person(&self, e: &mut Errors, out: &mut ClientInput, today: Date) {
        let lang = e.lang();
        out.surname = e.line("surname", &self.surname, MAX_NAME).unwrap_or_default();
        out.first_names = e.line("first_names", &self.first_names, MAX_NAME).unwrap_or_default();
        out.name.clear();
        out.entity_type.clear();
        out.krs.clear();
        out.regon.clear();
        out.contact_person.clear();

        let typed_birth = self.birth_date.trim();
        let typed_birth_date = if typed_birth.is_empty() {
            None
        } else {
            match parse_iso_date(typed_birth) {
                Some(d) => Some(d),
                None => {
                    e.add("birth_date", "date", match lang {
                        Lang::Pl => "Nieprawidłowa data (dd.mm.rrrr).",
                        Lang::En => "Not a valid date (dd.mm.yyyy).",
                    });
                    None
                }
            }
        };
        let typed_sex = match self.sex.trim() {
            "" => None,
            s => match Sex::parse(s) {
                Some(sex) => Some(sex),
                None => {
                    e.add("sex", "invalid_option", match lang {
                        Lang::Pl => "Wybierz płeć z listy.",
                        Lang::En => "Choose a sex from the list.",
                    });
                    None
                }
            },
        };

        if !self.pesel.trim().is_empty() {
            match Pesel::parse(&self.pesel) {
                Ok(p) => {
                    if let Some(d) = typed_birth_date.filter(|d| *d != p.birth_date()) {
                        e.add("birth_date", "pesel_mismatch", match lang {
                            Lang::Pl => format!("Data urodzenia {} nie zgadza się z PESEL ({}).", format_date(d), format_date(p.birth_date())),
                            Lang::En => format!("Birth date {} does not match the PESEL ({}).", format_date(d), format_date(p.birth_date())),
                        });
                    }
                    if typed_sex.is_some_and(|s| s != p.sex()) {
                        e.add("sex", "pesel_mismatch", match lang {
                            Lang::Pl => "Płeć nie zgadza się z PESEL.",
                            Lang::En => "Sex does not match the PESEL.",
                        });
                    }
                    out.pesel = p.as_str().to_string();
                    out.birth_date = p.birth_date().to_string();
                    out.sex = p.sex().as_str().to_string();
                    out.id_document_type.clear();
                    out.id_document_number.clear();
                }
                Err(err) => e.id("pesel", &err),
            }
        } else {
            // Without a PESEL an identity document identifies the person.
            out.pesel.clear();
            match IdDocumentType::parse(self.id_document_type.trim()) {
                Some(t) => out.id_document_type = t.as_str().to_string(),
                None if self.id_document_type.trim().is_empty() => e.add("pesel", "pesel_or_document", match lang {
                    Lang::Pl => "Podaj PESEL albo rodzaj i numer dokumentu tożsamości.",
                    Lang::En => "Give a PESEL, or the type and number of an identity document.",
                }),
                None => e.add("id_document_type", "invalid_option", match lang {
                    Lang::Pl => "Wybierz rodzaj dokumentu z listy.",
                    Lang::En => "Choose a document type from the list.",
                }),
            }
            if !self.id_document_type.trim().is_empty() {
                out.id_document_number = e.line("id_document_number", &self.id_document_number.to_uppercase(), 30).unwrap_or_default();
            }
            match typed_birth_date {
                Some(d) => out.birth_date = d.to_string(),
                None if typed_birth.is_empty() => e.required("birth_date"),
                None => {}
            }
            match typed_sex {
                Some(s) => out.sex = s.as_str().to_string(),
                None if self.sex.trim().is_empty() => e.required("sex"),
                None => {}
            }
        }
        // Parsed without the plausible range: a PESEL can encode a birth up to 2299,
        // and such a birth is refused as being in the future, not let through.
        let born = time::Date::parse(&out.birth_date, time::macros::format_description!("[year]-[month]-[day]")).ok();
        if let Some(d) = born {
            if d > today {
                e.add("birth_date", "future", match lang {
                    Lang::Pl => "Data urodzenia nie może być w przyszłości.",
                    Lang::En => "The birth date cannot be in the future.",
                });
            }
        }

        self.validate_basis(e, out, today);
    }

    /// The legal basis of processing (GDPR art. 6 and 9) and the information clause
    /// (art. 13): a basis, the day the clause was given and by whom; with consent, its
    /// date, scope and any withdrawal. An older payload that only says `consent: true`
    /// is consent with the clause given on the consent's day, as migrated records are.
    fn validate_basis(&self, e: &mut Errors, out: &mut ClientInput, today: Date) {
        let legacy = self.legal_basis.trim().is_empty() && self.consent;
        let basis = match self.legal_basis.trim() {
            "" if legacy => "consent",
            "" => {
                e.required("legal_basis");
                ""
            }
            b => match LEGAL_BASES.iter().find(|x| **x == b) {
                Some(x) => x,
                None => {
                    e.add("legal_basis", "choice", match e.lang() {
                        Lang::Pl => "Wybierz podstawę prawną z listy.",
                        Lang::En => "Choose a legal basis from the list.",
                    });
                    ""
                }
            },
        };
        out.legal_basis = basis.to_string();
        out.consent = basis == "consent";
        let information = if legacy && self.information_date.trim().is_empty() { &self.consent_date } else { &self.information_date };
        out.information_date = e.past_date("information_date", information, today, true).map(|d| d.to_string()).unwrap_or_default();
        out.information_by = if legacy { e.optional_line("information_by", &self.information_by, MAX_NAME) } else { e.line("information_by", &self.information_by, MAX_NAME) }
            .unwrap_or_default();
        if !out.consent {
            out.consent_date.clear();
            out.consent_scope.clear();
            out.consent_withdrawn.clear();
            return;
        }
        let given = e.past_date("consent_date", &self.consent_date, today, true);
        out.consent_date = given.map(|d| d.to_string()).unwrap_or_default();
        out.consent_scope = match e.optional_text("consent_scope", &self.consent_scope, MAX_TEXT) {
            Some(s) if s.is_empty() => DEFAULT_CONSENT_SCOPE.to_string(),
            other => other.unwrap_or_default(),
        };
        let withdrawn = e.past_date("consent_withdrawn", &self.consent_withdrawn, today, false);
        if let (Some(w), Some(g)) = (withdrawn, given) {
            if w < g {
                e.add("consent_withdrawn", "before_consent", match e.lang() {
                    Lang::Pl => "Zgodę można wycofać dopiero po jej wyrażeniu.",
                    Lang::En => "Consent can be withdrawn only after it was given.",
                });
            }
        }
        out.consent_withdrawn = withdrawn.map(|d| d.to_string()).unwrap_or_default();
    }

    fn validate_entity(&self, e: &mut Errors, out: &mut ClientInput) {
        out.name = e.line("name", &self.name, MAX_TEXT).unwrap_or_default();
        out.entity_type = e.optional_line("entity_type", &self.entity_type, MAX_NAME).unwrap_or_default();
        out.contact_person = e.optional_line("contact_person", &self.contact_person, MAX_NAME).unwrap_or_default();
        if !self.krs.trim().is_empty() {
            match Krs::parse(&self.krs) {
                Ok(k) => out.krs = k.as_str().to_string(),
                Err(err) => e.id("krs", &err),
            }
        }
        if !self.regon.trim().is_empty() {
            match Regon::parse(&self.regon) {
                Ok(r) => out.regon = r.as_str().to_string(),
                Err(err) => e.id("regon", &err),
            }
        }
        for f in [&mut out.surname, &mut out.first_names, &mut out.pesel, &mut out.id_document_type,
                  &mut out.id_document_number, &mut out.birth_date, &mut out.sex, &mut out.consent_date,
                  &mut out.legal_basis, &mut out.information_date, &mut out.information_by, &mut out.consent_scope, &mut out.consent_withdrawn] {
            f.clear();
        }
        out.consent = false;
    }
}

fn normalise_phone(s: &str) -> Option<String> {
    let s = s.trim();
    if !s.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')')) {
        return None;
    }
    let n = s.chars().filter(char::is_ascii_digit).count();
    (9..=15).contains(&n).then(|| s.to_string())
}

/// A client that passed validation: the only thing the server stores.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidClient(ClientInput);

impl ValidClient {
    pub fn get(&self) -> &ClientInput {
        &self.0
    }

    /// The name shown in lists and on the card.
    pub fn display_name(&self) -> String {
        display_name(&self.0.kind, &self.0.surname, &self.0.first_names, &self.0.name)
    }

    pub fn sort_key(&self) -> String {
        let c = &self.0;
        if c.kind.is_person() {
            crate::collation::person_key(&c.surname, &c.first_names)
        } else {
            crate::collation::sort_key(&c.name)
        }
    }

    pub fn search_text(&self) -> String {
        let c = &self.0;
        crate::collation::search_text(&[&c.surname, &c.first_names, &c.name, &c.pesel, &c.city])
    }
}

pub fn display_name(kind: &ClientKind, surname: &str, first_names: &str, name: &str) -> String {
    if kind.is_person() {
        format!("{surname} {first_names}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 23);

    fn person() -> ClientInput {
        ClientInput {
            surname: "Łukasik".into(),
            first_names: "Anna".into(),
            pesel: "02270803624".into(),
            consent: true,
            consent_date: "2026-11-01".into(),
            ..ClientInput::empty(Uuid::nil())
        }
    }

    fn codes(r: Result<ValidClient, Vec<FieldError>>) -> Vec<(String, String)> {
        r.expect_err("invalid").into_iter().map(|e| (e.pointer, e.code)).collect()
    }

    #[test]
    fn a_pesel_of_someone_born_after_2100_is_refused_as_a_future_birth() {
        let born = date!(2150 - 03 - 14);
        let pesel = crate::ident::Pesel::generate(born, 1, crate::ident::Sex::Female).expect("pesel");
        let c = ClientInput { pesel: pesel.as_str().to_string(), ..person() };
        assert!(codes(c.validate(Lang::En, TODAY)).contains(&("/birth_date".into(), "future".into())));
    }

    #[test]
    fn a_pesel_fills_birth_date_and_sex() {
        let v = person().validate(Lang::Pl, TODAY).expect("valid");
        assert_eq!(v.get().birth_date, "2002-07-08");
        assert_eq!(v.get().sex, "female");
        assert_eq!(v.display_name(), "Łukasik Anna");
    }

    #[test]
    fn typed_birth_date_and_sex_are_checked_against_the_pesel() {
        let c = ClientInput { birth_date: "2002-07-09".into(), sex: "male".into(), ..person() };
        assert_eq!(codes(c.validate(Lang::En, TODAY)), [
            ("/birth_date".into(), "pesel_mismatch".into()),
            ("/sex".into(), "pesel_mismatch".into()),
        ]);
    }

    #[test]
    fn a_bad_pesel_says_why_in_polish() {
        let c = ClientInput { pesel: "02270803625".into(), ..person() };
        let errs = c.validate(Lang::Pl, TODAY).expect_err("invalid");
        assert_eq!(errs[0].pointer, "/pesel");
        assert_eq!(errs[0].message, "Nieprawidłowa cyfra kontrolna.");
    }

    #[test]
    fn without_pesel_a_document_birth_date_and_sex_are_needed() {
        let c = ClientInput { pesel: String::new(), ..person() };
        assert_eq!(codes(c.validate(Lang::En, TODAY)), [
            ("/pesel".into(), "pesel_or_document".into()),
            ("/birth_date".into(), "required".into()),
            ("/sex".into(), "required".into()),
        ]);
        let c = ClientInput {
            pesel: String::new(),
            id_document_type: "passport".into(),
            id_document_number: "ab123".into(),
            birth_date: "1990-01-31".into(),
            sex: "male".into(),
            ..person()
        };
        let v = c.validate(Lang::En, TODAY).expect("valid");
        assert_eq!(v.get().id_document_number, "AB123");
    }

    #[test]
    fn a_legal_basis_and_the_information_clause_are_required() {
        let c = ClientInput { consent: false, consent_date: "2027-01-01".into(), ..person() };
        assert_eq!(codes(c.validate(Lang::En, TODAY)), [
            ("/legal_basis".into(), "required".into()),
            ("/information_date".into(), "required".into()),
            ("/information_by".into(), "required".into()),
        ]);
        let statute = ClientInput {
            legal_basis: "statute".into(),
            information_date: "2026-11-01".into(),
            information_by: "Anna Nowak".into(),
            consent: true,
            consent_date: "2026-11-01".into(),
            consent_withdrawn: "2026-11-02".into(),
            ..person()
        };
        let v = statute.validate(Lang::En, TODAY).expect("valid");
        // Consent is no basis here: nothing of it is kept.
        assert_eq!((v.get().consent, v.get().consent_date.as_str(), v.get().consent_withdrawn.as_str()), (false, "", ""));
        let wrong = ClientInput { legal_basis: "habit".into(), information_date: "2027-01-01".into(), ..statute.clone() };
        assert_eq!(codes(wrong.validate(Lang::En, TODAY)), [("/legal_basis".into(), "choice".into()), ("/information_date".into(), "future".into())]);
    }

    #[test]
    fn consent_as_the_basis_has_a_date_a_scope_and_perhaps_a_withdrawal() {
        let base = ClientInput {
            legal_basis: "consent".into(),
            information_date: "2026-11-01".into(),
            information_by: "Anna Nowak".into(),
            consent_date: String::new(),
            ..person()
        };
        assert_eq!(codes(base.validate(Lang::En, TODAY)), [("/consent_date".into(), "required".into())]);
        let given = ClientInput { consent_date: "2026-11-01".into(), ..base };
        let v = given.validate(Lang::En, TODAY).expect("valid");
        assert!(v.get().consent);
        assert_eq!(v.get().consent_scope, DEFAULT_CONSENT_SCOPE, "an API payload without a scope gets the form's");
        let early = ClientInput { consent_withdrawn: "2026-10-01".into(), ..given.clone() };
        assert_eq!(codes(early.validate(Lang::En, TODAY)), [("/consent_withdrawn".into(), "before_consent".into())]);
        let withdrawn = ClientInput { consent_withdrawn: "2026-11-03".into(), consent_scope: "Udział w klubie pracy".into(), ..given };
        let v = withdrawn.validate(Lang::En, TODAY).expect("valid");
        assert_eq!((v.get().consent_withdrawn.as_str(), v.get().consent_scope.as_str()), ("2026-11-03", "Udział w klubie pracy"));
    }

    #[test]
    fn an_older_payload_with_the_consent_flag_means_consent_with_the_clause_given_that_day() {
        let old = ClientInput { consent: true, consent_date: "2026-10-05".into(), ..person() };
        let v = old.validate(Lang::En, TODAY).expect("valid");
        let c = v.get();
        assert_eq!((c.legal_basis.as_str(), c.information_date.as_str(), c.consent_date.as_str()), ("consent", "2026-10-05", "2026-10-05"));
    }

    #[test]
    fn an_organisation_has_a_name_and_valid_registry_numbers() {
        let c = ClientInput {
            kind: ClientKind::Organisation,
            name: "Stowarzyszenie Razem".into(),
            krs: "12345".into(),
            regon: "123456784".into(),
            ..ClientInput::empty(Uuid::nil())
        };
        assert_eq!(codes(c.validate(Lang::En, TODAY)), [
            ("/krs".into(), "length".into()),
            ("/regon".into(), "check_digit".into()),
        ]);
    }

    #[test]
    fn html_and_sql_are_just_text() {
        let c = ClientInput { surname: "<script>alert(1)</script>'; DROP TABLE clients;--".into(), ..person() };
        let v = c.validate(Lang::En, TODAY).expect("valid");
        assert!(v.get().surname.starts_with("<script>"));
    }

    #[test]
    fn unknown_fields_are_refused() {
        let json = r#"{"partnership_id":"00000000-0000-0000-0000-000000000000","kind":"person","work_form":"individual","is_admin":true}"#;
        assert!(serde_json::from_str::<ClientInput>(json).is_err());
    }
}

/// The longest reason for restricting processing, or for lifting it.
pub const MAX_RESTRICTION_REASON: usize = 1000;

/// A coordinator's decision to restrict the processing of a client's data (GDPR art.
/// 18: the person contests the data, objects, or needs them kept for a claim), or to
/// lift the restriction. Either way the reason is written down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RestrictionInput {
    pub restricted: bool,
    #[serde(default)]
    pub reason: String,
}

impl RestrictionInput {
    /// The reason as a text of a form: required, at most [`MAX_RESTRICTION_REASON`]
    /// characters.
    pub fn validate(&self, lang: Lang) -> Result<String, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let reason = e.text("reason", &self.reason, MAX_RESTRICTION_REASON);
        e.into_result(|| reason.unwrap_or_default())
    }
}
