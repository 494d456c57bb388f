//! The anonymous client survey on the server.
//!
//! Two kinds of endpoint live here and never meet. The public ones (`/api/v1/survey/
//! {token}…`) take answers from anyone holding the link: they read no cookie, no
//! session and no device id, log nothing, and keep the sender's address only as a
//! salted hash in a rate-limit bucket that is emptied every minute. The partnership's
//! ones (rounds, codes, results, exports) need a session like the rest of the API.
//!
//! An acknowledged answer is first written whole to `survey_pool` (so a crash loses
//! nothing). As soon as a round has [`MIN_ANSWERS`] pooled answers they are shuffled,
//! added to the per-question counters and the loose text list, and deleted, all in
//! one transaction; on SQLite deleted rows are zeroed (`secure_delete`) and the
//! write-ahead log is truncated after the batch. What this leaves on disk is written
//! up in the README's threat model.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use domain::api::Problem;
use domain::survey::api::{
    Accepted, BatchOutcome, IssuedCodes, NewCodes, NewRound, PublicSurvey, Sealed, SealedBatch, Submission, SurveyReport, SurveyRound,
    MAX_CODES,
};
use domain::survey::{self, PeriodResults, SurveyAnswer, ALL, CODE_ALPHABET, CODE_LEN, MAX_BATCH, MIN_ANSWERS, QUESTIONS};
use domain::calendar::Month;
use domain::Lang;
use rand::seq::SliceRandom;
use rand::Rng;
use sha2::{Digest, Sha256};
use sqlx::{Acquire, AnyConnection};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::audit::{self, Action};
use crate::auth::{ClientIp, CurrentUser};
use crate::db::Engine;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::export;
use crate::lang::RequestLang;
use crate::sync::internal;
use crate::{now, AppState};

/// Per-address submission counts for the current minute. Addresses are kept only as
/// SHA-256 under a salt that lives in this process's memory, and the whole table is
/// dropped when the minute turns.
pub struct RateLimit {
    salt: [u8; 16],
    buckets: Mutex<(i64, HashMap<[u8; 32], u32>)>,
}

impl Default for RateLimit {
    fn default() -> Self {
        RateLimit { salt: rand::thread_rng().gen(), buckets: Mutex::new((0, HashMap::new())) }
    }
}

impl RateLimit {
    pub fn allow(&self, addr: &str, per_minute: u32) -> bool {
        let key: [u8; 32] = Sha256::new().chain_update(self.salt).chain_update(addr.as_bytes()).finalize().into();
        let minute = now() / 60;
        let mut guard = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if guard.0 != minute {
            *guard = (minute, HashMap::new());
        }
        let n = guard.1.entry(key).or_insert(0);
        *n = n.saturating_add(1);
        *n <= per_minute
    }
}

fn code_hash(round: &str, code: &str) -> String {
    // The round salts the hash, so one table of precomputed hashes serves no other round.
    let digest = Sha256::new().chain_update(round.as_bytes()).chain_update(b":").chain_update(code.as_bytes()).finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

// ---------------------------------------------------------------------------------
// The kiosk key: tablets seal queued answers to it, so the tablet cannot read them.

const KIOSK_KEY_ID: &str = "kiosk";
const SEAL_CONTEXT: &[u8] = b"sciezka-kiosk-v1";

async fn kiosk_secret(conn: &mut AnyConnection) -> Result<p256::SecretKey, AppError> {
    let stored: Option<(String,)> =
        sqlx::query_as("SELECT private_key FROM survey_keys WHERE id = $1").bind(KIOSK_KEY_ID).fetch_optional(&mut *conn).await?;
    let text = match stored {
        Some((text,)) => text,
        None => {
            let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
            let public = B64.encode(secret.public_key().to_sec1_bytes());
            sqlx::query("INSERT INTO survey_keys (id, public_key, private_key) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
                .bind(KIOSK_KEY_ID)
                .bind(public)
                .bind(B64.encode(secret.to_bytes()))
                .execute(&mut *conn)
                .await?;
            // Another server process may have won the race: take what is stored.
            let (text,): (String,) =
                sqlx::query_as("SELECT private_key FROM survey_keys WHERE id = $1").bind(KIOSK_KEY_ID).fetch_one(&mut *conn).await?;
            text
        }
    };
    let bytes = B64.decode(text).map_err(internal)?;
    p256::SecretKey::from_slice(&bytes).map_err(internal)
}

/// Opens what a kiosk sealed: ECDH with its ephemeral key, SHA-256, AES-256-GCM.
fn unseal(secret: &p256::SecretKey, sealed: &Sealed) -> Option<Submission> {
    let epk = p256::PublicKey::from_sec1_bytes(&B64.decode(&sealed.epk).ok()?).ok()?;
    let shared = p256::ecdh::diffie_hellman(secret.to_nonzero_scalar(), epk.as_affine());
    let key: [u8; 32] = Sha256::new().chain_update(SEAL_CONTEXT).chain_update(shared.raw_secret_bytes()).finalize().into();
    let iv = B64.decode(&sealed.iv).ok().filter(|iv| iv.len() == 12)?;
    let plain = Aes256Gcm::new(&key.into()).decrypt(Nonce::from_slice(&iv), B64.decode(&sealed.ct).ok()?.as_slice()).ok()?;
    serde_json::from_slice(&plain).ok()
}

/// Seals like a kiosk does; for tests and the benchmark.
pub fn seal(public_key_b64: &str, submission: &Submission) -> Option<Sealed> {
    let server = p256::PublicKey::from_sec1_bytes(&B64.decode(public_key_b64).ok()?).ok()?;
    let eph = p256::ecdh::EphemeralSecret::random(&mut rand::rngs::OsRng);
    let shared = eph.diffie_hellman(&server);
    let key: [u8; 32] = Sha256::new().chain_update(SEAL_CONTEXT).chain_update(shared.raw_secret_bytes()).finalize().into();
    let iv: [u8; 12] = rand::thread_rng().gen();
    let ct = Aes256Gcm::new(&key.into()).encrypt(Nonce::from_slice(&iv), serde_json::to_vec(submission).ok()?.as_slice()).ok()?;
    Some(Sealed { epk: B64.encode(eph.public_key().to_sec1_bytes()), iv: B64.encode(iv), ct: B64.encode(ct) })
}

// ---------------------------------------------------------------------------------
// Taking answers.

struct Round {
    id: String,
    codes_required: bool,
}

/// Locks the round for this submission and counts `adding` answers into its pool
/// (the update is the first write, so concurrent submissions of one round queue up
/// on both engines); refuses a closed round.
async fn lock_round(conn: &mut AnyConnection, token: &str, adding: i64) -> Result<(Round, i64), AppError> {
    let row: Option<(String, i64, i64, i64)> = sqlx::query_as(
        "UPDATE survey_periods SET pooled = pooled + $2 WHERE token = $1 RETURNING id, closed, codes_required, pooled",
    )
    .bind(token)
    .bind(adding)
    .fetch_optional(&mut *conn)
    .await?;
    let (id, closed, codes_required, pooled) = row.ok_or(AppError::NotFound)?;
    if closed != 0 {
        return Err(AppError::SurveyClosed);
    }
    Ok((Round { id, codes_required: codes_required != 0 }, pooled))
}

/// Spends a single-use code: its hash is deleted, so a used code is simply unknown.
async fn spend_code(conn: &mut AnyConnection, round: &Round, code: Option<&str>) -> Result<(), AppError> {
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

async fn pool(conn: &mut AnyConnection, round: &Round, answer: &SurveyAnswer) -> Result<(), AppError> {
    sqlx::query("INSERT INTO survey_pool (id, survey_id, answer) VALUES ($1, $2, $3)")
        .bind(Uuid::new_v4().to_string())
        .bind(&round.id)
        .bind(serde_json::to_string(answer).map_err(internal)?)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Empties a round's pool into the counters and the text list, in random order.
async fn flush(conn: &mut AnyConnection, round_id: &str) -> Result<(), AppError> {
    let mut rows: Vec<(String,)> =
        sqlx::query_as("SELECT answer FROM survey_pool WHERE survey_id = $1").bind(round_id).fetch_all(&mut *conn).await?;
    rows.shuffle(&mut rand::thread_rng());
    let mut counts: BTreeMap<(&str, &str), i64> = BTreeMap::new();
    let mut texts = Vec::new();
    for (json,) in &rows {
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
async fn forget_pooled_pages(state: &AppState) {
    if state.db.engine == Engine::Sqlite {
        // A busy reader only postpones this to the next batch.
        let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&state.db.pool).await;
    }
}

/// Answers checked against the rules, waiting to be written.
type Checked = Vec<Result<(SurveyAnswer, Option<String>), AppError>>;
type Outcomes = Vec<Result<(), AppError>>;

fn check(items: Vec<Result<Submission, AppError>>, lang: Lang) -> Checked {
    items
        .into_iter()
        .map(|item| {
            let sub = item?;
            let answer = survey::validate(&sub.answer, lang).map_err(|errors| AppError::Invalid { errors, lang })?;
            Ok((answer, sub.code))
        })
        .collect()
}

/// Writes one request's answers into a round: each has its code spent and is pooled;
/// a full pool becomes one batch. Per item: accepted, or why not. With `one`, the
/// single answer of a phone, a refusal fails the whole request instead. Returns
/// whether a batch left the pool.
async fn take(conn: &mut AnyConnection, token: &str, checked: Checked, one: bool) -> Result<(Outcomes, bool), AppError> {
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
struct Job {
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
const GROUP: usize = 256;

impl Desk {
    fn writer(&self, state: &AppState) -> mpsc::Sender<Job> {
        self.writer
            .get_or_init(|| {
                let (tx, rx) = mpsc::channel(4 * GROUP);
                tokio::spawn(write_loop(state.clone(), rx));
                tx
            })
            .clone()
    }

    async fn submit(&self, state: &AppState, token: String, checked: Checked, one: bool) -> Result<Outcomes, AppError> {
        let (reply, answer) = oneshot::channel();
        self.writer(state)
            .send(Job { token, checked, one, reply })
            .await
            .map_err(|_| AppError::Internal("the survey writer has stopped".into()))?;
        answer.await.map_err(|_| AppError::Internal("the survey writer dropped a request".into()))?
    }
}

async fn write_loop(state: AppState, mut rx: mpsc::Receiver<Job>) {
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

async fn write_group(state: &AppState, mut jobs: Vec<Job>) {
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

fn limited(state: &AppState, ip: &ClientIp) -> Result<(), AppError> {
    if state.survey.limit.allow(&ip.0, state.config.survey_per_minute) {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// What the respondent's device needs to show the survey.
#[utoipa::path(get, path = "/api/v1/survey/{token}", tag = "survey",
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 200, body = PublicSurvey), (status = 404, body = Problem)))]
pub async fn public(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<PublicSurvey> {
    let mut conn = state.db.pool.acquire().await?;
    let row: Option<(String, i64, i64, String)> = sqlx::query_as(
        "SELECT s.period, s.closed, s.codes_required, p.name FROM survey_periods s JOIN partnerships p ON p.id = s.partnership_id WHERE s.token = $1",
    )
    .bind(&token)
    .fetch_optional(&mut *conn)
    .await?;
    let (period, closed, codes_required, partnership) = row.ok_or(AppError::NotFound)?;
    let secret = kiosk_secret(&mut conn).await?;
    Ok(ApiJson(PublicSurvey {
        partnership,
        period,
        open: closed == 0,
        codes_required: codes_required != 0,
        kiosk_key: B64.encode(secret.public_key().to_sec1_bytes()),
    }))
}

/// One answer from a respondent's own device. No cookie or header is read but the
/// language of the messages.
#[utoipa::path(post, path = "/api/v1/survey/{token}/answers", tag = "survey", request_body = Submission,
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 202, body = Accepted), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn answer(
    State(state): State<AppState>,
    ip: ClientIp,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<Submission>,
) -> Result<Response, AppError> {
    limited(&state, &ip)?;
    // Refused by the rules: nothing to write.
    let answer = survey::validate(&body.answer, lang).map_err(|errors| AppError::Invalid { errors, lang })?;
    let mut outcome = state.survey.submit(&state, token, vec![Ok((answer, body.code))], true).await?;
    outcome.pop().unwrap_or(Ok(()))?;
    Ok((StatusCode::ACCEPTED, ApiJson(Accepted { accepted: true })).into_response())
}

/// The answers a kiosk tablet queued, sealed to the server's key. Each is accepted or
/// refused for good; the tablet drops both and keeps its queue only on an error status.
#[utoipa::path(post, path = "/api/v1/survey/{token}/sealed", tag = "survey", request_body = SealedBatch,
    params(("token" = String, Path, description = "the secret of the public link")),
    responses((status = 200, body = BatchOutcome), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem), (status = 429, body = Problem)))]
pub async fn sealed(
    State(state): State<AppState>,
    ip: ClientIp,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<SealedBatch>,
) -> ApiResult<BatchOutcome> {
    limited(&state, &ip)?;
    if body.answers.len() > MAX_BATCH {
        return Err(AppError::Unprocessable(format!("at most {MAX_BATCH} answers per upload")));
    }
    let secret = {
        let mut conn = state.db.pool.acquire().await?;
        kiosk_secret(&mut conn).await?
    };
    let items = body.answers.iter().map(|s| unseal(&secret, s).ok_or_else(|| AppError::BadRequest("not a sealed answer".into()))).collect();
    let outcomes = state.survey.submit(&state, token, check(items, lang), false).await?;
    let refused: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err())
        .map(|e| match e {
            AppError::Invalid { errors, .. } => errors.iter().map(|f| f.message.clone()).collect::<Vec<_>>().join(" "),
            other => other.to_string(),
        })
        .collect();
    let accepted = u32::try_from(outcomes.len() - refused.len()).unwrap_or(u32::MAX);
    Ok(ApiJson(BatchOutcome { accepted, refused }))
}

// ---------------------------------------------------------------------------------
// The partnership's side: rounds, codes, results.

#[derive(sqlx::FromRow)]
struct RoundRow {
    id: String,
    partnership_id: String,
    partnership: String,
    period: String,
    token: String,
    closed: i64,
    codes_required: i64,
    codes_left: i64,
}

const ROUNDS: &str = "SELECT s.id, s.partnership_id, p.name AS partnership, s.period, s.token, s.closed, s.codes_required,
    (SELECT COUNT(*) FROM survey_codes c WHERE c.survey_id = s.id) AS codes_left
    FROM survey_periods s JOIN partnerships p ON p.id = s.partnership_id";

fn round(r: RoundRow) -> Result<SurveyRound, AppError> {
    Ok(SurveyRound {
        id: Uuid::parse_str(&r.id).map_err(internal)?,
        partnership_id: Uuid::parse_str(&r.partnership_id).map_err(internal)?,
        partnership: r.partnership,
        period: r.period,
        token: r.token,
        open: r.closed == 0,
        codes_required: r.codes_required != 0,
        codes_left: r.codes_left,
    })
}

/// A round the user may see: any member of its partnership. Others get 404.
async fn visible_round(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<SurveyRound, AppError> {
    let row: Option<RoundRow> =
        sqlx::query_as(&format!("{ROUNDS} WHERE s.id = $1")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    let r = round(row.ok_or(AppError::NotFound)?)?;
    user.role_in(r.partnership_id).map_err(|_| AppError::NotFound)?;
    Ok(r)
}

async fn steered_round(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<SurveyRound, AppError> {
    let r = visible_round(conn, user, id).await?;
    if !user.role_in(r.partnership_id)?.steers() {
        return Err(AppError::Forbidden("only a coordinator manages survey results and codes"));
    }
    Ok(r)
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/surveys", tag = "survey",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<SurveyRound>), (status = 404, body = Problem)))]
pub async fn rounds(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<SurveyRound>> {
    user.role_in(id)?;
    let rows: Vec<RoundRow> = sqlx::query_as(&format!("{ROUNDS} WHERE s.partnership_id = $1 ORDER BY s.period DESC"))
        .bind(id.to_string())
        .fetch_all(&state.db.pool)
        .await?;
    Ok(ApiJson(rows.into_iter().map(round).collect::<Result<_, _>>()?))
}

/// Creates a partnership's round for a month with every counter at zero; `None` when
/// the month has its round already.
async fn create_round(conn: &mut AnyConnection, partnership: Uuid, period: Month, codes_required: bool, by: Uuid) -> Result<Option<String>, AppError> {
    let round_id = Uuid::now_v7().to_string();
    let done = sqlx::query(
        "INSERT INTO survey_periods (id, partnership_id, period, token, codes_required, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (partnership_id, period) DO NOTHING",
    )
    .bind(&round_id)
    .bind(partnership.to_string())
    .bind(period.to_string())
    .bind(crate::auth::session::random_token())
    .bind(i64::from(codes_required))
    .bind(by.to_string())
    .bind(now())
    .execute(&mut *conn)
    .await?;
    if done.rows_affected() == 0 {
        return Ok(None);
    }
    // Every counter exists from the start, so none appears when its first answer does.
    let mut keys = vec![(ALL, ALL)];
    for q in QUESTIONS {
        keys.push((q.id, ALL));
        keys.extend(q.options.iter().map(|o| (q.id, *o)));
    }
    for (question, choice) in keys {
        sqlx::query("INSERT INTO survey_counters (survey_id, question, choice, n) VALUES ($1, $2, $3, 0)")
            .bind(&round_id)
            .bind(question)
            .bind(choice)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Some(round_id))
}

/// A closed round with these answers, for the demo data: counted as the server counts
/// answers it takes (pooled, then one shuffled batch).
pub async fn seed_round(db: &crate::Db, partnership: Uuid, by: Uuid, period: Month, answers: &[SurveyAnswer]) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let Some(id) = create_round(&mut tx, partnership, period, false, by).await? else { return Ok(()) };
    let round = Round { id: id.clone(), codes_required: false };
    for a in answers {
        let a = survey::validate(a, Lang::Pl).map_err(|e| AppError::Internal(format!("demo survey answer: {e:?}")))?;
        pool(&mut tx, &round, &a).await?;
    }
    flush(&mut tx, &id).await?;
    sqlx::query("UPDATE survey_periods SET closed = 1 WHERE id = $1").bind(&id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

/// Opens a round for a month (any member, so a consultant can start a kiosk session);
/// an existing round of that month is returned as it is.
#[utoipa::path(post, path = "/api/v1/partnerships/{id}/surveys", tag = "survey", request_body = NewRound,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = SurveyRound), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn open_round(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<NewRound>,
) -> ApiResult<SurveyRound> {
    user.role_in(id)?;
    let period = Month::parse(&body.period).ok_or_else(|| {
        AppError::field(lang, "period", "invalid_period", match lang {
            Lang::Pl => "Podaj miesiąc w postaci RRRR-MM.".into(),
            Lang::En => "Give the month as YYYY-MM.".into(),
        })
    })?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    if create_round(&mut tx, id, period, body.codes_required, user.id).await?.is_some() {
        audit::record(&mut tx, &user, id, None, Action::Create, &format!("survey round {period}")).await?;
    }
    let row: RoundRow = sqlx::query_as(&format!("{ROUNDS} WHERE s.partnership_id = $1 AND s.period = $2"))
        .bind(id.to_string())
        .bind(period.to_string())
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(ApiJson(round(row)?))
}

/// Closes a round. Answers still pooled (at most 4) are counted as a last, smaller
/// batch: they were acknowledged and must not be lost.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/close", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, body = SurveyRound), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn close(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<SurveyRound> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let mut r = steered_round(&mut tx, &user, id).await?;
    sqlx::query("UPDATE survey_periods SET closed = 1 WHERE id = $1").bind(id.to_string()).execute(&mut *tx).await?;
    flush(&mut tx, &id.to_string()).await?;
    sqlx::query("DELETE FROM survey_codes WHERE survey_id = $1").bind(id.to_string()).execute(&mut *tx).await?;
    audit::record(&mut tx, &user, r.partnership_id, None, Action::Update, &format!("survey round {} closed", r.period)).await?;
    tx.commit().await?;
    forget_pooled_pages(&state).await;
    r.open = false;
    r.codes_left = 0;
    Ok(ApiJson(r))
}

/// Issues single-use codes to print on slips and hand out at random. They are shown
/// this once; only their hashes are kept, and a hash is deleted when its code is used.
#[utoipa::path(post, path = "/api/v1/surveys/{id}/codes", tag = "survey", request_body = NewCodes,
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, body = IssuedCodes), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
pub async fn codes(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<NewCodes>,
) -> ApiResult<IssuedCodes> {
    if body.count == 0 || body.count > MAX_CODES {
        return Err(AppError::field(lang, "count", "out_of_range", match lang {
            Lang::Pl => format!("Można wydać od 1 do {MAX_CODES} kodów naraz."),
            Lang::En => format!("Issue between 1 and {MAX_CODES} codes at a time."),
        }));
    }
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let r = steered_round(&mut tx, &user, id).await?;
    if !r.open {
        return Err(AppError::SurveyClosed);
    }
    let mut out = Vec::new();
    let mut rng = rand::rngs::OsRng;
    while out.len() < body.count as usize {
        let code: String = (0..CODE_LEN).map(|_| char::from(CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())])).collect();
        let done = sqlx::query("INSERT INTO survey_codes (hash, survey_id) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING")
            .bind(code_hash(&r.id.to_string(), &code))
            .bind(r.id.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 1 {
            out.push(survey::format_code(&code));
        }
    }
    audit::record(&mut tx, &user, r.partnership_id, None, Action::Create, &format!("{} survey codes for {}", out.len(), r.period)).await?;
    tx.commit().await?;
    Ok(ApiJson(IssuedCodes { codes: out }))
}

async fn period_results(conn: &mut AnyConnection, round_id: &str, period: Month) -> Result<PeriodResults, AppError> {
    let counters: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT question, choice, n FROM survey_counters WHERE survey_id = $1").bind(round_id).fetch_all(&mut *conn).await?;
    let mut texts: Vec<(String, String)> =
        sqlx::query_as("SELECT question, body FROM survey_texts WHERE survey_id = $1").bind(round_id).fetch_all(&mut *conn).await?;
    texts.shuffle(&mut rand::thread_rng());
    Ok(survey::results(period, &counters, texts))
}

async fn report(conn: &mut AnyConnection, r: SurveyRound) -> Result<SurveyReport, AppError> {
    let period = Month::parse(&r.period).ok_or_else(|| AppError::Internal(format!("bad stored period {}", r.period)))?;
    let current = period_results(conn, &r.id.to_string(), period).await?;
    let previous_id: Option<(String,)> = sqlx::query_as("SELECT id FROM survey_periods WHERE partnership_id = $1 AND period = $2")
        .bind(r.partnership_id.to_string())
        .bind(period.previous().to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let previous = match previous_id {
        Some((pid,)) => Some(period_results(conn, &pid, period.previous()).await?),
        None => None,
    };
    let (waiting,): (i64,) =
        sqlx::query_as("SELECT pooled FROM survey_periods WHERE id = $1").bind(r.id.to_string()).fetch_one(&mut *conn).await?;
    Ok(SurveyReport { round: r, current, previous, waiting })
}

/// Results per question, withheld below 5 answers, with the previous month beside them.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/results", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, body = SurveyReport), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn results(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<SurveyReport> {
    let mut conn = state.db.pool.acquire().await?;
    let r = steered_round(&mut conn, &user, id).await?;
    Ok(ApiJson(report(&mut conn, r).await?))
}

/// The QR code of a round's public link, for the screen and the printed slips. The
/// link's origin is the one the coordinator reached this server by.
#[utoipa::path(get, path = "/api/v1/surveys/{id}/qr.svg", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, content_type = "image/svg+xml"), (status = 404, body = Problem)))]
pub async fn qr(State(state): State<AppState>, user: CurrentUser, headers: axum::http::HeaderMap, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let r = visible_round(&mut conn, &user, id).await?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    let link = format!("{scheme}://{host}/ankieta/{}", r.token);
    let code = qrcode::QrCode::new(link.as_bytes()).map_err(internal)?;
    let svg = code.render::<qrcode::render::svg::Color>().min_dimensions(240, 240).quiet_zone(true).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "private, no-store")], svg).into_response())
}

/// The rows of an export: one per question and option (metrics included, each on its
/// own), then the free texts. Never one row per person.
fn export_rows(report: &SurveyReport, lang: Lang) -> Vec<[String; 5]> {
    use domain::i18n::t;
    let mut rows = vec![[
        t(lang, "survey.export.question").to_string(),
        t(lang, "survey.export.answer").to_string(),
        t(lang, "survey.export.count").to_string(),
        t(lang, "survey.export.percent").to_string(),
        t(lang, "survey.export.answered").to_string(),
    ]];
    for (q, r) in QUESTIONS.iter().zip(&report.current.questions) {
        for o in &r.options {
            rows.push([
                t(lang, &q.key()).to_string(),
                t(lang, &q.option_key(&o.option)).to_string(),
                o.count.to_string(),
                format!("{:.1}", o.percent),
                r.answered.to_string(),
            ]);
        }
        for text in &r.texts {
            rows.push([t(lang, &q.key()).to_string(), text.clone(), String::new(), String::new(), String::new()]);
        }
    }
    rows
}

fn download(report: &SurveyReport, ext: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    export::download(&export::file_name("ankieta", &report.round.partnership, &report.round.period, ext), content_type, body)
}

async fn exportable(state: &AppState, user: &CurrentUser, id: Uuid) -> Result<SurveyReport, AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let r = steered_round(&mut conn, user, id).await?;
    let report = report(&mut conn, r).await?;
    if report.current.withheld {
        return Err(AppError::Forbidden("results are shown from 5 answers"));
    }
    Ok(report)
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results.csv", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, content_type = "text/csv"), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn export_csv(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let report = exportable(&state, &user, id).await?;
    let rows: Vec<Vec<String>> = export_rows(&report, lang).into_iter().map(Vec::from).collect();
    let body = export::csv(&rows)?;
    Ok(download(&report, "csv", export::CSV, body))
}

#[utoipa::path(get, path = "/api/v1/surveys/{id}/results.xlsx", tag = "survey",
    params(("id" = Uuid, Path, description = "survey round")),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (status = 403, body = Problem),
        (status = 404, body = Problem)))]
pub async fn export_xlsx(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>) -> Result<Response, AppError> {
    let report = exportable(&state, &user, id).await?;
    let rows: Vec<Vec<String>> = export_rows(&report, lang).into_iter().map(Vec::from).collect();
    let body = export::xlsx(&[export::Sheet { name: report.round.period.as_str(), rows, numbers_from: 2, widths: &[60.0, 50.0] }])?;
    Ok(download(&report, "xlsx", export::XLSX, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_answers_open_only_with_the_server_key() {
        let secret = p256::SecretKey::random(&mut rand::rngs::OsRng);
        let public = B64.encode(secret.public_key().to_sec1_bytes());
        let sub = Submission { answer: SurveyAnswer::default(), code: Some("ABCDE-FGHJK".into()) };
        let sealed = seal(&public, &sub).expect("seal");
        assert_eq!(unseal(&secret, &sealed), Some(sub));
        let other = p256::SecretKey::random(&mut rand::rngs::OsRng);
        assert_eq!(unseal(&other, &sealed), None);
        let mut tampered = sealed.clone();
        tampered.ct = B64.encode(b"garbage");
        assert_eq!(unseal(&secret, &tampered), None);
    }

    #[test]
    fn the_rate_limit_counts_per_address_within_a_minute() {
        let limit = RateLimit::default();
        assert!((0..3).all(|_| limit.allow("10.0.0.1", 3)));
        assert!(!limit.allow("10.0.0.1", 3));
        assert!(limit.allow("10.0.0.2", 3));
        // Addresses are held only hashed.
        let guard = limit.buckets.lock().expect("lock");
        assert_eq!(guard.1.len(), 2);
    }
}
