//! What a device keeps between syncs: its copy of the documents, the changes waiting
//! to be sent, what the server refused and the conflicts waiting for a person. Pure
//! data and rules; the browser stores it encrypted and runs the network around it.
//!
//! The device keeps the draft and its outbox entry in this one value, written in one
//! storage write, so a crash can never leave a draft without the change that sends it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;
use uuid::Uuid;

use crate::api::{ClientRecord, Membership};
use crate::docs::{client_of, doc_id_for, DocContext, DocRecord};
use crate::lang::Lang;
use crate::draft::{self, Draft, Whole};
use crate::merge::diff;
use crate::partnership::draft::DocDraft;
use crate::partnership::PartnershipDoc;
use crate::report::draft::ReportDraft;
use crate::report::MonthlyReport;
use crate::sync::{validate_doc, validate_note, Caseload, ConflictView, Mutation, MutationResult, Note, OlderNotes, Op, Outcome};
use crate::docs::DocType;
use crate::validation::FieldError;

/// The layout of [`DeviceStore`]; a device that finds an older one migrates it.
/// 2: one draft type for reports and partnership documents (a conflict is named by
/// its path; layout 1's report conflicts, named by field, still read).
pub const STORE_SCHEMA: u32 = 2;

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DeviceStore {
    pub schema: u32,
    #[serde(default)]
    pub docs: BTreeMap<Uuid, LocalDoc>,
    #[serde(default)]
    pub outbox: Vec<Pending>,
    #[serde(default)]
    pub rejected: Vec<Rejected>,
    #[serde(default)]
    pub conflicts: Vec<ConflictView>,
    #[serde(default)]
    pub notes: Vec<Note>,
    /// The consultant's own clients as of the last sync.
    #[serde(default)]
    pub caseload: Vec<Uuid>,
    /// When the last sync finished (ms since the epoch).
    #[serde(default)]
    pub last_sync: Option<i64>,
    /// Monthly reports' narratives written on this device.
    #[serde(default)]
    pub reports: Vec<ReportDraft>,
    /// The partnership's own documents written on this device.
    #[serde(default)]
    pub partnership_docs: Vec<DocDraft>,
    /// Clients whose older notes stayed on the server, as the last sync said.
    #[serde(default)]
    pub older_notes: Vec<OlderNotes>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalDoc {
    pub doc_type: DocType,
    /// The schema the draft was written in; see [`DocType::schema_version`].
    pub schema_version: u32,
    /// The last copy the server sent, of a client record.
    pub server: Option<ClientRecord>,
    /// The last copy the server sent, of a case document.
    #[serde(default)]
    pub record: Option<DocRecord>,
    /// The partnership a case document is checked against, as the editor knew it.
    #[serde(default)]
    pub partnership: Option<Uuid>,
    /// What the person sees and edits: the server copy with the device's changes.
    pub local: Value,
    /// The server's field errors from the last refusal, shown next to the fields.
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

impl LocalDoc {
    fn new(doc_type: DocType) -> LocalDoc {
        LocalDoc {
            doc_type,
            schema_version: doc_type.schema_version(),
            server: None,
            record: None,
            partnership: None,
            local: Value::Null,
            errors: Vec::new(),
        }
    }

    /// Written by an older version of the app: shown for review before it is sent.
    pub fn needs_review(&self) -> bool {
        self.schema_version < self.doc_type.schema_version()
    }

    /// The server's revision and data, if the server has the document.
    pub fn server_copy(&self) -> Option<(i64, Value)> {
        match (&self.server, &self.record) {
            (Some(r), _) => serde_json::to_value(&r.data).ok().map(|v| (r.version, v)),
            (None, Some(r)) => Some((r.version, r.data.clone())),
            (None, None) => None,
        }
    }

    /// The client this document belongs to (a client record is its own).
    pub fn client_id(&self, doc_id: Uuid) -> Option<Uuid> {
        match self.doc_type {
            DocType::Client => Some(doc_id),
            _ => self.record.as_ref().map(|r| r.client_id).or_else(|| client_of(&self.local)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pending {
    pub id: Uuid,
    pub written_at: i64,
    /// Once a change has been sent it never changes again: the server may have
    /// applied it already, and a resend must be the very same change.
    pub sent: bool,
    pub item: Item,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Item {
    /// A document went from `from` to `to`; `base_revision` is `None` for a
    /// document made on this device.
    Doc { doc_type: DocType, doc_id: Uuid, base_revision: Option<i64>, from: Value, to: Value },
    Note { note_id: Uuid, client_id: Uuid, text: String },
}

impl Item {
    pub fn doc_id(&self) -> Uuid {
        match self {
            Item::Doc { doc_id, .. } => *doc_id,
            Item::Note { client_id, .. } => *client_id,
        }
    }
}

/// A change the server refused, kept with its reasons until the person fixes it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    pub mutation_id: Uuid,
    pub doc_id: Uuid,
    pub at: i64,
    pub errors: Vec<FieldError>,
    /// A refused note keeps its text here, so nothing typed is lost.
    #[serde(default)]
    pub note_text: Option<String>,
}

impl Pending {
    pub fn mutation(&self) -> Mutation {
        let op = match &self.item {
            Item::Doc { doc_type, doc_id, base_revision: None, to, .. } => Op::Create { doc_type: *doc_type, doc_id: *doc_id, data: to.clone() },
            Item::Doc { doc_type, doc_id, base_revision: Some(r), from, to } => {
                Op::Edit { doc_type: *doc_type, doc_id: *doc_id, base_revision: *r, changes: diff(from, to) }
            }
            Item::Note { note_id, client_id, text } => Op::AddNote { note_id: *note_id, client_id: *client_id, text: text.clone() },
        };
        Mutation { id: self.id, written_at: self.written_at, op }
    }
}

/// A kind of whole document the device keeps drafts of, and where in the store.
pub trait Kept: Whole {
    fn kept(store: &DeviceStore) -> &[Draft<Self>];
    fn kept_mut(store: &mut DeviceStore) -> &mut Vec<Draft<Self>>;
}

impl Kept for MonthlyReport {
    fn kept(store: &DeviceStore) -> &[ReportDraft] {
        &store.reports
    }
    fn kept_mut(store: &mut DeviceStore) -> &mut Vec<ReportDraft> {
        &mut store.reports
    }
}

impl Kept for PartnershipDoc {
    fn kept(store: &DeviceStore) -> &[DocDraft] {
        &store.partnership_docs
    }
    fn kept_mut(store: &mut DeviceStore) -> &mut Vec<DocDraft> {
        &mut store.partnership_docs
    }
}

impl DeviceStore {
    pub fn new() -> DeviceStore {
        DeviceStore { schema: STORE_SCHEMA, ..Default::default() }
    }

    /// Changes waiting to be sent.
    pub fn waiting(&self) -> usize {
        self.outbox.len() + self.reports.iter().filter(|r| r.waiting()).count() + self.partnership_docs.iter().filter(|d| d.waiting()).count()
    }

    /// The draft of `key` on this device, made from the server's copy if there is none.
    pub fn draft<W: Kept>(&mut self, key: &W::Key, server: Option<&W>) -> &mut Draft<W> {
        draft::find(W::kept_mut(self), key, server)
    }

    /// The draft of `key`, if the device has one.
    pub fn draft_of<W: Kept>(&self, key: &W::Key) -> Option<&Draft<W>> {
        W::kept(self).iter().find(|d| &d.key == key)
    }

    pub fn open_conflicts(&self) -> usize {
        self.conflicts.iter().filter(|c| c.resolved_at.is_empty()).count()
    }

    pub fn has_pending(&self, doc: Uuid) -> bool {
        self.outbox.iter().any(|p| p.item.doc_id() == doc)
    }

    /// Records what the person now sees in a document. An unsent change to the same
    /// document takes the edit in; otherwise a new change starts where the previous
    /// one (or the server's copy) ended.
    pub fn edit(&mut self, doc_type: DocType, doc_id: Uuid, server: Option<&ClientRecord>, local: Value, now_ms: i64) {
        let doc = self.docs.entry(doc_id).or_insert_with(|| LocalDoc::new(doc_type));
        if doc.server.is_none() {
            doc.server = server.cloned();
        }
        self.record_edit(doc_type, doc_id, local, now_ms);
    }

    /// [`DeviceStore::edit`] for a case document, with the server's copy if it has one.
    pub fn edit_doc(&mut self, doc_type: DocType, doc_id: Uuid, partnership: Uuid, server: Option<&DocRecord>, local: Value, now_ms: i64) {
        let doc = self.docs.entry(doc_id).or_insert_with(|| LocalDoc::new(doc_type));
        if doc.record.is_none() {
            doc.record = server.cloned();
        }
        doc.partnership = Some(partnership);
        self.record_edit(doc_type, doc_id, local, now_ms);
    }

    fn record_edit(&mut self, doc_type: DocType, doc_id: Uuid, local: Value, now_ms: i64) {
        let Some(doc) = self.docs.get_mut(&doc_id) else { return };
        doc.local = local.clone();
        doc.schema_version = doc_type.schema_version();
        if let Some(p) = self.outbox.iter_mut().rev().find(|p| !p.sent && p.item.doc_id() == doc_id && matches!(p.item, Item::Doc { .. })) {
            if let Item::Doc { to, .. } = &mut p.item {
                *to = local;
                p.written_at = now_ms;
            }
            return;
        }
        let previous = self.outbox.iter().rev().find_map(|p| match &p.item {
            Item::Doc { doc_id: d, base_revision, to, .. } if *d == doc_id => Some((base_revision.unwrap_or(1), to.clone())),
            _ => None,
        });
        let server_copy = doc.server_copy();
        let (base_revision, from) = match (previous, server_copy) {
            (Some((r, to)), _) => (Some(r), to),
            (None, Some((r, v))) => (Some(r), v),
            (None, None) => (None, Value::Null),
        };
        if base_revision.is_some() && from == local {
            return;
        }
        self.outbox.push(Pending { id: Uuid::now_v7(), written_at: now_ms, sent: false, item: Item::Doc { doc_type, doc_id, base_revision, from, to: local } });
    }

    pub fn add_note(&mut self, client_id: Uuid, text: String, now_ms: i64) -> Uuid {
        let note_id = Uuid::now_v7();
        self.outbox.push(Pending { id: Uuid::now_v7(), written_at: now_ms, sent: false, item: Item::Note { note_id, client_id, text } });
        note_id
    }

    /// The notes of a client: confirmed ones and those still on the device, in the
    /// order they were written. The flag says "not yet sent".
    /// How many older notes of the client the device does not hold (read online).
    pub fn older_notes(&self, client: Uuid) -> i64 {
        self.older_notes.iter().find(|o| o.client_id == client).map_or(0, |o| o.count)
    }

    pub fn notes_of(&self, client: Uuid) -> Vec<(Note, bool)> {
        let mut out: Vec<(Note, bool)> = self.notes.iter().filter(|n| n.client_id == client).map(|n| (n.clone(), false)).collect();
        for p in &self.outbox {
            if let Item::Note { note_id, client_id, text } = &p.item {
                if *client_id == client && !out.iter().any(|(n, _)| n.id == *note_id) {
                    out.push((Note { id: *note_id, client_id: client, text: text.clone(), written_at: p.written_at, author_name: String::new() }, true));
                }
            }
        }
        out.sort_by_key(|(n, _)| (n.written_at, n.id));
        out
    }

    /// Freezes and returns the next changes to send, at most `max`, in the order they
    /// were made. A change that does not pass the shared validation stays on the
    /// device (its errors are shown in the form) and is not sent.
    pub fn next_batch(&mut self, max: usize, lang: Lang, today: Date, memberships: &[Membership]) -> Vec<Mutation> {
        let partnership_of: BTreeMap<Uuid, Uuid> = self.docs.iter().filter_map(|(id, d)| Some((*id, self.partnership_of(*id, d)?))).collect();
        let mut out = Vec::new();
        let mut blocked: Vec<Uuid> = Vec::new();
        for p in self.outbox.iter_mut() {
            if out.len() >= max {
                break;
            }
            let doc = p.item.doc_id();
            if blocked.contains(&doc) {
                continue;
            }
            if !p.sent {
                let review = self.docs.get(&doc).is_some_and(LocalDoc::needs_review);
                let partnership = match &p.item {
                    Item::Doc { doc_type: DocType::Client, to, .. } => to.get("partnership_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok()),
                    // A case document: its own partnership if the device knows it, else its client's.
                    Item::Doc { to, .. } => self.docs.get(&doc).and_then(|d| d.partnership.or(d.record.as_ref().map(|r| r.partnership_id)))
                        .or_else(|| client_of(to).and_then(|c| partnership_of.get(&c).copied())),
                    Item::Note { .. } => None,
                };
                let m = memberships.iter().find(|m| Some(m.partnership_id) == partnership);
                let ctx = DocContext {
                    today,
                    partners: m.map(|m| m.partners.as_slice()).unwrap_or_default(),
                    custom_services: m.map(|m| m.custom_services.as_slice()).unwrap_or_default(),
                };
                let ok = match &mut p.item {
                    Item::Doc { doc_type, to, .. } => match validate_doc(*doc_type, to, lang, &ctx) {
                        // Sent as the server will store it, so the next change starts from there.
                        Ok(normalised) if !review => {
                            *to = normalised;
                            true
                        }
                        _ => false,
                    },
                    Item::Note { text, .. } => validate_note(text, lang).is_ok(),
                };
                if !ok {
                    blocked.push(doc);
                    continue;
                }
                p.sent = true;
            }
            out.push(p.mutation());
        }
        out
    }

    /// The partnership a client (by its record on the device) belongs to.
    fn partnership_of(&self, id: Uuid, d: &LocalDoc) -> Option<Uuid> {
        if d.doc_type != DocType::Client {
            return None;
        }
        d.server.as_ref().map(|r| r.data.partnership_id).or_else(|| {
            d.local.get("partnership_id").and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
        }).filter(|_| !id.is_nil())
    }

    /// The device's copy of one of a client's case documents.
    pub fn case_doc(&self, client: Uuid, doc_type: DocType) -> Option<&LocalDoc> {
        self.docs.get(&doc_id_for(client, doc_type))
    }

    /// Takes in the server's answers. Returns the documents to refresh.
    pub fn apply_results(&mut self, results: &[MutationResult], now_ms: i64) -> Vec<Uuid> {
        let mut touched = Vec::new();
        for r in results {
            let Some(i) = self.outbox.iter().position(|p| p.id == r.mutation_id) else { continue };
            let p = self.outbox.remove(i);
            let doc_id = p.item.doc_id();
            if !touched.contains(&doc_id) {
                touched.push(doc_id);
            }
            match &r.outcome {
                Outcome::Applied { .. } | Outcome::Conflict { .. } => {
                    if let (Item::Doc { .. }, Some(doc)) = (&p.item, self.docs.get_mut(&doc_id)) {
                        doc.errors.clear();
                        self.rejected.retain(|x| x.doc_id != doc_id || x.note_text.is_some());
                    }
                    if let Item::Note { note_id, client_id, text } = &p.item {
                        if !self.notes.iter().any(|n| n.id == *note_id) {
                            self.notes.push(Note { id: *note_id, client_id: *client_id, text: text.clone(), written_at: p.written_at, author_name: String::new() });
                        }
                    }
                    if let Outcome::Conflict { conflicts, .. } = &r.outcome {
                        for c in conflicts {
                            if !self.conflicts.iter().any(|k| k.id == c.id) {
                                self.conflicts.push(c.clone());
                            }
                        }
                    }
                }
                Outcome::Held { message } => {
                    // Kept on the server for a coordinator; the draft stays as it is.
                    let note_text = match &p.item {
                        Item::Note { text, .. } => Some(text.clone()),
                        Item::Doc { .. } => None,
                    };
                    let errors = vec![FieldError { pointer: String::new(), code: "held".into(), message: message.clone() }];
                    self.rejected.push(Rejected { mutation_id: p.id, doc_id, at: now_ms, errors, note_text });
                }
                Outcome::Rejected { errors } => {
                    let note_text = match &p.item {
                        Item::Note { text, .. } => Some(text.clone()),
                        Item::Doc { .. } => {
                            if let Some(doc) = self.docs.get_mut(&doc_id) {
                                doc.errors = errors.clone();
                            }
                            // Later changes built on the refused one; the draft keeps them
                            // all and the next edit sends them from the server's copy.
                            self.outbox.retain(|q| !(q.item.doc_id() == doc_id && matches!(q.item, Item::Doc { .. }) && !q.sent));
                            None
                        }
                    };
                    self.rejected.push(Rejected { mutation_id: p.id, doc_id, at: now_ms, errors: errors.clone(), note_text });
                }
            }
        }
        touched
    }

    /// Takes in the server's copy of the caseload (and of other documents the device
    /// touched). Documents without waiting changes show the server's version; a
    /// document that left the caseload leaves the device unless it has unsent work.
    /// Takes the server's copies after a sync. Answers the clients whose server copy
    /// changed since the last one (their record, a document, a note, a conflict), so a
    /// page showing one of them reads it again, and no other page does.
    pub fn refresh(&mut self, caseload: Caseload, others: Vec<ClientRecord>, now_ms: i64) -> Vec<Uuid> {
        let changed = self.changed_by(&caseload, &others);
        let ids: Vec<Uuid> = caseload.clients.iter().map(|c| c.id).collect();
        let fresh: Vec<Uuid> = caseload.clients.iter().chain(others.iter()).map(|c| c.id).collect();
        for rec in caseload.clients.into_iter().chain(others) {
            let pending = self.has_pending(rec.id);
            let doc = self.docs.entry(rec.id).or_insert_with(|| LocalDoc::new(DocType::Client));
            if !pending && doc.errors.is_empty() {
                doc.local = serde_json::to_value(&rec.data).unwrap_or(Value::Null);
            }
            doc.server = Some(rec);
        }
        for rec in caseload.documents {
            let pending = self.has_pending(rec.id);
            let doc = self.docs.entry(rec.id).or_insert_with(|| LocalDoc::new(rec.doc_type));
            if !pending && doc.errors.is_empty() {
                doc.local = rec.data.clone();
            }
            doc.record = Some(rec);
        }
        let outbox = &self.outbox;
        // A document stays while its client does, or while it has work on it.
        self.docs.retain(|id, d| {
            let client = d.client_id(*id).unwrap_or(*id);
            ids.contains(&client)
                || fresh.contains(&client)
                || outbox.iter().any(|p| p.item.doc_id() == *id)
                || !d.errors.is_empty()
                || (d.server.is_none() && d.record.is_none())
        });
        self.notes.retain(|n| !fresh.contains(&n.client_id));
        self.notes.extend(caseload.notes);
        self.conflicts.retain(|c| !fresh.contains(&c.client_id));
        self.conflicts.extend(caseload.conflicts);
        self.older_notes.retain(|o| !fresh.contains(&o.client_id));
        self.older_notes.extend(caseload.older_notes);
        let docs = &self.docs;
        self.notes.retain(|n| docs.contains_key(&n.client_id));
        self.caseload = ids;
        self.last_sync = Some(now_ms);
        changed
    }

    fn changed_by(&self, caseload: &Caseload, others: &[ClientRecord]) -> Vec<Uuid> {
        let mut changed = std::collections::BTreeSet::new();
        for rec in caseload.clients.iter().chain(others) {
            if self.docs.get(&rec.id).and_then(|d| d.server.as_ref()).map(|s| s.version) != Some(rec.version) {
                changed.insert(rec.id);
            }
        }
        for rec in &caseload.documents {
            if self.docs.get(&rec.id).and_then(|d| d.record.as_ref()).map(|r| r.version) != Some(rec.version) {
                changed.insert(rec.client_id);
            }
        }
        let fresh: Vec<Uuid> = caseload.clients.iter().chain(others).map(|c| c.id).collect();
        // A client who left the caseload (support ended, another consultant): a page
        // showing them reads their record again.
        changed.extend(self.caseload.iter().filter(|id| !fresh.contains(id)).copied());
        let notes = |list: &mut dyn Iterator<Item = &Note>| list.filter(|n| fresh.contains(&n.client_id)).map(|n| (n.client_id, n.id)).collect::<std::collections::BTreeSet<_>>();
        let (before, after) = (notes(&mut self.notes.iter()), notes(&mut caseload.notes.iter()));
        changed.extend(before.symmetric_difference(&after).map(|(client, _)| *client));
        let conflicts = |list: &mut dyn Iterator<Item = &ConflictView>| {
            list.filter(|c| fresh.contains(&c.client_id)).map(|c| (c.client_id, c.id, c.resolved_at.clone())).collect::<std::collections::BTreeSet<_>>()
        };
        let (before, after) = (conflicts(&mut self.conflicts.iter()), conflicts(&mut caseload.conflicts.iter()));
        changed.extend(before.symmetric_difference(&after).map(|(client, ..)| *client));
        changed.into_iter().collect()
    }
}

#[cfg(test)]
mod tests;
