//! The one rule by which a device keeps a document it saves whole with the text it
//! started from — the monthly report's narrative and the partnership's documents:
//! the device sends `base` (what it started from) and its text, the server merges
//! three-way and answers with its copy and the fields both sides changed. Taking that
//! answer in, the device keeps what the person typed while the save travelled, and
//! for every conflicting field keeps the person's text and remembers the other one,
//! so nothing is sent for that document until the person chooses.
//!
//! `report::draft` and `partnership::draft` hold their own typed state around this.

use serde_json::Value;

use crate::merge::{self, Path};

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
