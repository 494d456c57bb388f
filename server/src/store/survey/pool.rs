//! Answers held in this server process's memory until at least [`MIN_ANSWERS`] of a
//! round can be counted together. Nothing of an answer is written to storage before
//! its batch: a batch adds the sums of its answers to the counters and its texts as
//! loose rows, in random order, in one transaction. The batch leaves only when twice
//! the minimum wait, and takes a random half, so that at least [`MIN_ANSWERS`] stay
//! back for closing: the last batch of a round is never smaller than the others.
//!
//! Durability comes from the devices: a phone's script and a kiosk keep each answer
//! sealed to the server's key and send it again until they hear "counted". An
//! answer's id, chosen by the device, makes that resend count once: its hash is kept
//! in memory while the answer waits, and written as a receipt with its batch (until
//! the round closes). The README's threat model says what is lost in which failure.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use domain::survey::api::{Fate, Submission, MAX_SUBMISSION_ID};
use domain::survey::{self, SurveyAnswer, MIN_ANSWERS};
use domain::Lang;
use rand::seq::SliceRandom;
use sha2::{Digest, Sha256};
use sqlx::{Acquire, AnyConnection};
use tracing::Instrument;
use uuid::Uuid;

use super::rate::RateLimit;
use crate::db::Db;
use crate::error::AppError;

/// How many answers of a round make a batch.
const BATCH: usize = MIN_ANSWERS as usize;

/// A hex SHA-256 of `parts`, salted with the round so one table of precomputed
/// hashes serves no other round.
pub(crate) fn salted(round: &str, parts: &[&str]) -> String {
    let mut digest = Sha256::new().chain_update(round.as_bytes());
    for part in parts {
        digest.update(b":");
        digest.update(part.as_bytes());
    }
    digest.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn code_hash(round: &str, code: &str) -> String {
    salted(round, &[code])
}

/// What a used code is marked with: unrelated to the receipt of the same answer
/// unless one knows the answer's id, which only its device does.
fn spent_mark(round: &str, id: &str) -> String {
    salted(round, &["spent", id])
}

fn receipt(round: &str, id: &str) -> String {
    salted(round, &["counted", id])
}

/// One answer checked against the rules, on its way in.
pub(crate) struct Incoming {
    pub answer: SurveyAnswer,
    pub code: Option<String>,
    /// The device's id for the answer; without one, it cannot be sent again.
    pub id: Option<String>,
}

pub(crate) type Checked = Vec<Result<Incoming, AppError>>;

/// Checks each submission by the same rules the form applies.
pub(crate) fn check(items: Vec<Result<Submission, AppError>>, lang: Lang) -> Checked {
    items.into_iter().map(|item| incoming(item?, lang)).collect()
}

pub(crate) fn incoming(sub: Submission, lang: Lang) -> Result<Incoming, AppError> {
    if sub.id.as_ref().is_some_and(|id| id.is_empty() || id.len() > MAX_SUBMISSION_ID) {
        return Err(AppError::BadRequest(format!("an answer's id has 1 to {MAX_SUBMISSION_ID} characters")));
    }
    let answer = survey::validate(&sub.answer, lang).map_err(AppError::fields(lang))?;
    Ok(Incoming { answer, code: sub.code, id: sub.id })
}

/// An answer in memory: what it says and its receipt.
struct Waiting {
    receipt: String,
    answer: SurveyAnswer,
}

/// Every round's waiting answers in this process.
#[derive(Default)]
pub(crate) struct Held(HashMap<String, Vec<Waiting>>);

impl Held {
    fn holds(&self, round: &str, receipt: &str) -> bool {
        self.0.get(round).is_some_and(|list| list.iter().any(|w| w.receipt == receipt))
    }

    /// Takes a round's answers out to close it; they come back unless `done` is called.
    pub(crate) fn take<'a>(&'a mut self, round: &str) -> Taking<'a> {
        let answers = self.0.remove(round).unwrap_or_default();
        Taking { held: self, round: round.to_string(), answers, done: false }
    }
}

/// A round's answers taken out of memory while a transaction settles them: if it is
/// not committed (`done`), they go back.
pub(crate) struct Taking<'a> {
    held: &'a mut Held,
    round: String,
    answers: Vec<Waiting>,
    done: bool,
}

impl Taking<'_> {
    /// Counts the answers as the round's last batch, or, fewer than the minimum,
    /// leaves them out and marks the round as having dropped a few. Answers another
    /// process counted already (a resend that reached both) are dropped, not counted again.
    pub(crate) async fn settle(&self, conn: &mut AnyConnection) -> Result<(), AppError> {
        let counted = already_counted(conn, &self.round, &self.answers).await?;
        let left: Vec<&Waiting> = self.answers.iter().filter(|w| !counted.contains(&w.receipt)).collect();
        if left.len() >= BATCH {
            let answers: Vec<&SurveyAnswer> = left.iter().map(|w| &w.answer).collect();
            let receipts: Vec<&str> = left.iter().map(|w| w.receipt.as_str()).collect();
            count(conn, &self.round, &answers, &receipts).await?;
        } else if !left.is_empty() {
            sqlx::query("UPDATE survey_periods SET few = 1 WHERE id = $1").bind(&self.round).execute(&mut *conn).await?;
        }
        // Nothing more will be sent to a closed round: its codes go (receipts stay a
        // little longer, for processes still settling; see `forget_receipts`).
        sqlx::query("DELETE FROM survey_codes WHERE survey_id = $1").bind(&self.round).execute(&mut *conn).await?;
        Ok(())
    }

    pub(crate) fn done(mut self) {
        self.done = true;
    }
}

impl Drop for Taking<'_> {
    fn drop(&mut self) {
        if !self.done {
            let answers = std::mem::take(&mut self.answers);
            self.held.0.entry(std::mem::take(&mut self.round)).or_default().extend(answers);
        }
    }
}

/// A round that takes answers.
struct OpenRound {
    id: String,
    codes_required: bool,
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: String,
    closed: i64,
    codes_required: i64,
}

async fn open_round(conn: &mut AnyConnection, token: &str) -> Result<OpenRound, AppError> {
    let row: Option<RoundRow> = sqlx::query_as("SELECT id, closed, codes_required FROM survey_periods WHERE token = $1")
        .bind(token)
        .fetch_optional(&mut *conn)
        .await?;
    let RoundRow { id, closed, codes_required } = row.ok_or(AppError::NotFound)?;
    if closed != 0 {
        return Err(AppError::SurveyClosed);
    }
    Ok(OpenRound { id, codes_required: codes_required != 0 })
}

/// Spends a single-use code for the answer `id`. The same answer sent again finds
/// its own mark and passes; any other use of the code is refused like an unknown code.
async fn spend_code(conn: &mut AnyConnection, round: &OpenRound, code: Option<&str>, id: &str) -> Result<(), AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None if round.codes_required => Err(AppError::CodeRefused),
        None => Ok(()),
        Some(typed) => {
            let code = survey::normalize_code(typed).ok_or(AppError::CodeRefused)?;
            let mark = spent_mark(&round.id, id);
            let done = sqlx::query("UPDATE survey_codes SET spent = $1 WHERE hash = $2 AND survey_id = $3 AND (spent IS NULL OR spent = $1)")
                .bind(&mark)
                .bind(code_hash(&round.id, &code))
                .bind(&round.id)
                .execute(&mut *conn)
                .await?;
            if done.rows_affected() == 1 {
                Ok(())
            } else {
                Err(AppError::CodeRefused)
            }
        }
    }
}

/// The receipts among `answers` that are stored already.
async fn already_counted(conn: &mut AnyConnection, round: &str, answers: &[Waiting]) -> Result<Vec<String>, AppError> {
    let mut found = Vec::new();
    for w in answers {
        if counted_already(conn, round, &w.receipt).await? {
            found.push(w.receipt.clone());
        }
    }
    Ok(found)
}

/// How long after its close a round keeps its receipts: long enough for every server
/// process to settle what it holds (they look every few seconds).
pub(crate) const RECEIPTS_AFTER_CLOSE_SECS: i64 = 600;

async fn counted_already(conn: &mut AnyConnection, round: &str, receipt: &str) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_receipts WHERE survey_id = $1 AND hash = $2")
        .bind(round)
        .bind(receipt)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Adds answers to a round's counters and text list, in random order, with their
/// receipts (sorted, so their order says nothing either).
pub(crate) async fn count(conn: &mut AnyConnection, round: &str, answers: &[&SurveyAnswer], receipts: &[&str]) -> Result<(), AppError> {
    let mut counts: std::collections::BTreeMap<(&str, &str), i64> = std::collections::BTreeMap::new();
    let mut texts = Vec::new();
    for answer in answers {
        for key in survey::tallies(answer) {
            *counts.entry(key).or_default() += 1;
        }
        texts.extend(survey::texts(answer));
    }
    texts.shuffle(&mut rand::thread_rng());
    for ((question, choice), n) in counts {
        sqlx::query("UPDATE survey_counters SET n = n + $1 WHERE survey_id = $2 AND question = $3 AND choice = $4")
            .bind(n)
            .bind(round)
            .bind(question)
            .bind(choice)
            .execute(&mut *conn)
            .await?;
    }
    for (question, body) in texts {
        sqlx::query("INSERT INTO survey_texts (id, survey_id, question, body) VALUES ($1, $2, $3, $4)")
            .bind(Uuid::new_v4().to_string())
            .bind(round)
            .bind(question)
            .bind(body)
            .execute(&mut *conn)
            .await?;
    }
    let mut sorted = receipts.to_vec();
    sorted.sort_unstable();
    for hash in sorted {
        sqlx::query("INSERT INTO survey_receipts (survey_id, hash) VALUES ($1, $2)").bind(round).bind(hash).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Runs [`Desk::submit`] in a task of its own, in the caller's span: a respondent who
/// hangs up mid-request cannot leave a batch taken out of memory and not stored.
pub(crate) async fn submit_detached(desk: Arc<Desk>, db: Db, token: String, checked: Checked) -> Result<Vec<Result<Fate, AppError>>, AppError> {
    tokio::spawn(async move { desk.submit(&db, &token, checked).await }.in_current_span())
        .await
        .map_err(|e| AppError::Internal(format!("the survey task stopped: {e}")))?
}

/// Runs [`Desk::close`] in a task of its own: a coordinator's request cut off while
/// the close commits cannot put the counted answers back into memory.
pub(crate) async fn close_detached<F>(desk: Arc<Desk>, db: Db, round: String, also: F) -> Result<(), AppError>
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> Also<'c> + Send + 'static,
{
    tokio::spawn(async move { desk.close(&db, &round, also).await })
        .await
        .map_err(|e| AppError::Internal(format!("closing the round stopped: {e}")))?
}

/// What a closing step runs in the same transaction (the audit entry).
pub(crate) type Also<'c> = Pin<Box<dyn Future<Output = Result<(), AppError>> + Send + 'c>>;

/// The public endpoints' rate limit and the answers this process holds.
#[derive(Default)]
pub struct Desk {
    pub limit: RateLimit,
    held: tokio::sync::Mutex<Held>,
}

impl Desk {
    /// Takes one request's answers for the round the link names: each is received
    /// (held, its code spent), counted (sent before and already in the figures) or
    /// refused. A closed or unknown round fails the whole request.
    pub(crate) async fn submit(&self, db: &Db, token: &str, checked: Checked) -> Result<Vec<Result<Fate, AppError>>, AppError> {
        // One request at a time per process: a resend and its first copy cannot both
        // slip in, and a batch is taken from a list nobody else is changing.
        let mut held = self.held.lock().await;
        let mut conn = db.pool.acquire().await?;
        let round = open_round(&mut conn, token).await?;
        let mut tx = conn.begin().await?;
        let mut fates: Vec<Result<Fate, AppError>> = Vec::with_capacity(checked.len());
        let mut receipts: Vec<Option<String>> = Vec::with_capacity(checked.len());
        let mut fresh: Vec<Waiting> = Vec::new();
        for item in checked {
            let Incoming { answer, code, id } = match item {
                Ok(incoming) => incoming,
                Err(e) => {
                    fates.push(Err(e));
                    receipts.push(None);
                    continue;
                }
            };
            let id = id.unwrap_or_else(|| Uuid::new_v4().to_string());
            let mine = receipt(&round.id, &id);
            let fate = if held.holds(&round.id, &mine) || fresh.iter().any(|w| w.receipt == mine) {
                Ok(Fate::Received)
            } else if counted_already(&mut tx, &round.id, &mine).await? {
                Ok(Fate::Counted)
            } else {
                match spend_code(&mut tx, &round, code.as_deref(), &id).await {
                    Ok(()) => {
                        fresh.push(Waiting { receipt: mine.clone(), answer });
                        Ok(Fate::Received)
                    }
                    Err(AppError::CodeRefused) => Err(AppError::CodeRefused),
                    // A storage error is no answer about this one: the whole request
                    // fails and the device keeps its copy.
                    Err(e) => return Err(e),
                }
            };
            fates.push(fate);
            receipts.push(Some(mine));
        }
        // The spent codes are durable before anyone hears "received".
        tx.commit().await?;
        let list = held.0.entry(round.id.clone()).or_default();
        list.extend(fresh);
        let counted = count_ready(&mut conn, &round.id, list).await;
        for (fate, mine) in fates.iter_mut().zip(&receipts) {
            if matches!(fate, Ok(Fate::Received)) && mine.as_ref().is_some_and(|r| counted.contains(r)) {
                *fate = Ok(Fate::Counted);
            }
        }
        Ok(fates)
    }

    /// Closes a round: its waiting answers are counted as the last batch (or, fewer
    /// than the minimum, left out), and `also` runs in the same transaction.
    pub(crate) async fn close<F>(&self, db: &Db, round: &str, also: F) -> Result<(), AppError>
    where
        F: for<'c> FnOnce(&'c mut AnyConnection) -> Also<'c>,
    {
        let mut held = self.held.lock().await;
        let mut conn = db.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        sqlx::query("UPDATE survey_periods SET closed = 1, closed_at = $2 WHERE id = $1").bind(round).bind(crate::now()).execute(&mut *tx).await?;
        let taking = held.take(round);
        taking.settle(&mut tx).await?;
        also(&mut tx).await?;
        tx.commit().await?;
        taking.done();
        Ok(())
    }

    /// Settles the answers this process holds for rounds another process closed, and
    /// forgets the receipts of rounds closed more than [`RECEIPTS_AFTER_CLOSE_SECS`] ago.
    pub async fn sweep(&self, db: &Db) -> Result<(), AppError> {
        let mut held = self.held.lock().await;
        let rounds: Vec<String> = held.0.keys().cloned().collect();
        let mut conn = db.pool.acquire().await?;
        sqlx::query("DELETE FROM survey_receipts WHERE survey_id IN (SELECT id FROM survey_periods WHERE closed = 1 AND closed_at < $1)")
            .bind(crate::now() - RECEIPTS_AFTER_CLOSE_SECS)
            .execute(&mut *conn)
            .await?;
        for round in rounds {
            let closed: Option<i64> =
                sqlx::query_scalar("SELECT closed FROM survey_periods WHERE id = $1").bind(&round).fetch_optional(&mut *conn).await?;
            if closed.is_none_or(|c| c != 0) {
                let mut tx = conn.begin().await?;
                let taking = held.take(&round);
                taking.settle(&mut tx).await?;
                tx.commit().await?;
                taking.done();
            }
        }
        Ok(())
    }

    /// How many answers of a round wait in this process.
    pub(crate) async fn waiting(&self, round: &str) -> usize {
        self.held.lock().await.0.get(round).map_or(0, Vec::len)
    }

    /// Takes into memory what a server of an older version left pooled in storage
    /// (whole answers, at most 4 per round), and deletes it there.
    pub async fn adopt_legacy(&self, db: &Db) -> Result<usize, AppError> {
        #[derive(sqlx::FromRow)]
        struct Pooled {
            survey_id: String,
            answer: String,
        }
        let rows: Vec<Pooled> = sqlx::query_as("DELETE FROM survey_pool RETURNING survey_id, answer").fetch_all(&db.pool).await?;
        let mut held = self.held.lock().await;
        for row in &rows {
            let answer: SurveyAnswer = serde_json::from_str(&row.answer).map_err(crate::error::internal)?;
            let id = Uuid::new_v4().to_string();
            held.0.entry(row.survey_id.clone()).or_default().push(Waiting { receipt: receipt(&row.survey_id, &id), answer });
        }
        Ok(rows.len())
    }
}

/// Counts a random batch while twice the minimum wait, keeping at least the minimum
/// back for the round's last batch. Returns the receipts counted. A failed write
/// leaves the answers waiting for the next submission or the close to try again.
/// (The whole submission runs in a task of its own, so a caller who hangs up cannot
/// cut this short between taking a batch out of memory and committing it.)
async fn count_ready(conn: &mut AnyConnection, round: &str, list: &mut Vec<Waiting>) -> Vec<String> {
    let mut counted = Vec::new();
    while list.len() >= 2 * BATCH {
        list.shuffle(&mut rand::thread_rng());
        let batch = list.split_off(list.len() - BATCH);
        let written = async {
            let mut tx = conn.begin().await?;
            // A resend that reached another process too may be counted there already:
            // drop it here, and count only a batch of answers nobody counted.
            let elsewhere = already_counted(&mut tx, round, &batch).await?;
            if !elsewhere.is_empty() {
                return Ok::<_, AppError>(Some(elsewhere));
            }
            let answers: Vec<&SurveyAnswer> = batch.iter().map(|w| &w.answer).collect();
            let receipts: Vec<&str> = batch.iter().map(|w| w.receipt.as_str()).collect();
            count(&mut tx, round, &answers, &receipts).await?;
            tx.commit().await?;
            Ok(None)
        }
        .await;
        match written {
            Ok(None) => counted.extend(batch.into_iter().map(|w| w.receipt)),
            Ok(Some(elsewhere)) => list.extend(batch.into_iter().filter(|w| !elsewhere.contains(&w.receipt))),
            Err(_) => {
                list.extend(batch);
                break;
            }
        }
    }
    counted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_mark_and_a_receipt_of_one_answer_do_not_match() {
        let (round, id) = ("r1", "3f1c…");
        assert_ne!(spent_mark(round, id), receipt(round, id));
        assert_ne!(receipt(round, id), receipt("r2", id), "the round salts every hash");
        assert_eq!(receipt(round, id).len(), 64);
    }
}
