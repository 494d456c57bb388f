//! Survey rounds in storage: opened per partnership and month, visible to its members,
//! steered by its coordinators; their results.


use domain::survey::api::{
    SurveyReport, SurveyRound,
};
use domain::survey::{self, PeriodResults, SurveyAnswer, ALL, QUESTIONS};
use domain::calendar::Month;
use domain::Lang;
use rand::seq::SliceRandom;
use sqlx::{Acquire, AnyConnection};
use uuid::Uuid;

use crate::error::internal;
use super::pool::count;
use crate::store::user::CurrentUser;
use crate::error::AppError;
use crate::now;


#[derive(sqlx::FromRow)]
pub(crate) struct RoundRow {
    id: String,
    partnership_id: String,
    partnership: String,
    period: String,
    token: String,
    closed: i64,
    codes_required: i64,
    codes_left: i64,
}

pub(crate) const ROUNDS: &str = "SELECT s.id, s.partnership_id, p.name AS partnership, s.period, s.token, s.closed, s.codes_required,
    (SELECT COUNT(*) FROM survey_codes c WHERE c.survey_id = s.id AND c.spent IS NULL) AS codes_left
    FROM survey_periods s JOIN partnerships p ON p.id = s.partnership_id";

pub(crate) fn round(r: RoundRow) -> Result<SurveyRound, AppError> {
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
pub(crate) async fn visible_round(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<SurveyRound, AppError> {
    let row: Option<RoundRow> =
        sqlx::query_as(&format!("{ROUNDS} WHERE s.id = $1")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    let r = round(row.ok_or(AppError::NotFound)?)?;
    user.role_in(r.partnership_id).map_err(|_| AppError::NotFound)?;
    Ok(r)
}

pub(crate) async fn steered_round(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<SurveyRound, AppError> {
    let r = visible_round(conn, user, id).await?;
    if !user.role_in(r.partnership_id)?.steers() {
        return Err(AppError::Forbidden("only a coordinator manages survey results and codes"));
    }
    Ok(r)
}

/// Creates a partnership's round for a month with every counter at zero; `None` when
/// the month has its round already.
pub(crate) async fn create_round(conn: &mut AnyConnection, partnership: Uuid, period: Month, codes_required: bool, by: Uuid) -> Result<Option<String>, AppError> {
    let round_id = Uuid::now_v7().to_string();
    let done = sqlx::query(
        "INSERT INTO survey_periods (id, partnership_id, period, token, codes_required, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (partnership_id, period) DO NOTHING",
    )
    .bind(&round_id)
    .bind(partnership.to_string())
    .bind(period.to_string())
    .bind(crate::token::random_token())
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
/// answers it takes (one shuffled batch).
pub async fn seed_round(db: &crate::Db, partnership: Uuid, by: Uuid, period: Month, answers: &[SurveyAnswer]) -> Result<(), AppError> {
    let mut conn = db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let Some(id) = create_round(&mut tx, partnership, period, false, by).await? else { return Ok(()) };
    let mut valid = Vec::with_capacity(answers.len());
    for a in answers {
        valid.push(survey::validate(a, Lang::Pl).map_err(|e| AppError::Internal(format!("demo survey answer: {e:?}")))?);
    }
    count(&mut tx, &id, &valid.iter().collect::<Vec<_>>(), &[]).await?;
    sqlx::query("UPDATE survey_periods SET closed = 1 WHERE id = $1").bind(&id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Counter {
    question: String,
    choice: String,
    n: i64,
}

#[derive(sqlx::FromRow)]
struct Text {
    question: String,
    body: String,
}

pub(crate) async fn period_results(conn: &mut AnyConnection, round_id: &str, period: Month) -> Result<PeriodResults, AppError> {
    let counters: Vec<Counter> =
        sqlx::query_as("SELECT question, choice, n FROM survey_counters WHERE survey_id = $1").bind(round_id).fetch_all(&mut *conn).await?;
    let mut texts: Vec<Text> = sqlx::query_as("SELECT question, body FROM survey_texts WHERE survey_id = $1").bind(round_id).fetch_all(&mut *conn).await?;
    texts.shuffle(&mut rand::thread_rng());
    let few: i64 = sqlx::query_scalar("SELECT few FROM survey_periods WHERE id = $1").bind(round_id).fetch_one(&mut *conn).await?;
    let counters: Vec<(String, String, i64)> = counters.into_iter().map(|c| (c.question, c.choice, c.n)).collect();
    let mut results = survey::results(period, &counters, texts.into_iter().map(|t| (t.question, t.body)).collect());
    results.few = few != 0;
    Ok(results)
}

/// A round's results; `waiting` is what this process holds of it in memory.
pub(crate) async fn report(conn: &mut AnyConnection, r: SurveyRound, waiting: usize) -> Result<SurveyReport, AppError> {
    let period = Month::parse(&r.period).ok_or_else(|| AppError::Internal(format!("bad stored period {}", r.period)))?;
    let current = period_results(conn, &r.id.to_string(), period).await?;
    let previous_id: Option<String> = sqlx::query_scalar("SELECT id FROM survey_periods WHERE partnership_id = $1 AND period = $2")
        .bind(r.partnership_id.to_string())
        .bind(period.previous().to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let previous = match previous_id {
        Some(pid) => Some(period_results(conn, &pid, period.previous()).await?),
        None => None,
    };
    let waiting = i64::try_from(waiting).unwrap_or(i64::MAX);
    Ok(SurveyReport { round: r, current, previous, waiting })
}

/// What the public link shows of a round.
#[derive(sqlx::FromRow)]
pub(crate) struct PublicRound {
    pub period: String,
    pub closed: i64,
    pub codes_required: i64,
    pub partnership: String,
}

/// The round a public link names, if any.
pub(crate) async fn public_round(conn: &mut AnyConnection, token: &str) -> Result<Option<PublicRound>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.period, s.closed, s.codes_required, p.name AS partnership FROM survey_periods s JOIN partnerships p ON p.id = s.partnership_id WHERE s.token = $1",
    )
    .bind(token)
    .fetch_optional(&mut *conn)
    .await?)
}
