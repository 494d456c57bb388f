//! What the survey's endpoints send and receive, shared by the browser and the server.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{PeriodResults, SurveyAnswer};

/// What a respondent's device learns from the public link: nothing about anyone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicSurvey {
    pub partnership: String,
    pub period: String,
    pub open: bool,
    pub codes_required: bool,
    /// The P-256 public key (raw, base64) kiosk tablets seal queued answers to.
    pub kiosk_key: String,
}

/// One answer as a respondent sends it, with the single-use code from a slip.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub answer: SurveyAnswer,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A [`Submission`] sealed on a kiosk tablet to the server's key (ECDH P-256 with an
/// ephemeral key, SHA-256, AES-GCM): the tablet cannot read it back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Sealed {
    /// The ephemeral public key, raw, base64.
    pub epk: String,
    pub iv: String,
    pub ct: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SealedBatch {
    pub answers: Vec<Sealed>,
}

/// The fate of each sealed answer, in the order sent. A refused answer will never
/// be accepted (the tablet drops it); a failed upload is answered with an error status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchOutcome {
    pub accepted: u32,
    /// Messages for the refused ones.
    pub refused: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Accepted {
    pub accepted: bool,
}

/// A survey round of a partnership: one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyRound {
    pub id: Uuid,
    pub partnership_id: Uuid,
    pub partnership: String,
    pub period: String,
    /// The secret of the public link `/ankieta/{token}`.
    pub token: String,
    pub open: bool,
    pub codes_required: bool,
    /// Unused single-use codes.
    pub codes_left: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewRound {
    pub period: String,
    #[serde(default)]
    pub codes_required: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCodes {
    pub count: u32,
}

/// Codes are shown once, to be printed; the server keeps only their hashes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedCodes {
    pub codes: Vec<String>,
}

/// The most codes one request may issue.
pub const MAX_CODES: u32 = 500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SurveyReport {
    pub round: SurveyRound,
    pub current: PeriodResults,
    /// The partnership's previous month, when it had a survey.
    pub previous: Option<PeriodResults>,
    /// Answers waiting for a batch of 5 (not yet counted).
    pub waiting: i64,
}
