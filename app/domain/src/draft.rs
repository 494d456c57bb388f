//! The one rule by which a device keeps a document it saves whole with the text it
//! started from — the monthly report's narrative and the partnership's documents:
//! the device sends `base` (what it started from) and its text, the server merges
//! three-way and answers with its copy and the fields both sides changed. Taking that
//! answer in, the device keeps what the person typed while the save travelled, and
//! for every conflicting field keeps the person's text and remembers the other one,
//! so nothing is sent for that document until the person chooses.
//!
//! Each kind says only what is its own by implementing [`Whole`] (`report::draft`,
//! `partnership::draft`); [`Draft`] is the state a device keeps for any of them.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::merge::{self, Path};
use crate::validation::FieldError;

/// A document a device keeps whole and saves with the text it started from.
pub trait Whole: Clone + PartialEq + Debug + Serialize + DeserializeOwned {
    /// What names one document (its partnership and month, or its kind and key);
    /// stored flattened into the draft.
    type Key: Clone + PartialEq + Debug + Serialize + DeserializeOwned;
    /// The part a person edits.
    type Content: Clone + PartialEq + Debug + Default + Serialize + DeserializeOwned;
    /// The save request on the wire.
    type Save: Clone + Debug + Serialize + DeserializeOwned;
    /// The server's answer to a save.
    type Saved: Clone + Debug + Serialize + DeserializeOwned;

    fn key(&self) -> Self::Key;
    fn content(&self) -> &Self::Content;
    /// The server's version, to tell which of two copies is newer.
    fn version(&self) -> i64;
    /// Where a device sends the save (an API path).
    fn save_path(key: &Self::Key) -> String;
    /// The request for what the device started from and holds now; `finalise` is the
    /// document's closing step (the report marked final), for kinds that have one.
    fn save(base: Self::Content, local: Self::Content, finalise: bool) -> Self::Save;
    /// What a request sent: the content and whether it asked to finalise.
    fn sent(save: &Self::Save) -> (&Self::Content, bool);
    /// The server's copy after the save, and the fields it kept as they were
    /// because someone else had changed them (merge paths).
    fn answer(saved: Self::Saved) -> (Self, Vec<Path>);
}

/// A field both sides changed: the person's text stays in the draft, the other one
/// waits here until the person chooses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    pub path: Path,
    pub theirs: Value,
}

impl<'de> Deserialize<'de> for Conflict {
    /// Also reads the report drafts devices kept before there was one draft type
    /// (`{"field": "risks", "theirs": "…"}`), so no waiting conflict is lost.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Conflict, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Path { path: Path, theirs: Value },
            Field { field: String, theirs: Value },
        }
        Ok(match Stored::deserialize(d)? {
            Stored::Path { path, theirs } => Conflict { path, theirs },
            Stored::Field { field, theirs } => Conflict { path: vec![field], theirs },
        })
    }
}

/// A document as a device keeps it: written offline, sent when the network allows,
/// merged field by field on the server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "")]
pub struct Draft<W: Whole> {
    #[serde(flatten)]
    pub key: W::Key,
    /// The content as the server last sent it: what the edits started from.
    pub base: W::Content,
    /// What the person sees and edits.
    pub local: W::Content,
    /// The person asked for the closing step; sent with the next save.
    #[serde(default)]
    pub finalise: bool,
    /// The last whole copy the server sent, to read and write offline.
    #[serde(default)]
    pub server: Option<W>,
    #[serde(default)]
    pub conflicts: Vec<Conflict>,
    /// The server's refusal, shown next to the fields until the person fixes them.
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

fn json<T: Serialize>(t: &T) -> Value {
    serde_json::to_value(t).unwrap_or(Value::Null)
}

impl<W: Whole> Draft<W> {
    /// A draft of `key`, started from the server's copy if there is one.
    pub fn new(key: W::Key, server: Option<W>) -> Draft<W> {
        let base = server.as_ref().map(|s| s.content().clone()).unwrap_or_default();
        Draft { key, local: base.clone(), base, finalise: false, server, conflicts: Vec::new(), errors: Vec::new() }
    }

    /// Changes wait on the device.
    pub fn waiting(&self) -> bool {
        self.local != self.base || self.finalise
    }

    /// Ready to send: waiting, and nothing for the person to decide or fix first.
    pub fn ready(&self) -> bool {
        self.waiting() && self.conflicts.is_empty() && self.errors.is_empty()
    }

    pub fn request(&self) -> W::Save {
        W::save(self.base.clone(), self.local.clone(), self.finalise)
    }

    /// The person typed: their text is kept, and a refusal is re-checked on the next save.
    pub fn edit(&mut self, local: W::Content) {
        self.local = local;
        self.errors.clear();
    }

    /// The server's copy, fetched: it becomes the draft unless the device has
    /// changes of its own or a choice waits.
    pub fn refresh(&mut self, server: W) {
        if !self.waiting() && self.conflicts.is_empty() {
            self.base = server.content().clone();
            self.local = server.content().clone();
        }
        self.server = Some(server);
    }

    /// Takes in the server's answer to `sent` by [`take_in`]: edits made while it
    /// travelled are kept; fields both changed keep the person's text and wait.
    pub fn saved(&mut self, sent: &W::Save, answer: W::Saved) {
        let (sent, finalised) = W::sent(sent);
        let (server, server_conflicts) = W::answer(answer);
        let theirs = server.content().clone();
        let taken = take_in(&json(sent), &json(&self.local), &json(&theirs), server_conflicts);
        let local = serde_json::from_value(taken.local).unwrap_or_else(|_| self.local.clone());
        for (path, other) in taken.conflicts {
            self.conflicts.retain(|c| c.path != path);
            self.conflicts.push(Conflict { path, theirs: other });
        }
        self.base = theirs;
        self.local = local;
        if finalised {
            self.finalise = false;
        }
        self.errors.clear();
        self.server = Some(server);
    }

    /// The server refused the save for good: its reasons stay with the draft until
    /// the person acts.
    pub fn refused(&mut self, errors: Vec<FieldError>) {
        self.errors = errors;
    }

    /// The person chose between their text and the other one.
    pub fn resolve(&mut self, path: &[String], keep_mine: bool) {
        if let Some(i) = self.conflicts.iter().position(|c| c.path == path) {
            let c = self.conflicts.remove(i);
            if !keep_mine {
                let mut local = json(&self.local);
                merge::set(&mut local, &c.path, c.theirs);
                if let Ok(local) = serde_json::from_value(local) {
                    self.local = local;
                }
            }
        }
    }

    /// Forgets the device's changes (after the server refused them for good).
    pub fn discard(&mut self) {
        self.local = self.base.clone();
        self.finalise = false;
        self.conflicts.clear();
        self.errors.clear();
    }

    /// The person's text at `path`, to show next to the other one.
    pub fn mine(&self, path: &[String]) -> Value {
        merge::get(&json(&self.local), path).clone()
    }
}

/// Where the device keeps its drafts of one kind, found by key.
pub fn find<'a, W: Whole>(drafts: &'a mut Vec<Draft<W>>, key: &W::Key, server: Option<&W>) -> &'a mut Draft<W> {
    let i = match drafts.iter().position(|d| &d.key == key) {
        Some(i) => i,
        None => {
            drafts.push(Draft::new(key.clone(), server.cloned()));
            drafts.len() - 1
        }
    };
    &mut drafts[i]
}

/// What the device holds after the server answered a save.
#[derive(Debug, Clone, PartialEq)]
pub struct TakenIn {
    /// The person's text: the server's copy with what they typed meanwhile and, on
    /// every conflicting field, their own value.
    pub local: Value,
    /// Each field both sides changed, with the server's value.
    pub conflicts: Vec<(Path, Value)>,
}

/// Takes in the server's answer to a save of `sent`, while the person's text is now
/// `local`; `theirs` is the server's copy and `server_conflicts` the fields it
/// could not merge.
pub fn take_in(sent: &Value, local: &Value, theirs: &Value, server_conflicts: Vec<Path>) -> TakenIn {
    let merged = merge::merge(sent, local, theirs);
    let mut out = merged.doc;
    // Conflicts the server found with what was sent, and those between the server's
    // text and what the person typed while the save travelled.
    let mut paths = server_conflicts;
    paths.extend(merged.conflicts.into_iter().map(|c| c.path));
    paths.sort();
    paths.dedup();
    let conflicts = paths
        .into_iter()
        .map(|path| {
            merge::set(&mut out, &path, merge::get(local, &path).clone());
            let other = merge::get(theirs, &path).clone();
            (path, other)
        })
        .collect();
    TakenIn { local: out, conflicts }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![Just(String::new()), Just("a".to_string()), Just("b".to_string()), Just("c".to_string())]
    }

    proptest! {
        /// Whatever the server holds, a field the person typed is never lost: the
        /// device keeps it, or the server has it already; and where the two differ,
        /// a conflict or the local text waits to be sent.
        #[test]
        fn a_typed_field_is_never_lost(base in text(), mine in text(), theirs in text(), during in proptest::option::of(text()), other in text()) {
            let doc = |a: &str, b: &str| json!({"a": a, "b": b});
            let start = doc(&base, "");
            let sent = doc(&mine, "");
            let local = during.as_deref().map_or_else(|| sent.clone(), |t| doc(t, ""));
            // What the server does: the same three-way merge against its own copy.
            let m = merge::merge(&start, &sent, &doc(&theirs, &other));
            let server_conflicts = m.conflicts.iter().map(|c| c.path.clone()).collect();
            let got = take_in(&sent, &local, &m.doc, server_conflicts);
            let latest = during.unwrap_or(mine);
            // The other field, which only the server changed, follows the server.
            prop_assert_eq!(&got.local["b"], &m.doc["b"]);
            prop_assume!(latest != base);
            prop_assert!(got.local["a"] == latest.as_str() || m.doc["a"] == latest.as_str());
            if got.local["a"] != m.doc["a"] {
                prop_assert!(got.conflicts.iter().any(|(p, _)| p == &vec!["a".to_string()]) || got.local != m.doc);
            }
        }
    }

    #[test]
    fn a_conflict_keeps_the_persons_text_and_the_other_one() {
        let sent = json!({"goal": "5 osób"});
        let theirs = json!({"goal": "6 osób"});
        let got = take_in(&sent, &sent, &theirs, vec![vec!["goal".into()]]);
        assert_eq!(got.local, sent);
        assert_eq!(got.conflicts, vec![(vec!["goal".to_string()], json!("6 osób"))]);
    }
}
