//! A partnership document as a device keeps it: written offline, sent when the
//! network allows, merged field by field on the server by the rule of
//! [`crate::draft`]. What is the document's own: it is named by partnership, kind
//! and key, and it is edited as JSON in the shape its kind defines.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{DocSave, DocSaved, Kind, PartnershipDoc};
use crate::draft::{Draft, Whole};
use crate::merge::Path;

/// A partnership document's draft on a device.
pub type DocDraft = Draft<PartnershipDoc>;

/// What names a partnership document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocKey {
    pub partnership_id: Uuid,
    pub kind: Kind,
    pub key: String,
}

impl DocKey {
    pub fn new(partnership_id: Uuid, kind: Kind, key: &str) -> DocKey {
        DocKey { partnership_id, kind, key: key.to_string() }
    }
}

impl Whole for PartnershipDoc {
    type Key = DocKey;
    type Content = Value;
    type Save = DocSave;
    type Saved = DocSaved;

    fn key(&self) -> DocKey {
        DocKey::new(self.partnership_id, self.kind, &self.key)
    }

    fn content(&self) -> &Value {
        &self.data
    }

    fn version(&self) -> i64 {
        self.version
    }

    fn save_path(key: &DocKey) -> String {
        format!("/api/v1/partnerships/{}/docs/{}?key={}", key.partnership_id, key.kind.as_str(), key.key)
    }

    /// A partnership document has no closing step of its own (the agreement closes
    /// by signatures, recorded apart).
    fn save(base: Value, data: Value, _finalise: bool) -> DocSave {
        DocSave { base, data }
    }

    fn sent(save: &DocSave) -> (&Value, bool) {
        (&save.data, false)
    }

    fn answer(saved: DocSaved) -> (PartnershipDoc, Vec<Path>) {
        (saved.doc, saved.conflicts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::merge;
    use proptest::prelude::*;
    use serde_json::json;

    fn doc(data: Value) -> PartnershipDoc {
        PartnershipDoc { partnership_id: Uuid::nil(), kind: Kind::Plan, key: String::new(), version: 1, data, updated_by: String::new(), updated_at: String::new(), agreement: None }
    }

    #[test]
    fn a_conflicting_field_keeps_both_until_the_person_chooses() {
        let mut d = DocDraft::new(DocKey::new(Uuid::nil(), Kind::Plan, ""), Some(doc(json!({"goals_now": "", "schedule": []}))));
        d.edit(json!({"goals_now": "5 osób", "schedule": [{"id": "a", "name": "Rekrutacja"}]}));
        let sent = d.request();
        let server = json!({"goals_now": "6 osób", "schedule": [{"id": "a", "name": "Rekrutacja"}]});
        d.saved(&sent, DocSaved { doc: doc(server), conflicts: vec![vec!["goals_now".into()]] });
        assert_eq!(d.local["goals_now"], "5 osób");
        assert!(!d.ready());
        d.resolve(&["goals_now".to_string()], true);
        assert!(d.ready(), "keeping mine sends it");
        assert_eq!(d.request().data["goals_now"], "5 osób");
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), Just("a".to_string()), Just("b".to_string())]
    }

    proptest! {
        #[test]
        fn a_typed_value_is_never_lost(base in text(), mine in text(), theirs in text(), during in proptest::option::of(text())) {
            let mut d = DocDraft::new(DocKey::new(Uuid::nil(), Kind::Plan, ""), Some(doc(json!({"goals_now": base}))));
            d.edit(json!({"goals_now": mine}));
            let sent = d.request();
            if let Some(t) = &during {
                d.edit(json!({"goals_now": t}));
            }
            let m = merge::merge(&sent.base, &sent.data, &json!({"goals_now": theirs}));
            let merged = m.doc.clone();
            d.saved(&sent, DocSaved { doc: doc(merged.clone()), conflicts: m.conflicts.into_iter().map(|c| c.path).collect() });
            let latest = during.unwrap_or(mine);
            prop_assume!(latest != base);
            prop_assert!(d.local["goals_now"] == json!(latest) || merged["goals_now"] == json!(latest));
            if d.local != merged {
                prop_assert!(d.waiting());
            }
        }
    }
}
