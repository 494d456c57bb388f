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
    /// A random id the device gives the answer, so that sending it again (after a
    /// server restart, a lost reply) counts it once. At most [`MAX_SUBMISSION_ID`] characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

/// The longest submission id a device may choose.
pub const MAX_SUBMISSION_ID: usize = 64;

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
    /// The sealed text is the phone page's form post (`s-q1=yes&…&sid=…`), not a
    /// [`Submission`] in JSON: the phone's script seals what the form sends.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub form: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SealedBatch {
    pub answers: Vec<Sealed>,
}

/// Where one answer stands. The server holds answers in memory until at least five of
/// a round can be counted together, so "received" is not yet safe: the device keeps its
/// sealed copy and sends it again until it hears "counted" (or a final refusal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Fate {
    /// Held in the server's memory, waiting for its batch.
    Received,
    /// In the stored figures: the device may forget it.
    Counted,
    /// Never to be taken (a rule, a spent code, a broken seal): the device drops it.
    Refused { message: String },
    /// The round was closed before the answer could be counted: the device drops it.
    Closed,
}

impl Fate {
    /// Whether the device may forget its copy.
    pub fn is_final(&self) -> bool {
        !matches!(self, Fate::Received)
    }
}

/// The fate of each sealed answer, in the order sent. A failed upload is answered
/// with an error status instead, and the device keeps everything.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchOutcome {
    pub fates: Vec<Fate>,
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
    /// Answers this server holds in memory, waiting to be counted in a batch of at
    /// least 5 (kept back until the round closes, so the last batch is never smaller).
    pub waiting: i64,
}
