//! The sync protocol between a device and the server: mutations from a device's
//! outbox, what the server made of each, and what a device keeps for offline work.
//!
//! Every mutation has an id made on the device; the server applies it at most once
//! and answers a resent one with the answer it gave the first time.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::api::ClientRecord;
use crate::docs::{DocContext, DocRecord, DocType};
use crate::client::ClientInput;
use crate::lang::Lang;
use crate::merge::{Change, Path};
use crate::validation::FieldError;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// Most mutations one push may carry; a device splits a longer outbox.
pub const MAX_BATCH: usize = 500;
/// Longest dated note, in characters.
pub const MAX_NOTE: usize = 10_000;

/// What a device did, offline or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// A document made on the device, with the id the device gave it.
    Create { doc_type: DocType, doc_id: Uuid, data: Value },
    /// Field changes to a document, made from `base_revision`.
    Edit { doc_type: DocType, doc_id: Uuid, base_revision: i64, changes: Vec<Change> },
    /// A dated note (adnotacja): append-only, never merged, never edited.
    AddNote { note_id: Uuid, client_id: Uuid, text: String },
}

impl Op {
    /// The document (for a note: the client) this mutation writes to.
    pub fn doc_id(&self) -> Uuid {
        match self {
            Op::Create { doc_id, .. } | Op::Edit { doc_id, .. } => *doc_id,
            Op::AddNote { client_id, .. } => *client_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Mutation {
    pub id: Uuid,
    /// When the person made the change, by the device's clock (ms since the epoch);
    /// orders notes written on different devices.
    pub written_at: i64,
    #[serde(flatten)]
    pub op: Op,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    pub device_id: Uuid,
    pub mutations: Vec<Mutation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PushResponse {
    pub results: Vec<MutationResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct MutationResult {
    pub mutation_id: Uuid,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    /// Stored; the document is now at `revision`.
    Applied { revision: i64 },
    /// The changes to other fields are stored; these fields wait for a person.
    Conflict { revision: i64, conflicts: Vec<ConflictView> },
    /// Nothing stored: the errors say why, next to their fields.
    Rejected { errors: Vec<FieldError> },
    /// The device was revoked: the change is kept on the server, unapplied, until a
    /// coordinator applies or discards it.
    Held { message: String },
}

/// A stored conflict, shown side by side to everyone who works on the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct ConflictView {
    pub id: Uuid,
    pub doc_type: DocType,
    pub doc_id: Uuid,
    pub client_id: Uuid,
    pub path: Path,
    pub base: Value,
    pub mine: Value,
    pub theirs: Value,
    pub base_revision: i64,
    pub mine_by: String,
    pub mine_at: String,
    pub theirs_by: String,
    pub theirs_at: String,
    #[serde(default)]
    pub resolved_by: String,
    #[serde(default)]
    pub resolved_at: String,
    #[serde(default)]
    pub resolution: Option<Value>,
}

/// A person's decision on a conflict: the value the field keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Resolution {
    pub value: Value,
}

/// A dated note on a client's case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Note {
    pub id: Uuid,
    pub client_id: Uuid,
    pub text: String,
    /// ms since the epoch, the writing device's clock.
    pub written_at: i64,
    pub author_name: String,
}

/// One stored version of a document, whole: two of them make a diff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DocVersion {
    pub revision: i64,
    pub by: String,
    pub at: String,
    pub data: Value,
}

/// One stored version of a document: the support path keeps its history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Version {
    pub revision: i64,
    pub by: String,
    pub at: String,
    pub device_id: Option<Uuid>,
    /// JSON Pointers of the fields this version changed.
    pub fields: Vec<String>,
}

/// A device that has pushed changes, as a coordinator sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct DeviceInfo {
    pub device_id: Uuid,
    pub user_id: Uuid,
    pub user_name: String,
    pub first_seen: String,
    pub last_seen: String,
    /// Empty while the device may sync; who revoked it and when otherwise.
    pub revoked: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RevokeDevice {
    pub user_id: Uuid,
}

/// A change pushed by a revoked device, waiting for a coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct HeldChange {
    pub mutation_id: Uuid,
    pub device_id: Uuid,
    pub user_name: String,
    pub client_id: Uuid,
    pub client_name: String,
    pub received_at: String,
    pub mutation: Mutation,
    /// `applied` or `discarded` once decided, with who and when.
    pub decision: String,
    pub decided: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub apply: bool,
}

/// How many of a client's notes a device keeps for offline work: the latest. A case
/// of some years has hundreds more; they are read online. Without a bound every sync
/// of a caseload grew with the age of its cases, and the server's memory with it.
pub const DEVICE_NOTES: usize = 200;

/// What a consultant's device keeps for offline work: the own caseload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct Caseload {
    pub clients: Vec<ClientRecord>,
    /// The latest [`DEVICE_NOTES`] notes of each client.
    pub notes: Vec<Note>,
    pub conflicts: Vec<ConflictView>,
    /// The case documents of these clients.
    #[serde(default)]
    pub documents: Vec<DocRecord>,
    /// Clients with older notes than those carried, and how many.
    #[serde(default)]
    pub older_notes: Vec<OlderNotes>,
}

/// Notes of a client left on the server (read online).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct OlderNotes {
    pub client_id: Uuid,
    pub count: i64,
}

/// Reads a client document; `Err` is a field error for the whole document.
pub fn client_from_doc(doc: &Value, lang: Lang) -> Result<ClientInput, Vec<FieldError>> {
    serde_json::from_value(doc.clone()).map_err(|e| {
        vec![FieldError {
            pointer: String::new(),
            code: "malformed".into(),
            message: match lang {
                Lang::Pl => format!("Dokument klienta ma niepoprawną budowę: {e}"),
                Lang::En => format!("The client document is malformed: {e}"),
            },
        }]
    })
}

/// The validation both sides run on a whole document, after any merge.
pub fn validate_doc(doc_type: DocType, doc: &Value, lang: Lang, ctx: &DocContext) -> Result<Value, Vec<FieldError>> {
    match doc_type {
        DocType::Client => {
            let valid = client_from_doc(doc, lang)?.validate(lang, ctx.today)?;
            serde_json::to_value(valid.get()).map_err(|e| {
                vec![FieldError { pointer: String::new(), code: "malformed".into(), message: e.to_string() }]
            })
        }
        other => crate::docs::validate(other, doc, lang, ctx),
    }
}

/// A note's text, trimmed; empty and overlong notes are refused.
pub fn validate_note(text: &str, lang: Lang) -> Result<String, Vec<FieldError>> {
    let t = text.trim();
    let (code, message) = if t.is_empty() {
        ("required", match lang {
            Lang::Pl => "Wpisz treść adnotacji.".to_string(),
            Lang::En => "Write the note.".to_string(),
        })
    } else if t.chars().count() > MAX_NOTE {
        ("too_long", match lang {
            Lang::Pl => format!("Adnotacja może mieć najwyżej {MAX_NOTE} znaków."),
            Lang::En => format!("A note may have at most {MAX_NOTE} characters."),
        })
    } else {
        return Ok(t.to_string());
    };
    Err(vec![FieldError { pointer: "/text".into(), code: code.into(), message }])
}

/// How far ahead of the server a device's clock may run before its times are not believed.
pub const CLOCK_AHEAD_MS: i64 = 24 * 3600 * 1000;
/// The earliest believable time of a change: 2020-01-01.
pub const EARLIEST_WRITE_MS: i64 = 1_577_836_800_000;

/// When a change was written, as far as it can be believed: the device's time (it
/// orders notes and merges written offline days ago), unless the device's clock is
/// plainly wrong — ahead of the server by more than a day, or before 2020 — when the
/// server's time of receipt stands in. One tablet set to 9999-12-31 must not sort its
/// notes after everyone's forever, or break what counts days from them.
pub fn believable_written_at(device_ms: i64, received_ms: i64) -> i64 {
    if device_ms > received_ms.saturating_add(CLOCK_AHEAD_MS) || device_ms < EARLIEST_WRITE_MS {
        received_ms
    } else {
        device_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_device_clock_far_ahead_or_before_2020_is_not_believed() {
        let server = 1_800_000_000_000; // 2027
        assert_eq!(believable_written_at(server - 86_400_000 * 9, server), server - 86_400_000 * 9, "written offline nine days ago");
        assert_eq!(believable_written_at(server + 3_600_000, server), server + 3_600_000, "a clock an hour fast");
        assert_eq!(believable_written_at(253_402_214_400_000, server), server, "9999-12-31");
        assert_eq!(believable_written_at(0, server), server, "1970");
        assert_eq!(believable_written_at(i64::MAX, i64::MAX), i64::MAX);
        assert_eq!(believable_written_at(i64::MIN, server), server);
    }

    #[test]
    fn a_mutation_reads_as_the_device_writes_it() {
        let m: Mutation = serde_json::from_value(json!({
            "id": "0192c1a0-0000-7000-8000-000000000001", "written_at": 1_700_000_000_000_i64,
            "op": "edit", "doc_type": "client", "doc_id": "0192c1a0-0000-7000-8000-000000000002",
            "base_revision": 3, "changes": [{"path": ["city"], "old": "Łódź", "new": "Kraków"}]
        }))
        .expect("valid mutation");
        assert!(matches!(m.op, Op::Edit { base_revision: 3, .. }));
        let unknown = serde_json::from_value::<Mutation>(json!({"id": "0192c1a0-0000-7000-8000-000000000001", "written_at": 0, "op": "drop_table"}));
        assert!(unknown.is_err());
    }

    #[test]
    fn notes_must_have_text_within_the_limit() {
        assert_eq!(validate_note("  Wizyta domowa.  ", Lang::Pl), Ok("Wizyta domowa.".into()));
        assert_eq!(validate_note("   ", Lang::Pl).unwrap_err()[0].code, "required");
        assert_eq!(validate_note(&"x".repeat(MAX_NOTE + 1), Lang::En).unwrap_err()[0].code, "too_long");
    }

    #[test]
    fn a_malformed_client_document_is_a_field_error_not_a_panic() {
        let ctx = DocContext { today: time::macros::date!(2026 - 11 - 23), partners: &[], custom_services: &[] };
        let e = validate_doc(DocType::Client, &json!({"surname": 5}), Lang::Pl, &ctx).unwrap_err();
        assert_eq!(e[0].code, "malformed");
    }
}
