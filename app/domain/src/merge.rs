//! Field-level changes and the three-way merge of case documents.
//!
//! A device never sends "the document as I see it": it sends the changes it made,
//! each with the value it started from. The server applies a change only where the
//! field still holds that starting value; where someone else changed the same field
//! to something different, the change becomes a [`Conflict`] kept for a person to
//! resolve. So no value a person typed is ever silently overwritten, and a merge of
//! edits to different fields needs nobody.
//!
//! Documents are JSON objects. Lists whose items are all objects with a string `id`
//! (task tables, evaluations, services) are merged per row: a row is addressed by its
//! id, never by its position, so two devices adding rows both keep theirs. Any other
//! value (text, number, a list of ratings) is one field.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Where a field sits: object keys, and `#<id>` for a row of a row list.
pub type Path = Vec<String>;

pub const ROW: char = '#';

/// One edit: the field at `path` went from `old` to `new` on the device.
/// `Value::Null` stands for "absent" (a row added or deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    pub path: Path,
    pub old: Value,
    pub new: Value,
}

/// A change that met a different value typed by someone else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conflict {
    pub path: Path,
    /// The value both sides started from.
    pub base: Value,
    /// The value in the change being applied.
    pub mine: Value,
    /// The value the document holds now (kept until a person decides).
    pub theirs: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub doc: Value,
    pub conflicts: Vec<Conflict>,
    /// Whether any change was written into `doc`.
    pub changed: bool,
}

/// A JSON Pointer for messages and field errors: `/tasks/<id>/description`.
pub fn pointer(path: &[String]) -> String {
    path.iter().map(|s| format!("/{}", s.trim_start_matches(ROW))).collect()
}

fn row_id(v: &Value) -> Option<&str> {
    v.as_object()?.get("id")?.as_str()
}

/// A list merged per row: every item an object with a string id. An empty list
/// counts, so that the first row added to a new table merges as a row.
fn is_row_list(v: &Value) -> bool {
    v.as_array().is_some_and(|a| a.iter().all(|item| row_id(item).is_some()))
}

/// The changes that turn `base` into `mine`, as small as the structure allows.
pub fn diff(base: &Value, mine: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    diff_into(&mut Vec::new(), base, mine, &mut out);
    out
}

fn diff_into(path: &mut Path, base: &Value, mine: &Value, out: &mut Vec<Change>) {
    if base == mine {
        return;
    }
    match (base, mine) {
        (Value::Object(b), Value::Object(m)) => {
            let mut keys: Vec<&String> = b.keys().chain(m.keys().filter(|k| !b.contains_key(*k))).collect();
            keys.sort();
            for k in keys {
                path.push(k.clone());
                diff_into(path, b.get(k).unwrap_or(&Value::Null), m.get(k).unwrap_or(&Value::Null), out);
                path.pop();
            }
        }
        (Value::Array(b), Value::Array(m)) if is_row_list(base) && is_row_list(mine) => {
            for row in b {
                let id = row_id(row).unwrap_or_default();
                let other = m.iter().find(|r| row_id(r) == Some(id)).unwrap_or(&Value::Null);
                path.push(format!("{ROW}{id}"));
                diff_into(path, row, other, out);
                path.pop();
            }
            for row in m {
                let id = row_id(row).unwrap_or_default();
                if !b.iter().any(|r| row_id(r) == Some(id)) {
                    path.push(format!("{ROW}{id}"));
                    out.push(Change { path: path.clone(), old: Value::Null, new: row.clone() });
                    path.pop();
                }
            }
        }
        _ => out.push(Change { path: path.clone(), old: base.clone(), new: mine.clone() }),
    }
}

/// The value at `path`, `Null` when any part of it is absent.
pub fn get<'a>(doc: &'a Value, path: &[String]) -> &'a Value {
    let mut at = doc;
    for seg in path {
        at = match seg.strip_prefix(ROW) {
            Some(id) => at.as_array().and_then(|a| a.iter().find(|r| row_id(r) == Some(id))).unwrap_or(&Value::Null),
            None => at.as_object().and_then(|o| o.get(seg)).unwrap_or(&Value::Null),
        };
    }
    at
}

/// Writes `value` at `path`, creating what is missing on the way; `Null` at a row
/// removes the row.
pub fn set(doc: &mut Value, path: &[String], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        *doc = value;
        return;
    };
    let mut at = doc;
    for seg in parents {
        at = match seg.strip_prefix(ROW) {
            Some(id) => {
                let rows = as_array(at);
                let i = match rows.iter().position(|r| row_id(r) == Some(id)) {
                    Some(i) => i,
                    None => {
                        let mut row = Map::new();
                        row.insert("id".into(), Value::String(id.to_string()));
                        rows.push(Value::Object(row));
                        rows.len() - 1
                    }
                };
                &mut rows[i]
            }
            None => as_object(at).entry(seg.clone()).or_insert(Value::Null),
        };
    }
    match last.strip_prefix(ROW) {
        Some(id) => {
            let rows = as_array(at);
            let pos = rows.iter().position(|r| row_id(r) == Some(id));
            match (pos, value) {
                (Some(i), Value::Null) => {
                    rows.remove(i);
                }
                (Some(i), v) => rows[i] = v,
                (None, Value::Null) => {}
                (None, v) => rows.push(v),
            }
        }
        None => {
            as_object(at).insert(last.clone(), value);
        }
    }
}

fn as_array(v: &mut Value) -> &mut Vec<Value> {
    if !v.is_array() {
        *v = Value::Array(Vec::new());
    }
    match v {
        Value::Array(a) => a,
        _ => unreachable!("just made an array"),
    }
}

fn as_object(v: &mut Value) -> &mut Map<String, Value> {
    if !v.is_object() {
        *v = Value::Object(Map::new());
    }
    match v {
        Value::Object(o) => o,
        _ => unreachable!("just made an object"),
    }
}

/// Applies a device's changes to the document as it is now. A change lands where
/// the field still holds the value the device started from (or already holds the
/// new one); anywhere else it is a conflict and the current value stays.
pub fn apply(current: &Value, changes: &[Change]) -> Merged {
    let mut doc = current.clone();
    let mut conflicts = Vec::new();
    let mut changed = false;
    for c in changes {
        let now = get(&doc, &c.path);
        if *now == c.new {
            continue;
        }
        if *now == c.old {
            set(&mut doc, &c.path, c.new.clone());
            changed = true;
        } else {
            conflicts.push(Conflict { path: c.path.clone(), base: c.old.clone(), mine: c.new.clone(), theirs: now.clone() });
        }
    }
    Merged { doc, conflicts, changed }
}

/// The three-way merge: `theirs` with the edits that turned `base` into `mine`.
pub fn merge(base: &Value, mine: &Value, theirs: &Value) -> Merged {
    apply(theirs, &diff(base, mine))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    #[test]
    fn different_fields_merge_by_themselves() {
        let base = json!({"surname": "Nowak", "city": "Łódź", "phone": ""});
        let mine = json!({"surname": "Nowak", "city": "Kraków", "phone": ""});
        let theirs = json!({"surname": "Nowak", "city": "Łódź", "phone": "600100200"});
        let m = merge(&base, &mine, &theirs);
        assert_eq!(m.doc, json!({"surname": "Nowak", "city": "Kraków", "phone": "600100200"}));
        assert!(m.conflicts.is_empty());
    }

    #[test]
    fn the_same_field_typed_differently_is_a_conflict_that_keeps_both() {
        let base = json!({"city": "Łódź"});
        let m = merge(&base, &json!({"city": "Kraków"}), &json!({"city": "Gdańsk"}));
        assert_eq!(m.doc, json!({"city": "Gdańsk"}));
        assert_eq!(m.conflicts, vec![Conflict { path: vec!["city".into()], base: json!("Łódź"), mine: json!("Kraków"), theirs: json!("Gdańsk") }]);
        assert!(!m.changed);
    }

    #[test]
    fn rows_added_on_two_devices_are_both_kept() {
        let base = json!({"tasks": [{"id": "a", "what": "CV"}]});
        let mine = json!({"tasks": [{"id": "a", "what": "CV"}, {"id": "b", "what": "kurs"}]});
        let theirs = json!({"tasks": [{"id": "a", "what": "CV i list"}, {"id": "c", "what": "PUP"}]});
        let m = merge(&base, &mine, &theirs);
        assert!(m.conflicts.is_empty());
        assert_eq!(m.doc, json!({"tasks": [{"id": "a", "what": "CV i list"}, {"id": "c", "what": "PUP"}, {"id": "b", "what": "kurs"}]}));
    }

    #[test]
    fn a_row_deleted_on_one_device_and_edited_on_the_other_is_a_conflict() {
        let base = json!({"tasks": [{"id": "a", "what": "CV"}]});
        let m = merge(&base, &json!({"tasks": []}), &json!({"tasks": [{"id": "a", "what": "CV i list"}]}));
        assert_eq!(m.conflicts.len(), 1);
        assert_eq!(m.doc, json!({"tasks": [{"id": "a", "what": "CV i list"}]}));
        assert_eq!(pointer(&m.conflicts[0].path), "/tasks/a");
    }

    #[test]
    fn set_creates_and_removes_rows() {
        let mut doc = json!({});
        set(&mut doc, &["tasks".into(), "#x".into(), "what".into()], json!("CV"));
        assert_eq!(doc, json!({"tasks": [{"id": "x", "what": "CV"}]}));
        set(&mut doc, &["tasks".into(), "#x".into()], Value::Null);
        assert_eq!(doc, json!({"tasks": []}));
    }

    // Documents drawn from a small alphabet so that random edits often collide.
    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![Just(json!("")), Just(json!("a")), Just(json!("b")), Just(json!("ć")), Just(json!(1)), Just(json!(true))]
    }

    fn row(id: &'static str) -> impl Strategy<Value = Value> {
        (scalar(), scalar()).prop_map(move |(x, y)| json!({"id": id, "x": x, "y": y}))
    }

    fn rows() -> impl Strategy<Value = Value> {
        (proptest::option::of(row("r1")), proptest::option::of(row("r2")), proptest::option::of(row("r3")))
            .prop_map(|(a, b, c)| Value::Array([a, b, c].into_iter().flatten().collect()))
    }

    fn doc() -> impl Strategy<Value = Value> {
        (scalar(), scalar(), scalar(), rows()).prop_map(|(f, g, h, r)| json!({"f": f, "g": g, "h": h, "rows": r}))
    }

    /// Row order is presentation; equality of documents ignores it.
    fn normal(v: &Value) -> Value {
        match v {
            Value::Object(o) => Value::Object(o.iter().map(|(k, v)| (k.clone(), normal(v))).collect()),
            Value::Array(a) if is_row_list(v) => {
                let mut rows: Vec<Value> = a.iter().map(normal).collect();
                rows.sort_by(|x, y| row_id(x).cmp(&row_id(y)));
                Value::Array(rows)
            }
            other => other.clone(),
        }
    }

    proptest! {
        #[test]
        fn nothing_typed_by_either_side_disappears(base in doc(), mine in doc(), theirs in doc()) {
            let m = merge(&base, &mine, &theirs);
            for c in diff(&base, &mine) {
                let landed = *get(&m.doc, &c.path) == c.new;
                let kept = m.conflicts.iter().any(|k| k.path == c.path && k.mine == c.new);
                prop_assert!(landed || kept, "my change at {:?} vanished", c.path);
            }
            for c in diff(&base, &theirs) {
                let stayed = *get(&m.doc, &c.path) == c.new;
                let in_conflict = m.conflicts.iter().any(|k| {
                    (k.path.starts_with(&c.path) || c.path.starts_with(&k.path)) && (k.theirs == *get(&theirs, &k.path))
                });
                // Theirs is overwritten only where mine made the same field equal on purpose.
                let same = *get(&mine, &c.path) == c.new;
                prop_assert!(stayed || in_conflict || same, "their change at {:?} vanished", c.path);
            }
        }

        #[test]
        fn merging_is_idempotent(base in doc(), mine in doc(), theirs in doc()) {
            let once = merge(&base, &mine, &theirs);
            let twice = apply(&once.doc, &diff(&base, &mine));
            prop_assert_eq!(&twice.doc, &once.doc);
            prop_assert!(!twice.changed);
            let same = merge(&base, &mine, &mine);
            prop_assert_eq!(normal(&same.doc), normal(&mine));
            prop_assert!(same.conflicts.is_empty());
        }

        #[test]
        fn edits_to_different_fields_commute(base in doc(), a in doc(), b in doc(), owners in proptest::collection::vec(0u8..3, 4)) {
            // Each top-level field is edited by nobody, by me or by them, never by both.
            let (mut mine, mut theirs) = (base.clone(), base.clone());
            for (key, owner) in ["f", "g", "h", "rows"].iter().zip(&owners) {
                match owner {
                    1 => mine[*key] = a[*key].clone(),
                    2 => theirs[*key] = b[*key].clone(),
                    _ => {}
                }
            }
            let x = merge(&base, &mine, &theirs);
            let y = merge(&base, &theirs, &mine);
            prop_assert!(x.conflicts.is_empty() && y.conflicts.is_empty());
            prop_assert_eq!(normal(&x.doc), normal(&y.doc));
        }

        #[test]
        fn applying_my_own_diff_gives_my_document(base in doc(), mine in doc()) {
            let m = apply(&base, &diff(&base, &mine));
            prop_assert!(m.conflicts.is_empty());
            prop_assert_eq!(normal(&m.doc), normal(&mine));
        }
    }
}
