//! Push and pull: the outbox sent in batches (frozen on the device first), the
//! drafts' saves, then the caseload fetched; a failure retries with backoff.

use std::time::Duration;

use domain::api::ClientRecord;
use domain::docs::DocType;
use domain::partnership::PartnershipDoc;
use domain::report::MonthlyReport;
use domain::outbox::DeviceStore;
use domain::sync::{Caseload, PushRequest, PushResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;

use super::{device_id, now_ms, sleep, Lock, Offline, Phase};
use crate::api::{self, ApiError};

/// How often a device retries a server that refused the connection.
const UNREACHABLE_RETRY_MS: u64 = 3000;

/// A failure that took this long was a wait for an answer, not a refused connection.
const SLOW_FAILURE_MS: i64 = 5000;

/// Mutations per push; the server takes up to `domain::sync::MAX_BATCH`.
const BATCH: usize = 200;

#[derive(Debug)]
pub(super) enum SyncError {
    SignedOut,
    Unreachable,
    Failed(String),
}

impl Offline {
    /// Schedules a sync; a sooner request replaces a later one.
    pub fn sync_soon(self, ms: u64) {
        if let Some(h) = self.sync_timer.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(move || spawn_local(self.sync()), Duration::from_millis(ms)).ok();
        self.sync_timer.set_value(h);
    }

    pub async fn sync(self) {
        if self.running.get_value() || self.lock.get_untracked() != Lock::Open || !self.online.get_untracked() {
            return;
        }
        self.running.set_value(true);
        let started = now_ms();
        let result = self.sync_inner().await;
        self.running.set_value(false);
        match result {
            Ok(()) => {
                self.backoff.set_value(0);
                self.phase.set(Phase::Idle);
            }
            Err(SyncError::SignedOut) => self.phase.set(Phase::SignedOut),
            Err(SyncError::Unreachable) => {
                self.phase.set(Phase::Unreachable);
                if now_ms() - started < SLOW_FAILURE_MS {
                    // A refused connection costs nothing: trying every 3 s is the probe
                    // that sends waiting changes within seconds of the server's return.
                    self.sync_soon(UNREACHABLE_RETRY_MS);
                } else {
                    // No answer in time (a hung or overloaded server, a proxy's 504): back
                    // off rather than pile every device's batch on it every few seconds.
                    let n = (self.backoff.get_value() + 1).min(8);
                    self.backoff.set_value(n);
                    self.sync_soon(1000 * (1u64 << n));
                }
            }
            Err(SyncError::Failed(why)) => {
                let n = (self.backoff.get_value() + 1).min(8);
                self.backoff.set_value(n);
                self.phase.set(Phase::Failed(why));
                // 2 s, 4 s, … up to about 4 minutes; the online event cuts it short.
                self.sync_soon(1000 * (1u64 << n));
            }
        }
    }

    async fn sync_inner(self) -> Result<(), SyncError> {
        let device = device_id();
        let lang = crate::i18n::current_lang();
        let total = self.store.with_untracked(|s| s.as_ref().map(DeviceStore::waiting).unwrap_or(0));
        let mut done = 0;
        let mut touched: Vec<Uuid> = Vec::new();
        loop {
            let mut batch = Vec::new();
            let memberships = self.me.get_untracked().map(|m| m.memberships).unwrap_or_default();
            self.store.update(|s| {
                if let Some(s) = s {
                    batch = s.next_batch(BATCH, lang, api::today(), &memberships);
                }
            });
            if batch.is_empty() {
                break;
            }
            // Sent changes are frozen on the device before they leave it.
            if !self.write().await {
                return Err(SyncError::Failed("storage".into()));
            }
            self.phase.set(Phase::Syncing { done, total: total.max(done + batch.len()) });
            let n = batch.len();
            let answer: PushResponse = api::post("/api/v1/sync/push", &PushRequest { device_id: device, mutations: batch })
                .await
                .map_err(|e| match e {
                    ApiError::Unauthorized => SyncError::SignedOut,
                    ApiError::Unreachable => SyncError::Unreachable,
                    other => SyncError::Failed(other.message()),
                })?;
            self.store.update(|s| {
                if let Some(s) = s {
                    for id in s.apply_results(&answer.results, now_ms()) {
                        if !touched.contains(&id) {
                            touched.push(id);
                        }
                    }
                }
            });
            self.write().await;
            done += n;
            self.phase.set(Phase::Syncing { done, total: total.max(done) });
        }
        self.send_drafts::<MonthlyReport>().await?;
        self.send_drafts::<PartnershipDoc>().await?;
        let mut caseload: Caseload = api::get("/api/v1/sync/caseload").await.map_err(|e| match e {
            ApiError::Unauthorized => SyncError::SignedOut,
            ApiError::Unreachable => SyncError::Unreachable,
            other => SyncError::Failed(other.message()),
        })?;
        let mut others = Vec::new();
        let in_caseload = |c: &Caseload, id: Uuid| c.clients.iter().any(|r| r.id == id) || c.documents.iter().any(|d| d.id == id);
        // The clients whose changes this sync sent: their pages read the server's copy
        // again even when it did not move (every field a conflict, say).
        let sent: Vec<Uuid> = self.store.with_untracked(|s| {
            touched.iter().map(|id| s.as_ref().and_then(|s| s.docs.get(id)).and_then(|d| d.client_id(*id)).unwrap_or(*id)).collect()
        });
        let touched: Vec<Uuid> = touched.into_iter().filter(|id| !in_caseload(&caseload, *id)).collect();
        for id in touched {
            let is_doc = self.store.with_untracked(|s| s.as_ref().and_then(|s| s.docs.get(&id)).is_some_and(|d| d.doc_type != DocType::Client));
            if is_doc {
                // A case document of a client outside the caseload: its fresh copy.
                if let Ok(d) = api::get::<domain::docs::DocRecord>(&format!("/api/v1/documents/{id}")).await {
                    // Its client too, so the device keeps the document: a client whose
                    // support just ended has left the caseload but is still being written.
                    let client = d.client_id;
                    caseload.documents.push(d);
                    if !in_caseload(&caseload, client) && !others.iter().any(|r: &ClientRecord| r.id == client) {
                        if let Ok(r) = api::get::<ClientRecord>(&format!("/api/v1/clients/{client}")).await {
                            others.push(r);
                        }
                    }
                }
                continue;
            }
            if let Ok(r) = api::get::<ClientRecord>(&format!("/api/v1/clients/{id}")).await {
                others.push(r);
                if let Ok(list) = api::get::<Vec<domain::sync::ConflictView>>(&format!("/api/v1/clients/{id}/conflicts")).await {
                    caseload.conflicts.extend(list.into_iter().filter(|c| c.resolved_at.is_empty()));
                }
            }
        }
        let mut changed = sent;
        self.store.update(|s| {
            if let Some(s) = s {
                changed.extend(s.refresh(caseload, others, now_ms()));
            }
        });
        changed.sort_unstable();
        changed.dedup();
        if !changed.is_empty() {
            self.changes.update(|(n, ids)| {
                *n += 1;
                *ids = changed;
            });
        }
        self.write().await;
        Ok(())
    }

    /// Writes, syncs and waits (up to `max_ms`) until this document's changes have
    /// an answer. Returns the server's field errors, if it refused them.
    pub async fn settle(self, doc: Uuid, max_ms: u32) -> Vec<domain::validation::FieldError> {
        self.write().await;
        let mut waited = 0;
        loop {
            if !self.running.get_value() {
                self.sync().await;
            }
            let (pending, errors) = self.store.with_untracked(|s| {
                s.as_ref().map(|s| (s.has_pending(doc), s.docs.get(&doc).map(|d| d.errors.clone()).unwrap_or_default())).unwrap_or_default()
            });
            if !errors.is_empty() || !pending || !self.online.get_untracked() || waited >= max_ms || self.lock.get_untracked() != Lock::Open {
                return errors;
            }
            sleep(200).await;
            waited += 200;
        }
    }
}
