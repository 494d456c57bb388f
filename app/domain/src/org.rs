//! Organisations, partnerships and the roles people hold in them.

use serde::{Deserialize, Serialize};

macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        // Every wire name is its variant in snake case; said here too, where the
        // OpenAPI derive can read it (it does not see names passed into a macro).
        #[serde(rename_all = "snake_case")]
        pub enum $name { $(#[serde(rename = $s)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $s),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($s => Some($name::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use string_enum;

string_enum! {
    /// What kind of body an organisation is.
    OrgType { Ops = "ops", Pup = "pup", Ngo = "ngo", Owes = "owes", Other = "other" }
}

/// A form's starting choice: the kind that needs no explaining.
impl Default for OrgType {
    fn default() -> Self {
        OrgType::Other
    }
}

string_enum! {
    /// A local partnership of OPS, PUP and an NGO, or an OWES working as a unit of its own.
    PartnershipKind { Local = "local", Owes = "owes" }
}

string_enum! {
    /// A role a user holds in one partnership; a user may hold different roles in different ones.
    Role {
        Administrator = "administrator",
        Coordinator = "coordinator",
        KeyConsultant = "key_consultant",
        SocialWorker = "social_worker",
        JobCounsellor = "job_counsellor",
        ReintegrationSpecialist = "reintegration_specialist",
        DataProtectionOfficer = "data_protection_officer",
    }
}

impl Role {
    /// Roles that lead clients' support paths and so carry a caseload.
    pub fn leads_clients(self) -> bool {
        !matches!(self, Role::Administrator | Role::Coordinator | Role::DataProtectionOfficer)
    }
    /// Roles that see the partnership's clients. A data protection officer (IOD)
    /// checks who processed the data, never the data themselves.
    pub fn reads_clients(self) -> bool {
        self != Role::DataProtectionOfficer
    }
    /// Roles that must sign in with a second factor where the installation asks for
    /// it: whoever reads clients' special-category data (GDPR art. 9).
    pub fn needs_second_factor(self) -> bool {
        self.reads_clients()
    }
    /// Roles that read the partnership's access log: those who steer it, and its
    /// data protection officer.
    pub fn reads_access_log(self) -> bool {
        self.steers() || self == Role::DataProtectionOfficer
    }
    /// Roles that steer a partnership: override caseload limits, read the audit log.
    pub fn steers(self) -> bool {
        matches!(self, Role::Administrator | Role::Coordinator)
    }
    pub fn i18n_key(self) -> &'static str {
        match self {
            Role::Administrator => "role.administrator",
            Role::Coordinator => "role.coordinator",
            Role::KeyConsultant => "role.key_consultant",
            Role::SocialWorker => "role.social_worker",
            Role::JobCounsellor => "role.job_counsellor",
            Role::ReintegrationSpecialist => "role.reintegration_specialist",
            Role::DataProtectionOfficer => "role.data_protection_officer",
        }
    }
}
