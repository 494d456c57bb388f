//! Answers pooled until a batch of at least `MIN_ANSWERS`, then shuffled into the
//! counters; the group-committing writer that serves every public submission.

use std::collections::BTreeMap;

use domain::survey::api::Submission;
use domain::survey::{self, SurveyAnswer, MIN_ANSWERS};
use domain::Lang;
use rand::seq::SliceRandom;
use sha2::{Digest, Sha256};
use sqlx::{Acquire, AnyConnection};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::error::internal;
use crate::db::Engine;
use crate::error::AppError;
use crate::AppState;


use super::rate::RateLimit;

pub(crate) fn code_hash(round: &str, code: &str) -> String {
    // The round salts the hash, so one table of precomputed hashes serves no other round.
    let digest = Sha256::new().chain_update(round.as_bytes()).chain_update(b":").chain_update(code.as_bytes()).finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) struct Round {
    pub(crate) id: String,
    pub(crate) codes_required: bool,
}

#[derive(sqlx::FromRow)]
struct LockedRound {
    id: String,
    closed: i64,
    codes_required: i64,
    pooled: i64,
}

/// Locks the round for this submission and counts `adding` answers into its pool
/// (the update is the first write, so concurrent submissions of one round queue up
/// on both engines); refuses a closed round.
pub(crate) async fn lock_round(conn: &mut AnyConnection, token: &str, adding: i64) -> Result<(Round, i64), AppError> {
    let row: Option<LockedRound> = sqlx::query_as(
        "UPDATE survey_periods SET pooled = pooled + $2 WHERE token = $1 RETURNING id, closed, codes_required, pooled",
    )
    .bind(token)
    .bind(adding)
    .fetch_optional(&mut *conn)
    .await?;
    let LockedRound { id, closed, codes_required, pooled } = row.ok_or(AppError::NotFound)?;
    if closed != 0 {
        return Err(AppError::SurveyClosed);
    }
    Ok((Round { id, codes_required: codes_required != 0 }, pooled))
}

/// Spends a single-use code: its hash is deleted, so a used code is simply unknown.
pub(crate) async fn spend_code(conn: &mut AnyConnection, round: &Round, code: Option<&str>) -> Result<(), AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        None if round.codes_required => Err(AppError::CodeRefused),
        None => Ok(()),
        Some(typed) => {
            let code = survey::normalize_code(typed).ok_or(AppError::CodeRefused)?;
            let done = sqlx::query("DELETE FROM survey_codes WHERE hash = $1 AND survey_id = $2")
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

pub(crate) async fn pool(conn: &mut AnyConnection, round: &Round, answer: &SurveyAnswer) -> Result<(), AppError> {
    sqlx::query("INSERT INTO survey_pool (id, survey_id, answer) VALUES ($1, $2, $3)")
        .bind(Uuid::new_v4().to_string())
        .bind(&round.id)
        .bind(serde_json::to_string(answer).map_err(internal)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Empties a round's pool into the counters and the text list, in random order.
pub(crate) async fn flush(conn: &mut AnyConnection, round_id: &str) -> Result<(), AppError> {
    let mut rows: Vec<String> =
        sqlx::query_scalar("SELECT answer FROM survey_pool WHERE survey_id = $1").bind(round_id).fetch_all(&mut *conn).await?;
    rows.shuffle(&mut rand::thread_rng());
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    let mut texts = Vec::new();
    for json in &rows {
        let answer: SurveyAnswer = serde_json::from_str(json).map_err(internal)?;
        for key in survey::tallies(&answer) {
            *counts.entry(key).or_default() += 1;
        }
        texts.extend(survey::texts(&answer));
    }
    texts.shuffle(&mut rand::thread_rng());
    for ((question, choice), n) in counts {
        sqlx::query("UPDATE survey_counters SET n = n + $1 WHERE survey_id = $2 AND question = $3 AND choice = $4")
            .bind(n)
            .bind(round_id)
            .bind(question)
            .bind(choice)
            .execute(&mut *conn)
            .await?;
    }
    for (question, body) in texts {
        sqlx::query("INSERT INTO survey_texts (id, survey_id, question, body) VALUES ($1, $2, $3, $4)")
            .bind(Uuid::new_v4().to_string())
            .bind(round_id)
            .bind(question)
            .bind(body)
            .execute(&mut *conn)
            .await?;
    }
    sqlx::query("DELETE FROM survey_pool WHERE survey_id = $1").bind(round_id).execute(&mut *conn).await?;
    sqlx::query("UPDATE survey_periods SET pooled = 0 WHERE id = $1").bind(round_id).execute(&mut *conn).await?;
    Ok(())
}

/// After a batch left SQLite, the write-ahead log that held the pooled answers is
/// checkpointed and cut to nothing (deleted rows are already zeroed in the file).
pub(crate) async fn forget_pooled_pages(state: &AppState) {
    if state.db.engine == Engine::Sqlite {
        // A busy reader only postpones this to the next batch.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&state.db.pool).await;
    }
}

/// Answers checked against the rules, waiting to be written.
pub(crate) type Checked = Vec<Result<(SurveyAnswer, Option<String>), AppError>>;

pub(crate) type Outcomes = Vec<Result<(), AppError>>;

pub(crate) fn check(items: Vec<Result<Submission, AppError>>, lang: Lang) -> Checked {
    items
        .into_iter()
        .map(|item| {
            let sub = item?;
            let answer = survey::validate(&sub.answer, lang).map_err(AppError::fields(lang))?;
            Ok((answer, sub.code))
        })
        .collect()
}

/// Writes one request's answers into a round: each has its code spent and is pooled;
/// a full pool becomes one batch. Per item: accepted, or why not. With `one`, the
/// single answer of a phone, a refusal fails the whole request instead. Returns
/// whether a batch left the pool.
pub(crate) async fn take(conn: &mut AnyConnection, token: &str, checked: Checked, one: bool) -> Result<(Outcomes, bool), AppError> {
    let adding = i64::try_from(checked.iter().filter(|c| c.is_ok()).count()).map_err(internal)?;
    let (round, counted) = lock_round(conn, token, adding).await?;
    let mut pooled = counted;
    let mut outcomes = Vec::with_capacity(checked.len());
    for item in checked {
        let outcome = match item {
            Err(e) => Err(e),
            Ok((answer, code)) if one => {
                // The caller's savepoint undoes everything on an error.
                spend_code(conn, &round, code.as_deref()).await?;
                pool(conn, &round, &answer).await?;
                Ok(())
            }
            Ok((answer, code)) => {
                // A savepoint per answer: a refused code undoes only its own answer.
                let mut sp = conn.begin().await?;
                match spend_code(&mut sp, &round, code.as_deref()).await {
                    Ok(()) => {
                        pool(&mut sp, &round, &answer).await?;
                        sp.commit().await?;
                        Ok(())
                    }
                    Err(e) => {
                        sp.rollback().await?;
                        pooled -= 1;
                        Err(e)
                    }
                }
            }
        };
        outcomes.push(outcome);
    }
    let flushed = pooled >= i64::try_from(MIN_ANSWERS).unwrap_or(5);
    if flushed {
        flush(conn, &round.id).await?;
    } else if pooled != counted {
        sqlx::query("UPDATE survey_periods SET pooled = $1 WHERE id = $2").bind(pooled).bind(&round.id).execute(&mut *conn).await?;
    }
    Ok((outcomes, flushed))
}

/// One request's answers on their way to the writer, and where its answer goes.
pub(crate) struct Job {
    token: String,
    checked: Checked,
    one: bool,
    reply: oneshot::Sender<Result<Outcomes, AppError>>,
}

/// Takes answers from the public endpoints. One writer task per server process
/// commits whatever requests are waiting in a single transaction (group commit): one
/// disk flush for many answers, and each request is acknowledged only after the
/// commit that holds its answers.
#[derive(Default)]
pub struct Desk {
    pub limit: RateLimit,
    writer: std::sync::OnceLock<mpsc::Sender<Job>>,
}

/// How many requests one transaction takes at most.
pub(crate) const GROUP: usize = 256;

pub(crate) async fn write_loop(state: AppState, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < GROUP {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        write_group(&state, jobs).await;
    }
}

pub(crate) async fn write_group(state: &AppState, mut jobs: Vec<Job>) {
    // Rounds are always locked in the same order, so two server processes on one
    // PostgreSQL database cannot deadlock on them.
    jobs.sort_by(|a, b| a.token.cmp(&b.token));
    let mut replies = Vec::with_capacity(jobs.len());
    let mut flushed = false;
    let committed: Result<(), AppError> = async {
        let mut conn = state.db.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        for job in jobs {
            // A savepoint per request: a closed round or a refused code fails only its own.
            let mut sp = tx.begin().await?;
            let result = match take(&mut sp, &job.token, job.checked, job.one).await {
                Ok((outcomes, f)) => {
                    sp.commit().await?;
                    flushed |= f;
                    Ok(outcomes)
                }
                Err(e) => {
                    sp.rollback().await?;
                    Err(e)
                }
            };
            replies.push((job.reply, result));
        }
        tx.commit().await?;
        Ok(())
    }
    .await;
    match committed {
        Ok(()) => {
            if flushed {
                forget_pooled_pages(state).await;
            }
            for (reply, result) in replies {
                let _ = reply.send(result);
            }
        }
        Err(e) => {
            let why = e.to_string();
            for (reply, _) in replies {
                let _ = reply.send(Err(AppError::Internal(why.clone())));
            }
        }
    }
}

impl Desk {
    pub(crate) fn writer(&self, state: &AppState) -> mpsc::Sender<Job> {
        self.writer
            .get_or_init(|| {
                let (tx, rx) = mpsc::channel(4 * GROUP);
                tokio::spawn(write_loop(state.clone(), rx));
                tx
            })
            .clone()
    }

    pub(crate) async fn submit(&self, state: &AppState, token: String, checked: Checked, one: bool) -> Result<Outcomes, AppError> {
        let (reply, answer) = oneshot::channel();
        self.writer(state)
            .send(Job { token, checked, one, reply })
            .await
            .map_err(|_| AppError::Internal("the survey writer has stopped".into()))?;
        answer.await.map_err(|_| AppError::Internal("the survey writer dropped a request".into()))?
    }
}
