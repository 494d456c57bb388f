//! Request and response bodies of the JSON API under `/api/v1`, shared by the browser
//! app and the server so that both sides always agree on their shape.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::client::{ClientInput, ClientKind, WorkForm};
use crate::docs::{CustomService, Partner};
use crate::org::{PartnershipKind, Role};
use crate::validation::FieldError;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
    /// The second factor, once the server asked for it: six digits from the
    /// authenticator app, or one of the single-use recovery codes.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub code: String,
}

/// What the first sign-in of an account that must use two-factor sign-in shows: the
/// secret for the authenticator app, as a QR code and as text to type. It is the
/// account's only once a code from it is given at sign-in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecondFactorEnrolment {
    /// Base32, in groups of four for typing.
    pub secret: String,
    /// `otpauth://totp/…`, what the QR code holds.
    pub otpauth_url: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// Where the signed-in person's own second factor stands (the account page).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct SecondFactorState {
    /// Signs in with a code from an authenticator app.
    pub enrolled: bool,
    /// The installation requires it of this account: it cannot be switched off.
    pub required: bool,
    /// Recovery codes not used yet.
    pub recovery_codes_left: u32,
}

/// The password again, before a secret for an authenticator app is shown to a
/// signed-in person adding a second factor of their own accord.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordConfirmation {
    pub password: String,
}

/// Six digits from the authenticator app, confirming a change to the second factor.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AppCode {
    pub code: String,
}

/// Ten new single-use recovery codes, shown once; the earlier ones stop working.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Membership {
    pub partnership_id: Uuid,
    pub partnership_name: String,
    pub partnership_kind: PartnershipKind,
    pub role: Role,
    /// The partnership's member organisations: owners of tasks, deliverers of services.
    #[serde(default)]
    pub partners: Vec<Partner>,
    /// Services the partnership added to the catalogue.
    #[serde(default)]
    pub custom_services: Vec<CustomService>,
}

/// The signed-in user. `csrf_token` must be sent back in `X-CSRF-Token` on every
/// state-changing request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Me {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: String,
    /// The organisation the user works for: they act on its behalf (signatures, consents).
    #[serde(default)]
    pub organisation_id: Option<Uuid>,
    pub organisation_name: String,
    pub memberships: Vec<Membership>,
    /// An installation administrator: registers organisations and creates partnerships.
    #[serde(default)]
    pub installation_admin: bool,
    pub csrf_token: String,
    /// A per-user secret that wraps this user's draft key on a device (base64), so
    /// drafts unlock while signed in; a copy of the browser profile alone cannot.
    #[serde(default)]
    pub device_key: String,
    /// Minutes without input after which drafts on the device lock again.
    #[serde(default)]
    pub draft_lock_minutes: u32,
    /// Only in the answer to the sign-in that enrolled the second factor: the ten
    /// single-use recovery codes, shown this once and kept nowhere in the browser.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recovery_codes: Vec<String>,
}

impl Me {
    pub fn role_in(&self, partnership: Uuid) -> Option<Role> {
        self.memberships.iter().find(|m| m.partnership_id == partnership).map(|m| m.role)
    }
    pub fn steers_any(&self) -> bool {
        self.memberships.iter().any(|m| m.role.steers())
    }
    /// Whether the person sees clients anywhere (not only a data protection officer).
    pub fn reads_clients_any(&self) -> bool {
        self.memberships.iter().any(|m| m.role.reads_clients())
    }
    pub fn reads_log_any(&self) -> bool {
        self.memberships.iter().any(|m| m.role.reads_access_log())
    }
    /// Where sign-in lands: a consultant on their caseload, a coordinator on the
    /// dashboard, a data protection officer on the access log.
    pub fn home(&self) -> &'static str {
        if self.memberships.iter().any(|m| m.role.leads_clients()) {
            "/"
        } else if self.steers_any() {
            "/dashboard"
        } else if self.reads_log_any() {
            "/audit"
        } else if self.installation_admin {
            "/admin"
        } else {
            "/"
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientSummary {
    pub id: Uuid,
    pub partnership_id: Uuid,
    pub kind: ClientKind,
    pub display_name: String,
    pub pesel: String,
    pub birth_date: String,
    pub city: String,
    pub work_form: WorkForm,
    pub key_consultant_id: Option<Uuid>,
    pub key_consultant_name: String,
    pub status: String,
}

/// Where a search's count stops ([`ClientPage::total_capped`]).
pub const SEARCH_COUNT_CAP: i64 = 1000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    /// Clients in the whole list (every page); a search counts at most
    /// [`SEARCH_COUNT_CAP`] of them (see `total_capped`).
    pub total: i64,
    /// The search matches more than `total` clients. Its count stops at
    /// [`SEARCH_COUNT_CAP`]: three letters over a region match thousands, and counting
    /// them all would read every match for a figure nobody pages through.
    #[serde(default)]
    pub total_capped: bool,
    pub limit: i64,
    /// Pass as `after` for the next page; none on the last page.
    pub next: Option<Uuid>,
}

/// A restriction of processing in force: since when (Warsaw time), by whom, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Restriction {
    pub since: String,
    pub by: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ClientRecord {
    pub id: Uuid,
    pub status: String,
    pub key_consultant_name: String,
    /// Who allowed a 16th client and when; shown on the card.
    pub caseload_override_by: String,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
    pub data: ClientInput,
    /// Set while processing is restricted (GDPR art. 18): the record and its documents
    /// are read-only for everyone until a coordinator lifts it.
    #[serde(default)]
    pub restriction: Option<Restriction>,
}

impl ClientRecord {
    /// A client registered on a device that the server has not seen yet.
    pub fn unsent(id: Uuid, data: ClientInput) -> ClientRecord {
        ClientRecord {
            id,
            status: "active".into(),
            key_consultant_name: String::new(),
            caseload_override_by: String::new(),
            created_at: String::new(),
            updated_at: String::new(),
            version: 0,
            data,
            restriction: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Consultant {
    pub user_id: Uuid,
    pub display_name: String,
    pub role: Role,
    pub organisation_name: String,
    pub active_clients: i64,
    pub limit: i64,
}

/// One entry of the access log: who read or changed what, when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditEntry {
    /// The entry's place in the log, which only grows.
    pub id: i64,
    /// Warsaw time, `dd.mm.rrrr HH:MM`.
    pub at: String,
    pub user_id: Uuid,
    pub user_name: String,
    pub action: String,
    pub client_id: Option<Uuid>,
    pub client_name: String,
    pub detail: String,
}

/// A page of the access log, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AuditPage {
    pub items: Vec<AuditEntry>,
    /// `before` for the next, older page; none on the last one.
    pub next: Option<i64>,
}

/// What the access log is filtered by; actions are the log's own words.
pub const AUDIT_ACTIONS: [&str; 6] = ["read", "create", "update", "list", "sync", "refused"];

/// Who answers for the accessibility of an installation, as its accessibility
/// statement (deklaracja dostępności) names them; empty where the installation has
/// not said.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct AccessibilityContact {
    /// The public body or project that runs the installation.
    pub operator: String,
    /// The person to contact about accessibility.
    pub contact: String,
    pub email: String,
    pub phone: String,
}

/// RFC 9457 problem details, with every field error for 422 responses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}
