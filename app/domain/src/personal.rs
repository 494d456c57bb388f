//! What the system holds about one person, as GDPR art. 15 (access) and art. 20
//! (portability) ask for it: the record, every case document and each of its stored
//! versions, the dated notes and who read or changed the data. The server gathers it;
//! this module turns it into the tables a spreadsheet, a CSV file and the printable
//! page show, so the three say the same thing.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

#[cfg(feature = "openapi")]
use utoipa::ToSchema;

use crate::api::{AuditEntry, ClientRecord};
use crate::docs::{field_labels, DocRecord, DocType};
use crate::i18n::t;
use crate::merge::{self, ROW};
use crate::sync::{ConflictView, HeldChange, Note};
use crate::validation::format_timestamp_warsaw;
use crate::Lang;

/// The file's format name, so a program reading it knows what it holds.
pub const FORMAT: &str = "sciezka-personal-data-1";

/// Everything held about one client.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct PersonalData {
    /// [`FORMAT`].
    pub format: String,
    /// Warsaw time, `dd.mm.rrrr HH:MM`.
    pub exported_at: String,
    pub exported_by: String,
    pub partnership: String,
    pub client: ClientRecord,
    /// The case documents as they are now.
    pub documents: Vec<DocRecord>,
    /// Every stored version of the record and of each document, oldest first.
    pub versions: Vec<StoredVersion>,
    pub notes: Vec<Note>,
    /// Edits two people made to the same field, with both values and the decision.
    #[serde(default)]
    pub conflicts: Vec<ConflictView>,
    /// Changes held for a coordinator (a revoked device, a restriction), whole.
    #[serde(default)]
    pub held: Vec<HeldChange>,
    /// Who read or changed the person's data, and when, oldest first.
    pub access: Vec<AuditEntry>,
    /// False when the access log held more than one export carries: the oldest
    /// entries are then in the access log's own export.
    #[serde(default = "complete")]
    pub access_complete: bool,
}

fn complete() -> bool {
    true
}

/// One stored version of the client record or of a case document, whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(ToSchema))]
pub struct StoredVersion {
    pub doc_type: DocType,
    pub doc_id: Uuid,
    pub revision: i64,
    /// Warsaw time, `dd.mm.rrrr HH:MM`.
    pub at: String,
    pub by: String,
    /// The JSON Pointers this version changed.
    pub changed: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Value,
}

/// One table of the export: its title's label key, a sheet name and its rows (the
/// first is the header).
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub title: &'static str,
    pub sheet: &'static str,
    pub rows: Vec<Vec<String>>,
}

/// The export as tables: the record, the documents, the versions, the notes and the
/// access log, headed in `lang`.
pub fn tables(d: &PersonalData, lang: Lang) -> Vec<Table> {
    let head = |keys: &[&str]| keys.iter().map(|k| t(lang, k).to_string()).collect::<Vec<_>>();

    let mut record = vec![head(&["personal.field", "personal.value"])];
    for (key, value) in [
        ("personal.status", t(lang, &format!("client.status.{}", d.client.status)).to_string()),
        ("client.key_consultant", d.client.key_consultant_name.clone()),
        ("personal.created_at", d.client.created_at.clone()),
        ("personal.updated_at", d.client.updated_at.clone()),
    ] {
        if !value.is_empty() {
            record.push(vec![t(lang, key).to_string(), value]);
        }
    }
    let data = serde_json::to_value(&d.client.data).unwrap_or(Value::Null);
    for field in CLIENT_FIELDS {
        if let Some((label, value)) = data.get(field).and_then(|v| leaf(DocType::Client, &[field.to_string()], None, v, lang)) {
            record.push(vec![label, value]);
        }
    }

    let mut documents = vec![head(&["personal.document", "personal.field", "personal.value"])];
    for doc in &d.documents {
        let name = t(lang, doc.doc_type.label_key()).to_string();
        documents.extend(fields(doc.doc_type, &doc.data, lang).into_iter().map(|(label, value)| vec![name.clone(), label, value]));
    }

    let mut versions = vec![head(&["personal.document", "personal.revision", "personal.at", "personal.by", "personal.field", "personal.value"])];
    for v in &d.versions {
        let name = t(lang, v.doc_type.label_key()).to_string();
        let all = fields_by_pointer(v.doc_type, &v.data, lang);
        // A version's rows are the fields it changed, with the value it gave them; a
        // field it emptied shows empty.
        let changed: Vec<(String, String)> = if v.changed.is_empty() {
            all.iter().map(|(_, label, value)| (label.clone(), value.clone())).collect()
        } else {
            v.changed
                .iter()
                .flat_map(|p| {
                    let under: Vec<(String, String)> =
                        all.iter().filter(|(q, ..)| q == p || q.starts_with(&format!("{p}/"))).map(|(_, l, v)| (l.clone(), v.clone())).collect();
                    if under.is_empty() { vec![(label_of(v.doc_type, p, lang), String::new())] } else { under }
                })
                .collect()
        };
        let at = |label: String, value: String| vec![name.clone(), v.revision.to_string(), v.at.clone(), v.by.clone(), label, value];
        if changed.is_empty() {
            versions.push(at(String::new(), String::new()));
        }
        versions.extend(changed.into_iter().map(|(l, value)| at(l, value)));
    }

    let mut notes = vec![head(&["personal.at", "personal.by", "personal.note"])];
    notes.extend(d.notes.iter().map(|n| vec![format_timestamp_warsaw(n.written_at / 1000), n.author_name.clone(), n.text.clone()]));

    let mut conflicts = vec![head(&["personal.document", "personal.field", "conflicts.base", "conflicts.mine", "conflicts.theirs", "personal.decision"])];
    conflicts.extend(d.conflicts.iter().map(|c| {
        let field = label_of(c.doc_type, &merge::pointer(&c.path), lang);
        let decided = match &c.resolution {
            Some(v) => format!("{} ({}, {})", shown(v), c.resolved_by, c.resolved_at),
            None => String::new(),
        };
        vec![
            t(lang, c.doc_type.label_key()).to_string(),
            field,
            shown(&c.base),
            format!("{} ({}, {})", shown(&c.mine), c.mine_by, c.mine_at),
            format!("{} ({}, {})", shown(&c.theirs), c.theirs_by, c.theirs_at),
            decided,
        ]
    }));

    let mut held = vec![head(&["personal.at", "personal.by", "personal.decision", "personal.change"])];
    held.extend(d.held.iter().map(|h| {
        let change = serde_json::to_string(&h.mutation.op).unwrap_or_default();
        let decision = if h.decision.is_empty() { String::new() } else { format!("{} ({})", h.decision, h.decided) };
        vec![h.received_at.clone(), h.user_name.clone(), decision, change]
    }));

    let mut access = vec![head(&["audit.at", "audit.who", "audit.action", "audit.detail"])];
    access.extend(d.access.iter().map(|e| vec![e.at.clone(), e.user_name.clone(), t(lang, &format!("audit.action.{}", e.action)).to_string(), e.detail.clone()]));

    vec![
        Table { title: "personal.record", sheet: "dane", rows: record },
        Table { title: "personal.documents", sheet: "dokumenty", rows: documents },
        Table { title: "personal.versions", sheet: "wersje", rows: versions },
        Table { title: "personal.notes", sheet: "adnotacje", rows: notes },
        Table { title: "personal.conflicts", sheet: "konflikty", rows: conflicts },
        Table { title: "personal.held", sheet: "wstrzymane", rows: held },
        Table { title: "personal.access", sheet: "dostep", rows: access },
    ]
}

/// The client record's fields in the order of its form. The partnership and the key
/// consultant are named above them; their ids say nothing more.
const CLIENT_FIELDS: &[&str] = &[
    "kind", "work_form", "surname", "first_names", "pesel", "id_document_type", "id_document_number", "birth_date", "sex", "name",
    "entity_type", "krs", "regon", "contact_person", "street_address", "postal_code", "city", "phone", "legal_basis", "information_date",
    "information_by", "consent", "consent_date", "consent_scope", "consent_withdrawn",
    "caseload_override_reason",
];

/// A document's filled fields as (label, value), in the document's order.
pub fn fields(kind: DocType, data: &Value, lang: Lang) -> Vec<(String, String)> {
    fields_by_pointer(kind, data, lang).into_iter().map(|(_, l, v)| (l, v)).collect()
}

/// (JSON Pointer, label, value) of every filled field. A table's row is named by its
/// number in the table; an empty text, an empty list and `null` hold nothing and are
/// left out.
fn fields_by_pointer(kind: DocType, data: &Value, lang: Lang) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    walk(kind, data, &mut Vec::new(), &mut Vec::new(), lang, &mut out);
    out
}

/// `path` holds the segments as the field labels and the merge name them (a row as
/// `#id`), `index` each segment's place (a row's index in its table).
fn walk(kind: DocType, v: &Value, path: &mut Vec<String>, index: &mut Vec<usize>, lang: Lang, out: &mut Vec<(String, String, String)>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                path.push(k.clone());
                index.push(0);
                walk(kind, child, path, index, lang, out);
                path.pop();
                index.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let id = child.get("id").and_then(Value::as_str).map(|id| format!("{ROW}{id}"));
                path.push(id.unwrap_or_else(|| i.to_string()));
                index.push(i);
                walk(kind, child, path, index, lang, out);
                path.pop();
                index.pop();
            }
        }
        other => {
            if let Some((label, value)) = leaf(kind, path, Some(index), other, lang) {
                out.push((merge::pointer(path), label, value));
            }
        }
    }
}

/// A filled field as (label, value): a choice as its form words it, a flag as yes or
/// no. `None` for what holds nothing and for what only links records (a row's id, the
/// document's client, the record's partnership and consultant, named elsewhere).
fn leaf(kind: DocType, path: &[String], index: Option<&[usize]>, v: &Value, lang: Lang) -> Option<(String, String)> {
    let last = path.last().map(String::as_str);
    let link = matches!(last, Some("client_id" | "partnership_id" | "key_consultant_id"));
    if (last == Some("id") && path.len() > 1) || (path.len() == 1 && link) {
        return None;
    }
    let raw = match v {
        Value::Null => return None,
        Value::String(s) if s.is_empty() => return None,
        Value::Bool(b) => return Some((label(kind, path, index, lang).0, t(lang, if *b { "personal.yes" } else { "personal.no" }).to_string())),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if kind != DocType::Client && path.len() == 1 && last == Some("status") {
        return Some((t(lang, "personal.status").to_string(), option(lang, "personal.doc_status", &raw)));
    }
    let (label, key) = label(kind, path, index, lang);
    let value = key.map(|k| option(lang, k, &raw)).unwrap_or(raw);
    Some((label, value))
}

/// A choice's words (`{field's key}.{value}`), or the value itself where it has none.
fn option(lang: Lang, field: &str, raw: &str) -> String {
    let key = format!("{field}.{raw}");
    match t(lang, &key) {
        text if text == key => raw.to_string(),
        text => text.to_string(),
    }
}

/// A field's label as its form shows it, with its table and the row's number, and the
/// field's label key; a field no form shows keeps its path, so nothing held goes unnamed.
fn label(kind: DocType, path: &[String], index: Option<&[usize]>, lang: Lang) -> (String, Option<&'static str>) {
    if kind == DocType::Client {
        let key = format!("client.{}", path.join("."));
        return match crate::i18n::all_strings().find(|(k, ..)| *k == key) {
            Some((k, ..)) => (t(lang, k).to_string(), Some(k)),
            None => (path.join("."), None),
        };
    }
    let row = path.iter().rposition(|s| s.starts_with(ROW));
    match field_labels::field_label(kind, path) {
        Some((section, field)) => {
            let text = match (section, row.and_then(|at| index?.get(at))) {
                (Some(s), Some(i)) => format!("{} – {} {}: {}", t(lang, s), t(lang, "personal.row"), i + 1, t(lang, field)),
                (Some(s), None) => format!("{}: {}", t(lang, s), t(lang, field)),
                (None, _) => t(lang, field).to_string(),
            };
            (text, Some(field))
        }
        None => (merge::pointer(path), None),
    }
}

/// A stored value as a cell shows it: a text as it is, anything else as JSON.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The label of a pointer a version changed that holds nothing now (an emptied field).
fn label_of(kind: DocType, pointer: &str, lang: Lang) -> String {
    let path: Vec<String> = pointer.trim_start_matches('/').split('/').map(ToString::to_string).collect();
    label(kind, &path, None, lang).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::ClientInput;
    use serde_json::json;

    fn held() -> PersonalData {
        let mut data = ClientInput::empty(Uuid::nil());
        data.surname = "Wiśniewska".into();
        data.consent = true;
        let ipd = json!({"goal": "Praca", "social": {"tasks_ops": [{"id": "a1", "task": "Terapia"}, {"id": "b2", "task": "Kurs"}]}, "notes": ""});
        PersonalData {
            format: FORMAT.into(),
            exported_at: String::new(),
            exported_by: "Koordynator".into(),
            partnership: "P".into(),
            client: ClientRecord { id: Uuid::nil(), status: "active".into(), key_consultant_name: "Anna".into(), caseload_override_by: String::new(), created_at: String::new(), updated_at: String::new(), version: 1, data, restriction: None },
            documents: vec![DocRecord { id: Uuid::nil(), doc_type: DocType::Ipd, client_id: Uuid::nil(), partnership_id: Uuid::nil(), version: 2, updated_at: String::new(), updated_by: String::new(), data: ipd.clone() }],
            versions: vec![StoredVersion { doc_type: DocType::Ipd, doc_id: Uuid::nil(), revision: 2, at: String::new(), by: "Anna".into(), changed: vec!["/social/tasks_ops/b2/task".into(), "/vanished".into()], data: ipd }],
            notes: Vec::new(),
            conflicts: Vec::new(),
            held: Vec::new(),
            access: Vec::new(),
            access_complete: true,
        }
    }

    #[test]
    fn fields_are_named_as_their_forms_name_them_with_the_row_number_and_empty_ones_left_out() {
        let tables = tables(&held(), Lang::Pl);
        let record = &tables[0].rows;
        assert!(record.contains(&vec!["Nazwisko".to_string(), "Wiśniewska".to_string()]), "{record:?}");
        assert!(record.iter().any(|r| r[1] == "tak"), "a true flag reads as a word: {record:?}");
        assert_eq!(record[3], vec![t(Lang::Pl, "client.kind").to_string(), "Osoba".to_string()], "a choice in words, in the form's order: {record:?}");
        assert!(!record.iter().any(|r| r[0].contains("partnership_id") || r[0].contains("key_consultant_id")), "{record:?}");
        let docs = &tables[1].rows;
        let labels: Vec<&str> = docs.iter().skip(1).map(|r| r[1].as_str()).collect();
        let second = format!("{} – wiersz 2: {}", t(Lang::Pl, "ipd.table.social.tasks_ops"), t(Lang::Pl, "ipd.col.task"));
        assert!(labels.contains(&second.as_str()), "{second} not in {labels:?}");
        assert!(!docs.iter().any(|r| r[2].is_empty()), "empty fields hold nothing: {docs:?}");
        assert!(!labels.iter().any(|l| l.ends_with("/id")), "a row's id is not a field: {labels:?}");
        // A version lists what it changed, with the value it gave; a field it emptied, empty.
        let versions = &tables[2].rows;
        assert_eq!(versions.len(), 3, "{versions:?}");
        assert_eq!(versions[1][5], "Kurs");
        assert_eq!((versions[2][4].as_str(), versions[2][5].as_str()), ("/vanished", ""));
        // Only the header where nothing is held.
        assert_eq!(tables[3].rows.len(), 1);
    }
}
