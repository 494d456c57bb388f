//! The installation as its administrator sets it up: the organisations (OPS, PUP,
//! NGO, OWES…) with their registry numbers, and the partnerships they form, each
//! with its first coordinator. The very first administrator is made on an empty
//! database, from the server's own machine (the first-run page or
//! `sciezka create-admin`). The rules are here, shared by the forms and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ident::{Krs, Nip, Regon};
use crate::lang::Lang;
use crate::org::{OrgType, PartnershipKind};
use crate::people::{check_password, plausible_email};
use crate::validation::{Errors, FieldError};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// An organisation as it is registered: its kind, name and seat, and its registry
/// numbers where it has them (KRS for associations and foundations, REGON and NIP for
/// every public body). Empty numbers mean "has none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganisationInput {
    pub name: String,
    pub org_type: OrgType,
    #[serde(default)]
    pub seat: String,
    #[serde(default)]
    pub krs: String,
    #[serde(default)]
    pub regon: String,
    #[serde(default)]
    pub nip: String,
    /// The file plan's category for client files (`B10`, `BE10`, `A`…), which the
    /// retention of every partnership it is a member of follows; empty: not recorded.
    #[serde(default)]
    pub retention_category: String,
}

impl OrganisationInput {
    /// As stored: name and seat cleaned, each registry number checked by its check
    /// digits and written in its canonical digits, or every reason it is refused.
    pub fn validate(&self, lang: Lang) -> Result<OrganisationInput, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let name = e.line("name", &self.name, 200);
        let seat = e.optional_line("seat", &self.seat, 120);
        let mut number = |field: &str, value: &str, parse: &dyn Fn(&str) -> Result<String, crate::ident::IdError>| match value.trim() {
            "" => Some(String::new()),
            v => match parse(v) {
                Ok(v) => Some(v),
                Err(err) => {
                    e.id(field, &err);
                    None
                }
            },
        };
        let krs = number("krs", &self.krs, &|v| Krs::parse(v).map(|k| k.as_str().to_string()));
        let regon = number("regon", &self.regon, &|v| Regon::parse(v).map(|r| r.as_str().to_string()));
        let nip = number("nip", &self.nip, &|v| Nip::parse(v).map(|n| n.as_str().to_string()));
        let retention = match crate::retention::check_category(lang, "retention_category", &self.retention_category) {
            Ok(c) => Some(c),
            Err(err) => {
                e.add("retention_category", &err.code, err.message);
                None
            }
        };
        e.into_result(|| OrganisationInput {
            name: name.unwrap_or_default(),
            org_type: self.org_type,
            seat: seat.unwrap_or_default(),
            krs: krs.unwrap_or_default(),
            regon: regon.unwrap_or_default(),
            nip: nip.unwrap_or_default(),
            retention_category: retention.unwrap_or_default(),
        })
    }
}

/// A registered organisation, with the partnerships it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Organisation {
    pub id: Uuid,
    pub name: String,
    pub org_type: OrgType,
    pub seat: String,
    pub krs: String,
    pub regon: String,
    pub nip: String,
    pub retention_category: String,
    /// Names of the partnerships it is a member of.
    pub partnerships: Vec<String>,
    /// How many accounts work for it.
    pub people: i64,
}

/// The first coordinator named when a partnership is created: an existing account
/// (by e-mail) gains the role; a new one is invited, and chooses their own password
/// on the link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FirstCoordinator {
    pub email: String,
    pub display_name: String,
    pub organisation_id: Uuid,
}

/// A new partnership: a local partnership of several organisations (OPS, PUP, an
/// NGO…) or an OWES working as a unit of its own (one organisation).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnershipInput {
    pub name: String,
    pub kind: PartnershipKind,
    pub members: Vec<Uuid>,
    pub coordinator: FirstCoordinator,
}

impl PartnershipInput {
    /// As stored, or every reason not: a name, at least one member organisation
    /// (exactly one, an OWES, for an OWES unit), members named once each and known to
    /// the installation, and a first coordinator of one of the members.
    pub fn validate(&self, lang: Lang, known: &[(Uuid, OrgType)]) -> Result<PartnershipInput, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let name = e.line("name", &self.name, 200);
        let mut members = self.members.clone();
        members.sort_unstable();
        members.dedup();
        let type_of = |id: &Uuid| known.iter().find(|(k, _)| k == id).map(|(_, t)| *t);
        if members.is_empty() {
            e.add("members", "required", lang.pick("Wybierz co najmniej jedną organizację.", "Choose at least one organisation."));
        } else if members.iter().any(|m| type_of(m).is_none()) {
            e.add("members", "unknown", lang.pick("Jednej z organizacji nie ma w instalacji.", "One of the organisations is not in the installation."));
        } else if self.kind == PartnershipKind::Owes && (members.len() != 1 || type_of(&members[0]) != Some(OrgType::Owes)) {
            e.add(
                "members",
                "owes_unit",
                lang.pick("OWES jako samodzielna jednostka to jedna organizacja typu OWES.", "An OWES working as a unit of its own is one organisation of the OWES type."),
            );
        }
        let email = e.line("coordinator/email", &self.coordinator.email, 254).map(|v| v.to_lowercase());
        if let Some(email) = &email {
            if !plausible_email(email) {
                e.add("coordinator/email", "email", lang.pick("To nie jest adres e-mail (nazwa@domena).", "This is not an e-mail address (name@domain)."));
            }
        }
        let display_name = e.line("coordinator/display_name", &self.coordinator.display_name, 120);
        if !members.contains(&self.coordinator.organisation_id) {
            e.add(
                "coordinator/organisation_id",
                "not_member",
                lang.pick("Koordynator pracuje w jednej z organizacji partnerstwa.", "The coordinator works for one of the partnership's organisations."),
            );
        }
        e.into_result(|| PartnershipInput {
            name: name.unwrap_or_default(),
            kind: self.kind,
            members,
            coordinator: FirstCoordinator {
                email: email.unwrap_or_default(),
                display_name: display_name.unwrap_or_default(),
                organisation_id: self.coordinator.organisation_id,
            },
        })
    }
}

/// A partnership's new name: partnerships are renamed when a project is extended or
/// its agreement is re-signed under another title. Its kind and members stay: members
/// are the coordinator's to add, and the kind decides which documents it keeps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PartnershipRename {
    pub name: String,
}

impl PartnershipRename {
    /// The name as stored (cleaned, at most 200 characters), or why it is refused.
    pub fn validate(&self, lang: Lang) -> Result<PartnershipRename, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let name = e.line("name", &self.name, 200);
        e.into_result(|| PartnershipRename { name: name.unwrap_or_default() })
    }
}

/// A partnership as the administrator's list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipSummary {
    pub id: Uuid,
    pub name: String,
    pub kind: PartnershipKind,
    /// Its member organisations' names.
    pub members: Vec<String>,
    /// Its coordinators' names.
    pub coordinators: Vec<String>,
    /// How many people hold a role in it.
    pub people: i64,
}

/// The answer to creating a partnership: it, and its coordinator's single-use link
/// (empty when the e-mail already had an account, which simply gains the role).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PartnershipCreated {
    pub partnership: PartnershipSummary,
    pub coordinator: crate::people::Handover,
}

/// A partnership's member organisations, and the registered ones its coordinator
/// may add (an administrator registers new ones).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Members {
    pub members: Vec<crate::docs::Partner>,
    pub candidates: Vec<crate::docs::Partner>,
}

/// A coordinator adds a registered organisation to their partnership.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberAdd {
    pub organisation_id: Uuid,
}

impl MemberAdd {
    /// Refused when the organisation is a member already or not a candidate, and for
    /// an OWES working as a unit of its own (it is one organisation).
    pub fn validate(&self, lang: Lang, kind: PartnershipKind, members: &Members) -> Result<MemberAdd, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        if kind == PartnershipKind::Owes {
            e.add("organisation_id", "owes_unit", lang.pick("OWES jako samodzielna jednostka ma jedną organizację.", "An OWES working as a unit of its own has one organisation."));
        } else if members.members.iter().any(|m| m.organisation_id == self.organisation_id) {
            e.add("organisation_id", "member", lang.pick("Ta organizacja już należy do partnerstwa.", "This organisation is a member already."));
        } else if !members.candidates.iter().any(|m| m.organisation_id == self.organisation_id) {
            e.add("organisation_id", "unknown", lang.pick("Wybierz zarejestrowaną organizację.", "Choose a registered organisation."));
        }
        e.into_result(|| self.clone())
    }
}

/// Whether the installation still waits for its first administrator, and whether
/// this request may make them (only from the server's own machine, with the secret
/// of the first-run link `sciezka serve` printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SetupState {
    pub needed: bool,
    pub allowed_here: bool,
}

/// What the installation's administrator decides for everyone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Whether everyone who reads clients' special-category data, and every
    /// administrator, must sign in with a second factor (an authenticator app). On
    /// unless switched off.
    pub two_factor_required: bool,
}

/// The first-run form: the administrator's organisation and their own account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FirstRun {
    pub organisation: OrganisationInput,
    pub display_name: String,
    pub email: String,
    pub password: String,
    /// The secret of the first-run link `sciezka serve` printed.
    #[serde(default)]
    pub token: String,
}

impl FirstRun {
    /// As stored (password untouched), or every reason not. Pointers into the
    /// organisation are `/organisation/...`.
    pub fn validate(&self, lang: Lang) -> Result<FirstRun, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let organisation = match self.organisation.validate(lang) {
            Ok(o) => Some(o),
            Err(list) => {
                for f in list {
                    e.add(&format!("organisation{}", f.pointer), &f.code, f.message);
                }
                None
            }
        };
        let display_name = e.line("display_name", &self.display_name, 120);
        let email = e.line("email", &self.email, 254).map(|v| v.to_lowercase());
        if let Some(email) = &email {
            if !plausible_email(email) {
                e.add("email", "email", lang.pick("To nie jest adres e-mail (nazwa@domena).", "This is not an e-mail address (name@domain)."));
            }
        }
        if let Err(list) = check_password(lang, "password", &self.password) {
            for f in list {
                e.add("password", &f.code, f.message);
            }
        }
        e.into_result(|| FirstRun {
            organisation: organisation.unwrap_or_default(),
            display_name: display_name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            password: self.password.clone(),
            token: self.token.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn org(name: &str) -> OrganisationInput {
        OrganisationInput { name: name.into(), org_type: OrgType::Ops, seat: "Kielce".into(), ..OrganisationInput::default() }
    }

    fn pointers(list: Vec<FieldError>) -> Vec<String> {
        list.into_iter().map(|f| f.pointer).collect()
    }

    #[test]
    fn an_organisation_needs_a_name_and_registry_numbers_that_check_out() {
        let ok = OrganisationInput { krs: "0000123456".into(), regon: "123456785".into(), nip: "526-000-12-46".into(), ..org(" MOPS  Kielce ") }
            .validate(Lang::Pl)
            .expect("valid");
        assert_eq!(ok.name, "MOPS  Kielce");
        assert_eq!(ok.nip, "5260001246");
        let bad = OrganisationInput { krs: "12".into(), regon: "123456789".into(), nip: "5260001245".into(), ..org("") };
        assert_eq!(pointers(bad.validate(Lang::En).expect_err("invalid")), ["/name", "/krs", "/regon", "/nip"]);
    }

    #[test]
    fn a_partnership_has_known_members_and_a_coordinator_of_one_of_them() {
        let (ops, owes) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let known = [(ops, OrgType::Ops), (owes, OrgType::Owes)];
        let input = PartnershipInput {
            name: "Partnerstwo Kielce".into(),
            kind: PartnershipKind::Local,
            members: vec![ops, ops],
            coordinator: FirstCoordinator { email: " Ewa@MOPS.example ".into(), display_name: "Ewa".into(), organisation_id: ops },
        };
        let ok = input.validate(Lang::Pl, &known).expect("valid");
        assert_eq!(ok.members, [ops], "each member once");
        assert_eq!(ok.coordinator.email, "ewa@mops.example");
        let codes = |p: PartnershipInput| p.validate(Lang::En, &known).err().unwrap_or_default().into_iter().map(|f| (f.pointer, f.code)).collect::<Vec<_>>();
        assert_eq!(codes(PartnershipInput { members: vec![], ..input.clone() })[0], ("/members".into(), "required".into()));
        assert_eq!(codes(PartnershipInput { members: vec![Uuid::from_u128(9)], ..input.clone() })[0], ("/members".into(), "unknown".into()));
        assert_eq!(codes(PartnershipInput { kind: PartnershipKind::Owes, ..input.clone() }), [("/members".into(), "owes_unit".into())]);
        let owes_unit = PartnershipInput {
            kind: PartnershipKind::Owes,
            members: vec![owes],
            coordinator: FirstCoordinator { organisation_id: owes, ..input.coordinator.clone() },
            ..input.clone()
        };
        assert!(owes_unit.validate(Lang::En, &known).is_ok());
        let elsewhere = PartnershipInput { coordinator: FirstCoordinator { organisation_id: owes, ..input.coordinator.clone() }, ..input.clone() };
        assert_eq!(codes(elsewhere), [("/coordinator/organisation_id".into(), "not_member".into())]);
    }

    #[test]
    fn the_first_run_checks_the_organisation_the_address_and_the_password() {
        let run = FirstRun { organisation: org("MOPS"), display_name: "Admin".into(), email: "admin@mops.example".into(), password: "dwanaście-zn".into(), token: String::new() };
        assert!(run.validate(Lang::Pl).is_ok());
        let bad = FirstRun { organisation: org(""), email: "admin".into(), password: "krótkie".into(), ..run };
        assert_eq!(pointers(bad.validate(Lang::En).expect_err("invalid")), ["/organisation/name", "/email", "/password"]);
    }

    proptest! {
        #[test]
        fn any_valid_nip_is_kept_as_its_ten_digits(body in proptest::collection::vec(0u8..10, 9)) {
            let weights = [6u32, 5, 7, 2, 3, 4, 5, 6, 7];
            let sum: u32 = body.iter().zip(weights).map(|(d, w)| u32::from(*d) * w).sum();
            prop_assume!(sum % 11 != 10);
            let digits: String = body.iter().map(|d| char::from(b'0' + d)).chain(std::iter::once(char::from(b'0' + (sum % 11) as u8))).collect();
            let dashed = format!("{}-{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..8], &digits[8..]);
            let ok = OrganisationInput { nip: dashed, ..org("X") }.validate(Lang::Pl);
            prop_assert!(ok.is_ok(), "{:?}", ok);
            prop_assert_eq!(ok.map(|o| o.nip).unwrap_or_default(), digits);
        }
    }
}
