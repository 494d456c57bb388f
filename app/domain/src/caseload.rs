//! The caseload rule of the guide: one key consultant leads at most 15 clients at once;
//! a group, an organisation or an institution counts as one.

use crate::lang::Lang;

pub const MAX_CASELOAD: i64 = 15;
pub const MAX_OVERRIDE_REASON: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseloadError {
    #[error("caseload full")]
    Full { current: i64 },
    #[error("only a coordinator may override")]
    OverrideNotAllowed,
}

impl CaseloadError {
    pub fn code(&self) -> &'static str {
        match self {
            CaseloadError::Full { .. } => "caseload_full",
            CaseloadError::OverrideNotAllowed => "override_not_allowed",
        }
    }
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (CaseloadError::Full { current }, Lang::Pl) => format!(
                "Konsultant prowadzi już {current} klientów (limit {MAX_CASELOAD}). Przydzielenie kolejnego wymaga decyzji koordynatora z pisemnym uzasadnieniem."
            ),
            (CaseloadError::Full { current }, Lang::En) => format!(
                "This consultant already leads {current} clients (limit {MAX_CASELOAD}). Assigning another needs a coordinator's override with a written reason."
            ),
            (CaseloadError::OverrideNotAllowed, Lang::Pl) => {
                "Tylko koordynator może przekroczyć limit 15 klientów.".into()
            }
            (CaseloadError::OverrideNotAllowed, Lang::En) => {
                "Only a coordinator can exceed the limit of 15 clients.".into()
            }
        }
    }
}

/// Decides whether one more client may be assigned to a consultant who already leads
/// `current` active clients. Returns the override reason to keep, if one was needed.
pub fn admit(
    current: i64,
    override_reason: Option<&str>,
    by_coordinator: bool,
) -> Result<Option<String>, CaseloadError> {
    if current < MAX_CASELOAD {
        return Ok(None);
    }
    match override_reason.map(str::trim).filter(|r| !r.is_empty()) {
        None => Err(CaseloadError::Full { current }),
        Some(_) if !by_coordinator => Err(CaseloadError::OverrideNotAllowed),
        Some(reason) => Ok(Some(reason.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifteen_is_the_limit() {
        assert_eq!(admit(14, None, false), Ok(None));
        assert_eq!(admit(15, None, false), Err(CaseloadError::Full { current: 15 }));
        assert_eq!(admit(15, Some("  "), true), Err(CaseloadError::Full { current: 15 }));
        assert_eq!(admit(15, Some("zastępstwo"), false), Err(CaseloadError::OverrideNotAllowed));
        assert_eq!(admit(15, Some(" zastępstwo "), true), Ok(Some("zastępstwo".into())));
    }
}
