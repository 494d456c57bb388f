//! The list of document kinds, declared once. Each case document implements
//! [`CaseDocument`]; [`doc_kinds!`] turns the list below into [`DocType`] and every
//! fact the rest of the code asks of a kind (its name, whether it holds special-category
//! data, whether it has a status, its empty value, its validation). A kind missing from
//! the list, or a document missing a fact, is a compile error, not a silently wrong
//! audit mark.
//!
//! Adding a kind: a module under `docs/` with the type and its `impl CaseDocument`, one
//! line in `doc_kinds!` below, its labels in `docs::labels` (a test checks them), and its
//! form and print view in `app/src/pages/docs/`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{assessment, contract, effects, ipd, malformed, path, run, services, support, Check, DocContext};
use crate::lang::Lang;
use crate::validation::FieldError;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

/// What the list of kinds needs to know of a case document. No defaults: each kind
/// says each fact.
pub trait CaseDocument: Default + Serialize + DeserializeOwned {
    /// Holds special-category data (GDPR art. 9: health, disability, addiction), so
    /// every read is audited as such.
    const SENSITIVE: bool;
    /// Has a draft/final status the consultant sets once it is signed on paper.
    const HAS_STATUS: bool;
    /// The document's rules: structural ones always, the form's required fields once
    /// it is final.
    fn check(&self, c: &mut Check, ctx: &DocContext);
}

fn empty<T: CaseDocument>() -> Value {
    serde_json::to_value(T::default()).unwrap_or(Value::Null)
}

macro_rules! doc_kinds {
    ($($(#[$m:meta])* $variant:ident = $name:literal => $ty:ty),+ $(,)?) => {
        /// The kinds of documents the engine syncs: the client record and the case
        /// documents.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(ToSchema))]
        pub enum DocType {
            #[serde(rename = "client")]
            Client,
            $($(#[$m])* #[serde(rename = $name)] $variant),+
        }

        impl DocType {
            /// The case documents, in the order the client card shows them.
            pub const CASE_DOCS: &'static [DocType] = &[$(DocType::$variant),+];

            /// The kind's name on the wire, in storage and in label keys (`doc.{name}`).
            pub fn as_str(self) -> &'static str {
                match self {
                    DocType::Client => "client",
                    $(DocType::$variant => $name),+
                }
            }

            /// The key of the kind's name in the label tables (`doc.{name}`).
            pub fn label_key(self) -> &'static str {
                match self {
                    DocType::Client => "doc.client",
                    $(DocType::$variant => concat!("doc.", $name)),+
                }
            }

            /// Holds special-category data (GDPR art. 9), so every read is audited as such.
            pub fn sensitive(self) -> bool {
                match self {
                    DocType::Client => false,
                    $(DocType::$variant => <$ty as CaseDocument>::SENSITIVE),+
                }
            }

            /// Has a draft/final status (the client record has none).
            pub fn has_status(self) -> bool {
                match self {
                    DocType::Client => false,
                    $(DocType::$variant => <$ty as CaseDocument>::HAS_STATUS),+
                }
            }

            fn empty_value(self) -> Value {
                match self {
                    DocType::Client => Value::Null,
                    $(DocType::$variant => empty::<$ty>()),+
                }
            }

            /// The document read as its kind's type and written back, without its rules:
            /// unknown fields dropped, missing ones empty; `None` when it does not parse.
            pub fn normalise(self, doc: &Value) -> Option<Value> {
                match self {
                    DocType::Client => None,
                    $(DocType::$variant => serde_json::from_value::<$ty>(doc.clone()).ok().and_then(|d| serde_json::to_value(d).ok())),+
                }
            }

            fn validate_value(self, doc: &Value, lang: Lang, ctx: &DocContext) -> Result<Value, Vec<FieldError>> {
                match self {
                    DocType::Client => Err(malformed(lang, "a client record is not a case document")),
                    $(DocType::$variant => run(doc, lang, |d: &$ty, c| d.check(c, ctx))),+
                }
            }
        }
    };
}

doc_kinds! {
    Assessment = "assessment" => assessment::Assessment,
    Ipd = "ipd" => ipd::Ipd,
    Contract = "contract" => contract::Contract,
    Services = "services" => services::Services,
    Effects = "effects" => effects::Effects,
    Path = "path" => path::SupportPath,
    Support = "support" => support::Support,
}

impl DocType {
    pub fn parse(s: &str) -> Option<DocType> {
        std::iter::once(DocType::Client).chain(DocType::CASE_DOCS.iter().copied()).find(|t| t.as_str() == s)
    }

    /// The schema version drafts of this type are written in; a device migrates or
    /// shows for review any draft written in an older one.
    pub fn schema_version(self) -> u32 {
        1
    }
}

/// Each client has one document of each kind, and its id is derived from the
/// client's: two devices that start the same client's IPD offline write into one
/// document (their fields merge) instead of making two.
pub fn doc_id_for(client: Uuid, doc_type: DocType) -> Uuid {
    if doc_type == DocType::Client {
        return client;
    }
    Uuid::new_v5(&client, doc_type.as_str().as_bytes())
}

/// An empty document of a kind, for a client; what a new tab starts from.
pub fn empty_doc(doc_type: DocType, client: Uuid) -> Value {
    let mut v = doc_type.empty_value();
    if let Value::Object(o) = &mut v {
        o.insert("client_id".into(), Value::String(client.to_string()));
    }
    v
}

/// Reads, checks and normalises a case document (not a client record): unknown
/// fields are dropped and missing ones take their empty value.
pub fn validate(doc_type: DocType, doc: &Value, lang: Lang, ctx: &DocContext) -> Result<Value, Vec<FieldError>> {
    doc_type.validate_value(doc, lang, ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wire_name_of_every_kind_is_its_serde_name() {
        for t in std::iter::once(DocType::Client).chain(DocType::CASE_DOCS.iter().copied()) {
            assert_eq!(serde_json::to_value(t).ok(), Some(Value::String(t.as_str().into())));
            assert_eq!(DocType::parse(t.as_str()), Some(t));
            assert_eq!(t.label_key(), format!("doc.{}", t.as_str()));
        }
    }

    #[test]
    fn special_category_kinds_are_marked() {
        let sensitive: Vec<DocType> = DocType::CASE_DOCS.iter().copied().filter(|t| t.sensitive()).collect();
        assert_eq!(sensitive, [DocType::Assessment, DocType::Contract, DocType::Services, DocType::Path, DocType::Support]);
        let with_status: Vec<DocType> = DocType::CASE_DOCS.iter().copied().filter(|t| t.has_status()).collect();
        assert_eq!(with_status, [DocType::Assessment, DocType::Ipd, DocType::Contract, DocType::Path]);
    }
}
