//! What pages keep on the device and read back: case documents and notes, and the
//! two draft channels merged field by field on the server (the reports' narratives
//! and the partnership documents); which copy a page shows.

use domain::api::ClientRecord;
use domain::docs::DocType;
use domain::outbox::DeviceStore;
use domain::partnership::draft::DocDraft;
use domain::partnership::{DocSave, DocSaved, Kind, PartnershipDoc};
use domain::report::draft::ReportDraft;
use domain::report::{MonthlyReport, Narrative, ReportSave, ReportSaved};
use domain::validation::FieldError;
use leptos::prelude::*;
use uuid::Uuid;

use super::sync::SyncError;
use super::{now_ms, Offline};
use crate::api::{self, ApiError};

impl Offline {
    /// A person typed in a document: keep it on the device and send it soon.
    pub fn edit(self, doc_type: DocType, doc_id: Uuid, server: Option<ClientRecord>, local: serde_json::Value) {
        self.mutate(|s| s.edit(doc_type, doc_id, server.as_ref(), local, now_ms()));
        self.sync_soon(1500);
    }

    /// [`Offline::edit`] for a case document, with the server's copy if there is one.
    pub fn edit_doc(self, doc_type: DocType, doc_id: Uuid, partnership: Uuid, server: Option<domain::docs::DocRecord>, local: serde_json::Value) {
        self.mutate(|s| s.edit_doc(doc_type, doc_id, partnership, server.as_ref(), local, now_ms()));
        self.sync_soon(1500);
    }

    /// A report's narrative typed on this device: kept encrypted, sent soon.
    pub fn edit_report(self, partnership: Uuid, month: &str, server: Option<MonthlyReport>, local: Narrative) {
        self.mutate(|s| s.report(partnership, month, server.as_ref()).edit(local));
        self.sync_soon(1500);
    }

    /// The server's copy of a report, kept to read and write it offline; it becomes
    /// the draft unless the device has changes of its own.
    pub fn keep_report(self, server: MonthlyReport) {
        let (p, m) = (server.partnership_id, server.month.clone());
        self.mutate(|s| s.report(p, &m, Some(&server)).refresh(server));
    }

    pub fn finalise_report(self, partnership: Uuid, month: &str) {
        self.mutate(|s| s.report(partnership, month, None).finalise = true);
        self.sync_soon(200);
    }

    pub fn resolve_report(self, partnership: Uuid, month: &str, field: &str, keep_mine: bool) {
        self.mutate(|s| s.report(partnership, month, None).resolve(field, keep_mine));
        self.sync_soon(1500);
    }

    /// Forgets the device's changes to a report (after the server refused them for good).
    pub fn discard_report(self, partnership: Uuid, month: &str) {
        self.mutate(|s| {
            let d = s.report(partnership, month, None);
            d.local = d.base.clone();
            d.finalise = false;
            d.conflicts.clear();
            d.errors.clear();
        });
    }

    pub fn report_draft(self, partnership: Uuid, month: &str) -> Option<ReportDraft> {
        self.store.with(|s| s.as_ref().and_then(|s| s.reports.iter().find(|r| r.is(partnership, month)).cloned()))
    }

    /// The server's copy of a partnership document, kept to work on it offline.
    pub fn keep_partnership_doc(self, server: PartnershipDoc) {
        self.mutate(|s| s.partnership_doc(&server).refresh(server.clone()));
    }

    /// A partnership document changed on this device: kept encrypted, sent soon.
    pub fn edit_partnership_doc(self, server: PartnershipDoc, local: serde_json::Value) {
        self.mutate(|s| s.partnership_doc(&server).edit(local));
        self.sync_soon(1500);
    }

    pub fn resolve_partnership_doc(self, server: PartnershipDoc, path: Vec<String>, keep_mine: bool) {
        self.mutate(|s| s.partnership_doc(&server).resolve(&path, keep_mine));
        self.sync_soon(1500);
    }

    /// Forgets the device's changes to a partnership document.
    pub fn discard_partnership_doc(self, server: PartnershipDoc) {
        self.mutate(|s| {
            let d = s.partnership_doc(&server);
            d.local = d.base.clone();
            d.conflicts.clear();
            d.errors.clear();
        });
    }

    pub fn partnership_doc_draft(self, partnership: Uuid, kind: Kind, key: &str) -> Option<DocDraft> {
        self.store.with(|s| s.as_ref().and_then(|s| s.partnership_docs.iter().find(|d| d.is(partnership, kind, key)).cloned()))
    }

    pub fn add_note(self, client: Uuid, text: String) {
        self.mutate(|s| {
            s.add_note(client, text, now_ms());
        });
        self.sync_soon(300);
    }

    /// Sends the reports' narratives that wait on the device, one save each.
    pub(super) async fn send_reports(self) -> Result<(), SyncError> {
        let ready: Vec<(Uuid, String, ReportSave)> = self.store.with_untracked(|s| {
            s.as_ref().map(|s| s.reports.iter().filter(|r| r.ready()).map(|r| (r.partnership_id, r.month.clone(), r.request())).collect()).unwrap_or_default()
        });
        for (p, month, req) in ready {
            let answer = api::put_merged::<_, ReportSaved>(&format!("/api/v1/partnerships/{p}/reports/{month}"), &req).await;
            let outcome = merged_save(answer)?;
            self.store.update(|s| {
                let Some(s) = s else { return };
                let draft = s.report(p, &month, None);
                match outcome {
                    Ok(saved) => draft.saved(&req, saved),
                    Err(errors) => draft.errors = errors,
                }
            });
            self.write().await;
        }
        Ok(())
    }

    /// Sends the partnership documents that wait on the device, one save each.
    pub(super) async fn send_partnership_docs(self) -> Result<(), SyncError> {
        let ready: Vec<(Uuid, Kind, String, DocSave)> = self.store.with_untracked(|s| {
            s.as_ref().map(|s| s.partnership_docs.iter().filter(|d| d.ready()).map(|d| (d.partnership_id, d.kind, d.key.clone(), d.request())).collect()).unwrap_or_default()
        });
        for (p, kind, key, req) in ready {
            let url = format!("/api/v1/partnerships/{p}/docs/{}?key={key}", kind.as_str());
            let answer = api::put_merged::<_, DocSaved>(&url, &req).await;
            let find = |s: &mut DeviceStore| s.partnership_docs.iter().position(|d| d.is(p, kind, &key));
            let outcome = merged_save(answer)?;
            self.store.update(|s| {
                let Some(s) = s else { return };
                let Some(i) = find(s) else { return };
                match outcome {
                    Ok(saved) => s.partnership_docs[i].saved(&req, saved),
                    Err(errors) => s.partnership_docs[i].errors = errors,
                }
            });
            self.write().await;
        }
        Ok(())
    }

    /// The device's copy of a client: the server's last copy and what the person sees.
    pub fn cached(self, id: Uuid) -> Option<domain::outbox::LocalDoc> {
        self.store.with(|s| s.as_ref().and_then(|s| s.docs.get(&id).cloned()))
    }

    pub fn has_pending(self, id: Uuid) -> bool {
        self.store.with(|s| s.as_ref().is_some_and(|s| s.has_pending(id)))
    }

    pub fn waiting(self) -> usize {
        self.store.with(|s| s.as_ref().map(DeviceStore::waiting).unwrap_or(0))
    }
}

/// The newer of a page's fresh fetch and the device's copy. The device's copy is
/// refreshed by every fetch and every action's answer, so at the same version it
/// is the newer one; without it (drafts locked) the fetch is all there is.
pub fn newest<T>(fresh: Option<T>, kept: Option<T>, version: impl Fn(&T) -> i64) -> Option<T> {
    match (fresh, kept) {
        (Some(f), Some(k)) => Some(if version(&k) >= version(&f) { k } else { f }),
        (f, k) => f.or(k),
    }
}

/// What the answer to a merged save means on the device: stored, refused for good
/// (its errors stay with the draft until the person acts), or a failure the sync
/// retries.
fn merged_save<T>(answer: Result<T, ApiError>) -> Result<Result<T, Vec<FieldError>>, SyncError> {
    let refused = |message: String| vec![FieldError { pointer: String::new(), code: "refused".into(), message }];
    match answer {
        Ok(saved) => Ok(Ok(saved)),
        Err(ApiError::Unauthorized) => Err(SyncError::SignedOut),
        Err(ApiError::Invalid(errors, _)) => Ok(Err(errors)),
        Err(e @ (ApiError::Conflict(_) | ApiError::Forbidden(_) | ApiError::NotFound)) => Ok(Err(refused(e.message()))),
        Err(other) => Err(SyncError::Failed(other.message())),
    }
}
