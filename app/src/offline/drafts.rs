//! What pages keep on the device and read back: case documents and notes, and the
//! one draft channel for documents saved whole and merged field by field on the
//! server (the reports' narratives and the partnership documents); which copy a
//! page shows.

use domain::api::ClientRecord;
use domain::docs::DocType;
use domain::draft::Draft;
use domain::outbox::{DeviceStore, Kept};
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

    /// The server's copy of a whole document (a report, a partnership document),
    /// kept to read and write it offline; it becomes the draft unless the device has
    /// changes of its own.
    pub fn keep<W: Kept>(self, server: W) {
        self.mutate(|s| s.draft(&server.key(), Some(&server)).refresh(server.clone()));
    }

    /// A whole document typed on this device: kept encrypted, sent soon.
    pub fn edit_draft<W: Kept>(self, key: &W::Key, server: Option<W>, local: W::Content) {
        self.mutate(|s| s.draft(key, server.as_ref()).edit(local));
        self.sync_soon(1500);
    }

    /// The person asked for the document's closing step (the report marked final).
    pub fn finalise<W: Kept>(self, key: &W::Key) {
        self.mutate(|s| s.draft::<W>(key, None).finalise = true);
        self.sync_soon(200);
    }

    /// The person chose between their text and the other one at `path`.
    pub fn resolve_draft<W: Kept>(self, key: &W::Key, path: &[String], keep_mine: bool) {
        self.mutate(|s| s.draft::<W>(key, None).resolve(path, keep_mine));
        self.sync_soon(1500);
    }

    /// Forgets the device's changes (after the server refused them for good).
    pub fn discard_draft<W: Kept>(self, key: &W::Key) {
        self.mutate(|s| s.draft::<W>(key, None).discard());
    }

    pub fn draft<W: Kept>(self, key: &W::Key) -> Option<Draft<W>> {
        self.store.with(|s| s.as_ref().and_then(|s| s.draft_of::<W>(key).cloned()))
    }

    pub fn add_note(self, client: Uuid, text: String) {
        self.mutate(|s| {
            s.add_note(client, text, now_ms());
        });
        self.sync_soon(300);
    }

    /// The one draft channel: sends the drafts of one kind that wait on the device,
    /// one merged save each, and takes each answer in.
    pub(super) async fn send_drafts<W: Kept>(self) -> Result<(), SyncError> {
        let ready: Vec<(W::Key, W::Save)> = self.store.with_untracked(|s| {
            s.as_ref().map(|s| W::kept(s).iter().filter(|d| d.ready()).map(|d| (d.key.clone(), d.request())).collect()).unwrap_or_default()
        });
        for (key, req) in ready {
            let answer = api::put_merged::<_, W::Saved>(&W::save_path(&key), &req).await;
            let outcome = merged_save(answer)?;
            self.store.update(|s| {
                let Some(s) = s else { return };
                let Some(draft) = W::kept_mut(s).iter_mut().find(|d| d.key == key) else { return };
                match outcome {
                    Ok(saved) => draft.saved(&req, saved),
                    Err(errors) => draft.refused(errors),
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
        Err(ApiError::Unreachable) => Err(SyncError::Unreachable),
        Err(other) => Err(SyncError::Failed(other.message())),
    }
}
