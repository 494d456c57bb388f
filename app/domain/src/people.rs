//! The people of a partnership as its coordinator manages them: who they are, which
//! member organisation they work for, their role, and whether their account waits for
//! its first password, is active, or is switched off. An invitation and a password
//! reset are single-use links the person opens to choose their own password: nobody
//! else ever sees or types it. The rules are here, shared by the form and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::docs::{Check, Partner};
use crate::lang::Lang;
use crate::org::{string_enum, Role};
use crate::validation::{parse_iso_date, Errors, FieldError};

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// How long an invitation or reset link may be used.
pub const LINK_HOURS: i64 = 72;

/// Where a link is opened: `/konto/{token}`.
pub const LINK_PATH: &str = "/konto";

/// Where a person who forgot their password asks for a link.
pub const FORGOTTEN_PATH: &str = "/nie-pamietam-hasla";

/// The shortest password anyone may choose.
pub const MIN_PASSWORD: usize = 12;

/// The longest e-mail address (RFC 5321's path limit).
const MAX_EMAIL: usize = 254;

string_enum! {
    /// Where an account stands.
    AccountState { Invited = "invited", Active = "active", Inactive = "inactive" }
}

string_enum! {
    /// Why a link was made: a first password, or a new one.
    LinkPurpose { Invitation = "invitation", Reset = "reset" }
}

/// One person with a role in the partnership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Person {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub role: Role,
    pub state: AccountState,
    /// When they last used a session (Warsaw time), or empty.
    pub last_seen: String,
    /// Their written authorisation to process personal data.
    pub authorisation: Authorisation,
    /// When each of their devices last synced (Warsaw time), newest first: a device
    /// may still hold changes not sent. Deactivation revokes them, so what they push
    /// later is held for a coordinator, never dropped; a switched-off person's list
    /// keeps those devices.
    pub devices: Vec<String>,
    /// Whether they signed in with a second factor (an authenticator app) already.
    #[serde(default)]
    pub second_factor: bool,
}

/// Days before an authorisation's end from which the dashboard lists it.
pub const EXPIRY_NOTICE_DAYS: i64 = 30;

/// The written authorisation to process personal data (upoważnienie, GDPR art. 29 and
/// 32(4)) a Polish public body gives each person who reads its clients' data: its
/// number, the day it was issued, and the last day it holds (empty: until revoked).
/// An account whose authorisation has lapsed cannot sign in. Dates are `YYYY-MM-DD`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Authorisation {
    pub number: String,
    pub issued: String,
    pub expires: String,
}

impl Authorisation {
    /// As stored (the number cleaned), or why not: a number and the day of issue are
    /// required, the end may not come before the issue.
    pub fn validate(&self, lang: Lang) -> Result<Authorisation, Vec<FieldError>> {
        let mut c = Check::new(lang);
        let number = c.errors.line("number", &self.number, 60);
        let issued = c.date("issued", &self.issued, true);
        let expires = c.date("expires", &self.expires, false);
        c.range("expires", issued, expires);
        c.errors.into_result(|| Authorisation { number: number.unwrap_or_default(), issued: self.issued.trim().into(), expires: self.expires.trim().into() })
    }

    /// Whether it has been recorded at all.
    pub fn recorded(&self) -> bool {
        !self.number.is_empty()
    }

    /// Whether it no longer holds on `today`: its last day has passed.
    pub fn lapsed(&self, today: time::Date) -> bool {
        parse_iso_date(&self.expires).is_some_and(|last| last < today)
    }

    /// Whether it still holds but ends within [`EXPIRY_NOTICE_DAYS`] of `today`.
    pub fn ending_soon(&self, today: time::Date) -> bool {
        parse_iso_date(&self.expires).is_some_and(|last| last >= today && (last - today).whole_days() <= EXPIRY_NOTICE_DAYS)
    }
}

/// A person whose authorisation lapsed or ends soon, as the dashboard lists them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuthorisationDue {
    pub user_id: Uuid,
    pub name: String,
    pub number: String,
    /// The last day it holds (`YYYY-MM-DD`).
    pub expires: String,
    pub lapsed: bool,
}

/// A coordinator invites someone of a member organisation with a role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Invite {
    pub email: String,
    pub display_name: String,
    pub organisation_id: Uuid,
    pub role: Role,
}

impl Invite {
    /// The invitation as it is stored (e-mail in lower case, the name cleaned), or why
    /// not: the organisation must be one of the partnership's members, and only an
    /// installation administrator makes administrators.
    pub fn validate(&self, lang: Lang, partners: &[Partner]) -> Result<Invite, Vec<FieldError>> {
        let mut e = Errors::new(lang);
        let email = e.line("email", &self.email, MAX_EMAIL).map(|v| v.to_lowercase());
        if let Some(email) = &email {
            if !plausible_email(email) {
                e.add("email", "email", lang.pick("To nie jest adres e-mail (nazwa@domena).", "This is not an e-mail address (name@domain)."));
            }
        }
        let display_name = e.line("display_name", &self.display_name, 120);
        if !partners.iter().any(|p| p.organisation_id == self.organisation_id) {
            e.add("organisation_id", "not_member", lang.pick("Ta organizacja nie należy do partnerstwa.", "This organisation is not a member of the partnership."));
        }
        given_by_coordinator(&mut e, self.role);
        e.into_result(|| Invite {
            email: email.unwrap_or_default(),
            display_name: display_name.unwrap_or_default(),
            organisation_id: self.organisation_id,
            role: self.role,
        })
    }
}

/// One `@`, something before it, a dot in the domain after it, no spaces: the address
/// is proven only by the person opening the link sent to it.
pub(crate) fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(char::is_whitespace)
}

/// Only an installation administrator makes administrators; a coordinator gives
/// every other role.
fn given_by_coordinator(e: &mut Errors, role: Role) {
    if role == Role::Administrator {
        let lang = e.lang();
        e.add("role", "role", lang.pick("Administratora instalacji nie nadaje koordynator.", "A coordinator does not make installation administrators."));
    }
}

/// A new role for someone already in the partnership.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

impl RoleChange {
    pub fn validate(&self, lang: Lang) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::new(lang);
        given_by_coordinator(&mut e, self.role);
        e.into_result(|| ())
    }
}

/// The answer to an invitation or a reset: the person, and the link to hand over,
/// shown once (only its hash is kept). `link` is empty when the e-mail already had an
/// account, which simply gains the role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Handover {
    pub person: Person,
    /// The link to hand over, shown this once; empty when none was made (an account
    /// elsewhere gained the role) or when it went by e-mail.
    pub link: String,
    /// When the link stops working (Warsaw time).
    pub expires: String,
    /// The link went to the person's e-mail address; nobody else saw it.
    #[serde(default)]
    pub emailed: bool,
    /// The installation sends e-mail, but this message did not go: the link is shown
    /// to hand over instead.
    #[serde(default)]
    pub mail_failed: bool,
}

impl Handover {
    /// Whether a link was made (and either shown or e-mailed).
    pub fn made_link(&self) -> bool {
        !self.link.is_empty() || self.emailed
    }
}

/// "I forgot my password": the person asks for a reset link by e-mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ForgottenPassword {
    pub email: String,
}

/// The answer to a forgotten password, the same whether or not the address has an
/// account: only whether this installation sends e-mail at all (without it, a
/// coordinator starts the reset).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ResetRequested {
    pub by_email: bool,
}

/// What the link's page shows before the person chooses a password.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct LinkInfo {
    pub purpose: LinkPurpose,
    pub email: String,
    pub display_name: String,
}

/// The password a person chooses on their link's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChosenPassword {
    pub password: String,
}

/// A new password's length: at least [`MIN_PASSWORD`] characters, at most 1024 bytes.
pub fn check_password(lang: Lang, field: &str, password: &str) -> Result<(), Vec<FieldError>> {
    let mut e = Errors::new(lang);
    if password.chars().count() < MIN_PASSWORD || password.len() > 1024 {
        e.add(
            field,
            "password_length",
            lang.pick(format!("Hasło musi mieć od {MIN_PASSWORD} do 1024 znaków."), format!("The password must have {MIN_PASSWORD} to 1024 characters.")),
        );
    }
    e.into_result(|| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::org::OrgType;
    use proptest::prelude::*;

    fn partners() -> Vec<Partner> {
        vec![Partner { organisation_id: Uuid::from_u128(1), name: "PUP".into(), org_type: OrgType::Pup }]
    }

    fn invite(email: &str) -> Invite {
        Invite { email: email.into(), display_name: " Jan  Doradca ".into(), organisation_id: Uuid::from_u128(1), role: Role::JobCounsellor }
    }

    #[test]
    fn an_invitation_is_stored_clean_and_refused_for_what_a_coordinator_may_not_do() {
        let ok = invite(" Jan.Doradca@PUP.example ").validate(Lang::Pl, &partners()).expect("valid");
        assert_eq!(ok.email, "jan.doradca@pup.example");
        assert_eq!(ok.display_name, "Jan  Doradca");
        let codes = |i: Invite| i.validate(Lang::En, &partners()).err().unwrap_or_default().into_iter().map(|e| (e.pointer, e.code)).collect::<Vec<_>>();
        assert_eq!(codes(invite("jan")), [("/email".into(), "email".into())]);
        assert_eq!(codes(invite("jan@localhost")), [("/email".into(), "email".into())]);
        assert_eq!(codes(Invite { organisation_id: Uuid::from_u128(2), ..invite("a@b.pl") }), [("/organisation_id".into(), "not_member".into())]);
        assert_eq!(codes(Invite { role: Role::Administrator, ..invite("a@b.pl") }), [("/role".into(), "role".into())]);
        assert_eq!(codes(Invite { display_name: "\u{200B}".into(), ..invite("a@b.pl") }), [("/display_name".into(), "invisible".into())]);
    }

    #[test]
    fn a_password_has_twelve_characters_at_least() {
        assert!(check_password(Lang::Pl, "password", "krótkie").is_err());
        assert!(check_password(Lang::Pl, "password", "dwanaście-zn").is_ok());
        assert!(check_password(Lang::Pl, "password", &"x".repeat(1025)).is_err());
    }

    #[test]
    fn an_authorisation_needs_a_number_and_a_day_of_issue_and_lapses_after_its_last_day() {
        let a = Authorisation { number: " 12/2026 ".into(), issued: "2026-01-02".into(), expires: "2026-12-31".into() };
        assert_eq!(a.validate(Lang::Pl).expect("valid").number, "12/2026");
        let codes = |a: Authorisation| a.validate(Lang::En).err().unwrap_or_default().into_iter().map(|e| e.pointer).collect::<Vec<_>>();
        assert_eq!(codes(Authorisation::default()), ["/number", "/issued"]);
        assert_eq!(codes(Authorisation { expires: "2025-12-31".into(), ..a.clone() }), ["/expires"]);
        assert_eq!(codes(Authorisation { expires: "9999-12-31".into(), ..a.clone() }), ["/expires"]);
        use time::macros::date;
        assert!(!a.lapsed(date!(2026 - 12 - 31)), "the last day still holds");
        assert!(a.lapsed(date!(2027 - 01 - 01)));
        assert!(a.ending_soon(date!(2026 - 12 - 01)) && !a.ending_soon(date!(2026 - 11 - 30)) && !a.ending_soon(date!(2027 - 01 - 01)));
        let open = Authorisation { expires: String::new(), ..a };
        assert!(!open.lapsed(date!(2100 - 01 - 01)) && !open.ending_soon(date!(2026 - 12 - 30)), "until revoked");
    }

    proptest! {
        #[test]
        fn a_valid_address_survives_validation_as_itself_in_lower_case(local in "[a-zA-Z0-9._-]{1,20}", domain in "[a-z0-9-]{1,20}\\.[a-z]{2,6}") {
            let email = format!("{local}@{domain}");
            let ok = invite(&email).validate(Lang::Pl, &partners()).expect("valid");
            prop_assert_eq!(ok.email, email.to_lowercase());
        }
    }
}
