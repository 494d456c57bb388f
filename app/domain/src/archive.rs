//! Files that leave the system locked with a password (issue 20): what a request for
//! one carries, and the rule its password follows, checked by the form and the server.

use serde::{Deserialize, Serialize};

use crate::validation::FieldError;
use crate::Lang;

/// The shortest password of a protected archive: the file may travel by e-mail or on
/// a stick, and AES is only as strong as what it was given.
pub const ARCHIVE_PASSWORD_MIN: usize = 12;
pub const ARCHIVE_PASSWORD_MAX: usize = 128;

/// A protected archive's request: the password it is locked with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ArchiveRequest {
    pub password: String,
}

impl ArchiveRequest {
    /// The password as it locks the archive: 12 to 128 characters, not only spaces.
    pub fn validate(&self, lang: Lang) -> Result<&str, Vec<FieldError>> {
        let n = self.password.chars().count();
        if self.password.trim().is_empty() || !(ARCHIVE_PASSWORD_MIN..=ARCHIVE_PASSWORD_MAX).contains(&n) {
            let (pl, en) = (
                format!("Hasło do archiwum ma od {ARCHIVE_PASSWORD_MIN} do {ARCHIVE_PASSWORD_MAX} znaków."),
                format!("The archive's password has {ARCHIVE_PASSWORD_MIN} to {ARCHIVE_PASSWORD_MAX} characters."),
            );
            return Err(vec![FieldError { pointer: "/password".into(), code: "length".into(), message: lang.pick(pl, en) }]);
        }
        Ok(&self.password)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_password_has_twelve_characters_or_more() {
        let r = |p: &str| ArchiveRequest { password: p.into() }.validate(Lang::Pl).is_ok();
        assert!(!r("") && !r("jedenascie!") && !r("            ") && !r(&"x".repeat(129)));
        assert!(r("dwanascie-zn") && r("zielony parasol 2026"));
    }
}
