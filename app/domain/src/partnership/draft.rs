//! A partnership document as a device keeps it: written offline, sent when the
//! network allows, merged field by field on the server. A field someone else changed
//! meanwhile keeps the person's text on the device, shows the other next to it, and
//! nothing of that document is sent until the person chooses.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use super::{DocSave, DocSaved, Kind, PartnershipDoc};
use crate::draft;
use crate::merge::{self, Path};
use crate::validation::FieldError;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocConflict {
    pub path: Path,
    pub theirs: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocDraft {
    pub partnership_id: Uuid,
    pub kind: Kind,
    pub key: String,
    /// The document as the server last sent it: what the edits started from.
    pub base: Value,
    /// What the person sees and edits.
    pub local: Value,
    /// The last copy the server sent (with the agreement's state), to work offline.
    #[serde(default)]
    pub server: Option<PartnershipDoc>,
    #[serde(default)]
    pub conflicts: Vec<DocConflict>,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

impl DocDraft {
    pub fn new(server: PartnershipDoc) -> DocDraft {
        DocDraft {
            partnership_id: server.partnership_id,
            kind: server.kind,
            key: server.key.clone(),
            base: server.data.clone(),
            local: server.data.clone(),
            server: Some(server),
            conflicts: Vec::new(),
            errors: Vec::new(),
        }
    }

    pub fn is(&self, partnership: Uuid, kind: Kind, key: &str) -> bool {
        self.partnership_id == partnership && self.kind == kind && self.key == key
    }

    pub fn waiting(&self) -> bool {
        self.local != self.base
    }

    pub fn ready(&self) -> bool {
        self.waiting() && self.conflicts.is_empty() && self.errors.is_empty()
    }

    pub fn request(&self) -> DocSave {
        DocSave { base: self.base.clone(), data: self.local.clone() }
    }

    pub fn edit(&mut self, local: Value) {
        self.local = local;
        self.errors.clear();
    }

    /// The server's copy: it becomes the draft unless the device has changes of its own.
    pub fn refresh(&mut self, server: PartnershipDoc) {
        if !self.waiting() && self.conflicts.is_empty() {
            self.base = server.data.clone();
            self.local = server.data.clone();
        }
        self.server = Some(server);
    }

    /// Takes in the server's answer to `sent` by the rule of [`crate::draft`].
    pub fn saved(&mut self, sent: &DocSave, answer: DocSaved) {
        let theirs = answer.doc.data.clone();
        let taken = draft::take_in(&sent.data, &self.local, &theirs, answer.conflicts.clone());
        for (path, other) in taken.conflicts {
            self.conflicts.retain(|c| c.path != path);
            self.conflicts.push(DocConflict { theirs: other, path });
        }
        self.base = theirs;
        self.local = taken.local;
        self.errors.clear();
        self.server = Some(answer.doc);
    }

    pub fn resolve(&mut self, path: &[String], keep_mine: bool) {
        if let Some(i) = self.conflicts.iter().position(|c| c.path == path) {
            let c = self.conflicts.remove(i);
            if !keep_mine {
                merge::set(&mut self.local, &c.path, c.theirs);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn doc(data: Value) -> PartnershipDoc {
        PartnershipDoc { partnership_id: Uuid::nil(), kind: Kind::Plan, key: String::new(), version: 1, data, updated_by: String::new(), updated_at: String::new(), agreement: None }
    }

    #[test]
    fn a_conflicting_field_keeps_both_until_the_person_chooses() {
        let mut d = DocDraft::new(doc(json!({"goals_now": "", "schedule": []})));
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
            let mut d = DocDraft::new(doc(json!({"goals_now": base})));
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
