//! Bringing in the clients a partner already keeps in a spreadsheet: the columns a
//! file may have, how its headers are recognised, how one row becomes a
//! [`ClientInput`] (which then passes the same validation as the form), and the
//! report of a dry run or an import. No I/O: the server reads the file and runs each
//! row through the same code that registers or edits a client.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::client::{ClientInput, IdDocumentType};
use crate::lang::Lang;
use crate::org::string_enum;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// The most rows one file may bring in.
pub const MAX_ROWS: usize = 2000;

/// The columns a file may have: the field of [`ClientInput`] (or `key_consultant`,
/// the consultant's e-mail), and its header in the template in Polish and English.
pub const COLUMNS: &[(&str, &str, &str)] = &[
    ("surname", "Nazwisko", "Surname"),
    ("first_names", "Imiona", "First names"),
    ("pesel", "PESEL", "PESEL"),
    ("birth_date", "Data urodzenia", "Date of birth"),
    ("sex", "Płeć", "Sex"),
    ("id_document_type", "Rodzaj dokumentu", "Document type"),
    ("id_document_number", "Numer dokumentu", "Document number"),
    ("street_address", "Ulica i numer", "Street and number"),
    ("postal_code", "Kod pocztowy", "Postal code"),
    ("city", "Miejscowość", "Town"),
    ("phone", "Telefon", "Phone"),
    ("consent", "Zgoda", "Consent"),
    ("consent_date", "Data zgody", "Consent date"),
    ("key_consultant", "Konsultant (e-mail)", "Consultant (e-mail)"),
];

string_enum! {
    /// What to do with a row whose person is registered already (same PESEL, or the
    /// same document number for someone without one).
    OnDuplicate { Skip = "skip", Update = "update" }
}

string_enum! {
    /// What became of a row.
    RowOutcome { Created = "created", Updated = "updated", Unchanged = "unchanged", Skipped = "skipped", Refused = "refused" }
}

/// A file to preview or import. `mapping` names the field of each column in order
/// (empty: ignored); an empty list means "recognise the headers".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ImportRequest {
    pub file_name: String,
    /// The file's bytes, base64.
    pub content: String,
    #[serde(default)]
    pub mapping: Vec<String>,
    pub on_duplicate: OnDuplicate,
    /// False: a dry run, nothing written. True: written, and the report kept.
    #[serde(default)]
    pub confirm: bool,
}

/// One column of the file and the field it fills (empty: ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ColumnMap {
    pub header: String,
    pub field: String,
}

/// Why a cell (or, with no column, the row) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct CellError {
    /// The column's header as in the file; empty for the row as a whole.
    pub column: String,
    pub message: String,
}

/// One data row: its number in the file (the header is row 1), whom it names, what
/// became of it and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RowReport {
    pub row: usize,
    pub name: String,
    pub outcome: RowOutcome,
    pub errors: Vec<CellError>,
}

/// The answer to a dry run or an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ImportReport {
    /// The kept report's id (an import), or none (a dry run).
    pub id: Option<Uuid>,
    pub file_name: String,
    pub committed: bool,
    pub on_duplicate: OnDuplicate,
    pub columns: Vec<ColumnMap>,
    pub rows: Vec<RowReport>,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    pub refused: usize,
    /// When it was imported (Warsaw time), for a kept report.
    #[serde(default)]
    pub at: String,
    #[serde(default)]
    pub by: String,
}

impl ImportReport {
    /// Counts the rows' outcomes.
    pub fn counted(mut self) -> ImportReport {
        let n = |o: RowOutcome| self.rows.iter().filter(|r| r.outcome == o).count();
        (self.created, self.updated, self.unchanged, self.skipped, self.refused) =
            (n(RowOutcome::Created), n(RowOutcome::Updated), n(RowOutcome::Unchanged), n(RowOutcome::Skipped), n(RowOutcome::Refused));
        self
    }
}

/// A header as compared: letters folded, Polish letters without their marks (a file
/// saved by an old program may have lost them), spaces and punctuation dropped.
fn key(s: &str) -> String {
    crate::text::fold(s)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .map(|c| match c {
            'ą' => 'a',
            'ć' => 'c',
            'ę' => 'e',
            'ł' => 'l',
            'ń' => 'n',
            'ó' => 'o',
            'ś' => 's',
            'ź' | 'ż' => 'z',
            c => c,
        })
        .collect()
}

/// The field each header fills: the template's Polish or English header, or the
/// field's own name; anything else is ignored (and shown so).
pub fn recognise(headers: &[String]) -> Vec<String> {
    recognise_in(COLUMNS, headers)
}

/// [`recognise`] for another template's columns (a staff list's).
pub fn recognise_in(columns: &[(&'static str, &'static str, &'static str)], headers: &[String]) -> Vec<String> {
    let mut taken: Vec<&str> = Vec::new();
    headers
        .iter()
        .map(|h| {
            let k = key(h);
            let found = columns.iter().find(|(field, pl, en)| !taken.contains(field) && (key(pl) == k || key(en) == k || key(field) == k));
            match found {
                Some((field, _, _)) => {
                    taken.push(field);
                    field.to_string()
                }
                None => String::new(),
            }
        })
        .collect()
}

/// Gives `column` the field `field` in a mapping, taking it from the column that had
/// it (a field fills one column): moving "E-mail" to another column is one choice.
pub fn choose(mapping: &mut [String], column: usize, field: String) {
    if !field.is_empty() {
        for (i, f) in mapping.iter_mut().enumerate() {
            if i != column && *f == field {
                f.clear();
            }
        }
    }
    if let Some(slot) = mapping.get_mut(column) {
        *slot = field;
    }
}

/// The label of a field in `lang`, for the mapping's choices.
pub fn label(lang: Lang, field: &str) -> &'static str {
    COLUMNS.iter().find(|(f, _, _)| *f == field).map(|(_, pl, en)| lang.pick(*pl, *en)).unwrap_or("")
}

/// Yes or no as people write it in a spreadsheet.
pub fn parse_yes_no(s: &str) -> Option<bool> {
    match crate::text::fold(s.trim()).as_str() {
        "tak" | "t" | "yes" | "y" | "true" | "prawda" | "1" | "x" => Some(true),
        "nie" | "n" | "no" | "false" | "fałsz" | "0" | "" => Some(false),
        _ => None,
    }
}

/// A date as `YYYY-MM-DD`, from that form or the Polish `DD.MM.YYYY` (`D.M.YYYY`);
/// anything else is returned as it is, for validation to name.
pub fn normalise_date(s: &str) -> String {
    let s = s.trim();
    let parts: Vec<&str> = s.split('.').collect();
    if let [d, m, y] = parts.as_slice() {
        if let (Ok(d), Ok(m), Ok(y)) = (d.parse::<u8>(), m.parse::<u8>(), y.parse::<u16>()) {
            if y >= 1000 {
                return format!("{y:04}-{m:02}-{d:02}");
            }
        }
    }
    s.to_string()
}

/// An identity document's kind as a spreadsheet names it: in Polish or English, with
/// or without Polish marks, or by its code.
pub fn document_type(s: &str) -> Option<IdDocumentType> {
    match key(s).as_str() {
        "dowodosobisty" | "dowod" | "do" | "idcard" | "identitycard" => Some(IdDocumentType::IdCard),
        "paszport" | "passport" => Some(IdDocumentType::Passport),
        "kartapobytu" | "residencecard" => Some(IdDocumentType::ResidenceCard),
        "inny" | "innydokument" | "other" => Some(IdDocumentType::Other),
        _ => IdDocumentType::parse(s.trim()),
    }
}

/// What identifies a person without a PESEL when a file is imported again: the
/// document's kind and its number in capitals without spaces or dashes, so that
/// "fe 123 456" and "FE123456" are the same document.
pub fn document_key(kind: &str, number: &str) -> Option<(IdDocumentType, String)> {
    let number: String = number.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_uppercase).collect();
    Some((document_type(kind)?, number)).filter(|(_, n)| !n.is_empty())
}

/// Fills `input` from one row's cells by the mapping. An empty cell leaves the field
/// as it was (so an update keeps what the file does not say). `consultants` are the
/// partnership's consultants by e-mail. Returns the cells it could not read.
pub fn fill(input: &mut ClientInput, lang: Lang, headers: &[String], mapping: &[String], cells: &[String], consultants: &[(String, Uuid)]) -> Vec<CellError> {
    let mut errors = Vec::new();
    for (i, field) in mapping.iter().enumerate() {
        let value = cells.get(i).map(|c| c.trim()).unwrap_or("");
        if field.is_empty() || value.is_empty() {
            continue;
        }
        let column = headers.get(i).cloned().unwrap_or_default();
        let mut refuse = |message: &str| errors.push(CellError { column: column.clone(), message: message.to_string() });
        match field.as_str() {
            "surname" => input.surname = value.into(),
            "first_names" => input.first_names = value.into(),
            // A PESEL of someone born in 2000–2009 starts with 0, which a spreadsheet's
            // number cell drops; eleven digits are what a PESEL has.
            "pesel" if value.len() == 10 && value.bytes().all(|b| b.is_ascii_digit()) => input.pesel = format!("0{value}"),
            "pesel" => input.pesel = value.into(),
            "birth_date" => input.birth_date = normalise_date(value),
            "sex" => match crate::text::fold(value).as_str() {
                "k" | "kobieta" | "f" | "female" => input.sex = "female".into(),
                "m" | "mężczyzna" | "male" => input.sex = "male".into(),
                _ => refuse(lang.pick("Płeć to K albo M.", "Sex is F or M.")),
            },
            "id_document_type" => match document_type(value) {
                Some(t) => input.id_document_type = t.as_str().into(),
                None => refuse(lang.pick("Rodzaj dokumentu to dowód osobisty, paszport, karta pobytu albo inny.", "The document type is ID card, passport, residence card or other.")),
            },
            "id_document_number" => input.id_document_number = value.into(),
            "street_address" => input.street_address = value.into(),
            "postal_code" => input.postal_code = value.into(),
            "city" => input.city = value.into(),
            "phone" => input.phone = value.into(),
            "consent" => match parse_yes_no(value) {
                Some(v) => input.consent = v,
                None => refuse(lang.pick("Zgoda to „tak” albo „nie”.", "Consent is \"yes\" or \"no\".")),
            },
            "consent_date" => input.consent_date = normalise_date(value),
            "key_consultant" => match consultants.iter().find(|(email, _)| email.eq_ignore_ascii_case(value)) {
                Some((_, id)) => input.key_consultant_id = Some(*id),
                None => refuse(lang.pick("Nie ma takiego konsultanta w partnerstwie (podaj jego e-mail).", "No such consultant in the partnership (give their e-mail).")),
            },
            _ => {}
        }
    }
    errors
}

/// The column of a validation error's field (`/surname` → the header mapped to
/// `surname`); a field no column fills is named with "not in the file"; empty for the
/// row as a whole.
pub fn column_of(lang: Lang, pointer: &str, headers: &[String], mapping: &[String]) -> String {
    let field = pointer.trim_start_matches('/');
    let field = if field == "key_consultant_id" { "key_consultant" } else { field };
    match mapping.iter().position(|f| f == field).and_then(|i| headers.get(i).cloned()) {
        Some(header) => header,
        None if !label(lang, field).is_empty() => format!("{} ({})", label(lang, field), lang.pick("brak w pliku", "not in the file")),
        None => String::new(),
    }
}

/// The columns of a staff list to invite in bulk.
pub const STAFF_COLUMNS: &[(&str, &str, &str)] = &[
    ("display_name", "Imię i nazwisko", "Name"),
    ("email", "E-mail", "E-mail"),
    ("organisation", "Organizacja", "Organisation"),
    ("role", "Rola", "Role"),
];

/// A staff list to invite: a dry run, or the invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StaffImportRequest {
    pub file_name: String,
    /// The file's bytes, base64.
    pub content: String,
    /// The field of each column in order ([`STAFF_COLUMNS`], or empty to skip it);
    /// empty: recognised from the headers.
    #[serde(default)]
    pub mapping: Vec<String>,
    #[serde(default)]
    pub confirm: bool,
}

/// One person of a staff list: invited (`created`, with their link once confirmed),
/// an account elsewhere that gains the role (`updated`), a member already
/// (`skipped`), or refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffRowReport {
    pub row: usize,
    pub name: String,
    pub email: String,
    pub outcome: RowOutcome,
    pub errors: Vec<CellError>,
    /// The invitation's single-use link, shown once (confirmed invitations only);
    /// empty when it went by e-mail.
    pub link: String,
    /// The invitation went to the person's e-mail address.
    #[serde(default)]
    pub emailed: bool,
}

/// The answer to a staff list's dry run or invitations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StaffImportReport {
    pub file_name: String,
    pub committed: bool,
    /// Each column of the file and the field it filled.
    pub columns: Vec<ColumnMap>,
    pub rows: Vec<StaffRowReport>,
    pub invited: usize,
    pub added: usize,
    pub skipped: usize,
    pub refused: usize,
    /// When the links stop working (Warsaw time).
    pub expires: String,
}

impl StaffImportReport {
    pub fn counted(mut self) -> StaffImportReport {
        let n = |o: RowOutcome| self.rows.iter().filter(|r| r.outcome == o).count();
        (self.invited, self.added, self.skipped, self.refused) = (n(RowOutcome::Created), n(RowOutcome::Updated), n(RowOutcome::Skipped), n(RowOutcome::Refused));
        self
    }
}

/// One staff row as an invitation (to be validated as the form's), or the cells that
/// cannot be read: the organisation by its name among the partnership's members, the
/// role by its code or its name in either language.
pub fn staff_invite(
    lang: Lang,
    headers: &[String],
    mapping: &[String],
    cells: &[String],
    partners: &[crate::docs::Partner],
) -> Result<crate::people::Invite, Vec<CellError>> {
    let cell = |field: &str| mapping.iter().position(|f| f == field).and_then(|i| cells.get(i)).map(|c| c.trim().to_string()).unwrap_or_default();
    let column = |field: &str| mapping.iter().position(|f| f == field).and_then(|i| headers.get(i).cloned()).unwrap_or_else(|| field.to_string());
    let mut errors = Vec::new();
    let organisation = cell("organisation");
    let organisation_id = match partners.iter().find(|p| key(&p.name) == key(&organisation)) {
        Some(p) => p.organisation_id,
        None => {
            errors.push(CellError {
                column: column("organisation"),
                message: lang.pick("To nie jest organizacja członkowska partnerstwa (podaj jej pełną nazwę).", "This is not a member organisation of the partnership (give its full name).").into(),
            });
            Uuid::nil()
        }
    };
    let role_text = cell("role");
    let role = crate::org::Role::ALL.iter().copied().find(|r| {
        let k = key(&role_text);
        key(r.as_str()) == k || [Lang::Pl, Lang::En].iter().any(|l| key(crate::i18n::t(*l, r.i18n_key())) == k)
    });
    let role = match role {
        Some(r) => r,
        None => {
            errors.push(CellError { column: column("role"), message: lang.pick("Nieznana rola.", "Unknown role.").into() });
            crate::org::Role::KeyConsultant
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(crate::people::Invite { email: cell("email"), display_name: cell("display_name"), organisation_id, role })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_chosen_for_a_column_leaves_the_column_that_had_it() {
        let mut m: Vec<String> = ["email", "", "display_name"].map(String::from).to_vec();
        choose(&mut m, 1, "email".into());
        assert_eq!(m, ["", "email", "display_name"]);
        choose(&mut m, 2, String::new());
        assert_eq!(m, ["", "email", ""]);
        choose(&mut m, 7, "role".into());
        assert_eq!(m, ["", "email", ""], "no such column");
    }
    use proptest::prelude::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(std::string::ToString::to_string).collect()
    }

    #[test]
    fn a_document_is_named_as_people_write_it_and_keyed_whatever_its_spacing() {
        assert_eq!(document_type("Dowód osobisty"), Some(IdDocumentType::IdCard));
        assert_eq!(document_type("paszport"), Some(IdDocumentType::Passport));
        assert_eq!(document_type("Karta pobytu"), Some(IdDocumentType::ResidenceCard));
        assert_eq!(document_type("residence_card"), Some(IdDocumentType::ResidenceCard));
        assert_eq!(document_type("legitymacja"), None);
        assert_eq!(document_key("paszport", "fe 123-456"), document_key("passport", "FE123456"));
        assert_ne!(document_key("paszport", "FE123456"), document_key("dowód", "FE123456"));
        assert_eq!(document_key("paszport", " - "), None);
    }

    #[test]
    fn headers_are_recognised_in_either_language_and_once_each() {
        let headers = strings(&["NAZWISKO", "First names", "pesel", "Uwagi", "Nazwisko", "Konsultant (e-mail)", "miejscowosc"]);
        assert_eq!(recognise(&headers), strings(&["surname", "first_names", "pesel", "", "", "key_consultant", "city"]));
    }

    #[test]
    fn a_row_fills_the_mapped_fields_and_names_the_cells_it_cannot_read() {
        let headers = strings(&["Nazwisko", "Zgoda", "Data zgody", "Płeć", "Konsultant (e-mail)", "Uwagi"]);
        let mapping = recognise(&headers);
        let kc = Uuid::from_u128(7);
        let mut input = ClientInput::empty(Uuid::from_u128(1));
        input.city = "Kielce".into();
        let errors = fill(&mut input, Lang::Pl, &headers, &mapping, &strings(&["Nowak", "tak", "5.1.2026", "K", "Anna@ops.pl", "cokolwiek"]), &[("anna@ops.pl".into(), kc)]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!((input.surname.as_str(), input.consent, input.consent_date.as_str(), input.sex.as_str()), ("Nowak", true, "2026-01-05", "female"));
        assert_eq!(input.key_consultant_id, Some(kc));
        let pesel_only = strings(&["PESEL"]);
        fill(&mut input, Lang::Pl, &pesel_only, &recognise(&pesel_only), &strings(&["2270803628"]), &[]);
        assert_eq!(input.pesel, "02270803628", "the leading zero a number cell dropped");
        assert_eq!(input.city, "Kielce", "a column the file does not have leaves the field");
        let errors = fill(&mut input, Lang::En, &headers, &mapping, &strings(&["", "może", "", "?", "nikt@ops.pl"]), &[]);
        assert_eq!(errors.iter().map(|e| e.column.as_str()).collect::<Vec<_>>(), ["Zgoda", "Płeć", "Konsultant (e-mail)"]);
        assert_eq!(input.surname, "Nowak", "an empty cell leaves the field");
        assert_eq!(column_of(Lang::Pl, "/key_consultant_id", &headers, &mapping), "Konsultant (e-mail)");
        assert_eq!(column_of(Lang::Pl, "/first_names", &headers, &mapping), "Imiona (brak w pliku)");
        assert_eq!(column_of(Lang::En, "/kind", &headers, &mapping), "");
    }

    #[test]
    fn a_staff_row_names_its_organisation_and_role_in_words() {
        use crate::docs::Partner;
        use crate::org::{OrgType, Role};
        let partners = [Partner { organisation_id: Uuid::from_u128(3), name: "Powiatowy Urząd Pracy w Kielcach".into(), org_type: OrgType::Pup }];
        let headers = strings(&["Imię i nazwisko", "E-mail", "Organizacja", "Rola"]);
        let mapping = recognise_in(STAFF_COLUMNS, &headers);
        let invite = staff_invite(Lang::Pl, &headers, &mapping, &strings(&["Jan Doradca", "jan@pup.pl", "powiatowy urzad pracy w kielcach", "doradca zawodowy"]), &partners);
        let invite = invite.expect("valid");
        assert_eq!((invite.organisation_id, invite.role), (Uuid::from_u128(3), Role::JobCounsellor));
        let refused = staff_invite(Lang::Pl, &headers, &mapping, &strings(&["Jan", "jan@pup.pl", "OPS", "kierowca"]), &partners).expect_err("refused");
        assert_eq!(refused.iter().map(|e| e.column.as_str()).collect::<Vec<_>>(), ["Organizacja", "Rola"]);
    }

    proptest! {
        #[test]
        fn polish_dates_become_iso(d in 1u8..=28, m in 1u8..=12, y in 1900u16..2100) {
            prop_assert_eq!(normalise_date(&format!("{d}.{m}.{y}")), format!("{y:04}-{m:02}-{d:02}"));
            prop_assert_eq!(normalise_date(&format!("{y:04}-{m:02}-{d:02}")), format!("{y:04}-{m:02}-{d:02}"));
        }
    }
}
