//! A partnership's register of personal-data breaches (GDPR art. 33(5)): entries
//! numbered from 1 in each partnership, updated as an incident is dealt with under a
//! version (nobody's update is silently replaced), never deleted.

use domain::breach::{hours_left, Breach, BreachInput, BreachRisk, ValidBreach};
use domain::validation::{format_timestamp_warsaw, warsaw_minute};
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection};
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::now;

#[derive(sqlx::FromRow)]
struct BreachRow {
    id: String,
    number: i64,
    found_at: i64,
    what_happened: String,
    data: String,
    people: i64,
    risk: String,
    reported_at: Option<i64>,
    informed_at: Option<i64>,
    justification: String,
    measures: String,
    closed_at: Option<i64>,
    recorded_by: String,
    recorded_at: i64,
    updated_by: String,
    updated_at: i64,
    version: i64,
}

const SELECT: &str = "SELECT b.id, b.number, b.found_at, b.what_happened, b.data, b.people, b.risk, b.reported_at, b.informed_at,
        b.justification, b.measures, b.closed_at, r.display_name AS recorded_by, b.recorded_at, u.display_name AS updated_by, b.updated_at, b.version
    FROM breaches b JOIN users r ON r.id = b.recorded_by JOIN users u ON u.id = b.updated_by";

impl BreachRow {
    fn into_breach(self, at: i64) -> Result<Breach, AppError> {
        let risk = BreachRisk::parse(&self.risk).ok_or_else(|| internal(format!("breach risk {}", self.risk)))?;
        let minute = |t: Option<i64>| t.map(warsaw_minute).unwrap_or_default();
        Ok(Breach {
            id: Uuid::parse_str(&self.id).map_err(internal)?,
            number: self.number,
            input: BreachInput {
                found_at: warsaw_minute(self.found_at),
                what_happened: self.what_happened,
                data: self.data,
                people: u32::try_from(self.people).map_err(internal)?,
                risk,
                reported_at: minute(self.reported_at),
                informed_at: minute(self.informed_at),
                justification: self.justification,
                measures: self.measures,
                closed: self.closed_at.is_some(),
            },
            deadline: format_timestamp_warsaw(domain::breach::deadline(self.found_at)),
            hours_left: hours_left(self.found_at, risk, self.reported_at, self.closed_at.is_some(), at),
            recorded_by: self.recorded_by,
            recorded_at: format_timestamp_warsaw(self.recorded_at),
            updated_by: self.updated_by,
            updated_at: format_timestamp_warsaw(self.updated_at),
            version: self.version,
        })
    }
}

/// The register of a partnership, newest first.
pub async fn list(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<Breach>, AppError> {
    let rows: Vec<BreachRow> = sqlx::query_as(&format!("{SELECT} WHERE b.partnership_id = $1 ORDER BY b.number DESC"))
        .bind(partnership.to_string())
        .fetch_all(&mut *conn)
        .await?;
    let at = now();
    rows.into_iter().map(|r| r.into_breach(at)).collect()
}

/// One entry of a partnership's register.
pub async fn one(conn: &mut AnyConnection, partnership: Uuid, id: Uuid) -> Result<Option<Breach>, AppError> {
    let row: Option<BreachRow> = sqlx::query_as(&format!("{SELECT} WHERE b.partnership_id = $1 AND b.id = $2"))
        .bind(partnership.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    row.map(|r| r.into_breach(now())).transpose()
}

/// Takes a partnership's register for writing, first in a transaction that reads it
/// and then writes: two entries recorded at once then get consecutive numbers, and two
/// updates of one entry are told apart by version rather than failing. PostgreSQL
/// locks the partnership's row; SQLite takes its write lock here, before any read,
/// where a transaction that had read first could not upgrade once another wrote.
pub async fn lock(conn: &mut AnyConnection, partnership: Uuid) -> Result<(), AppError> {
    sqlx::query("UPDATE partnerships SET name = name WHERE id = $1").bind(partnership.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// Binds an entry's details in the order both writes name them: found_at, what
/// happened, data, people, risk, reported_at, informed_at, justification, measures.
fn with_details<'q>(q: Query<'q, Any, AnyArguments<'q>>, b: &'q ValidBreach) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(b.found)
        .bind(&b.what_happened)
        .bind(&b.data)
        .bind(i64::from(b.people))
        .bind(b.risk.as_str())
        .bind(b.reported)
        .bind(b.informed)
        .bind(&b.justification)
        .bind(&b.measures)
}

/// Records a new breach under the partnership's next number (after [`lock`]).
pub async fn insert(conn: &mut AnyConnection, partnership: Uuid, by: Uuid, b: &ValidBreach) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let at = now();
    let number: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(number), 0) + 1 FROM breaches WHERE partnership_id = $1")
        .bind(partnership.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let q = sqlx::query(
        "INSERT INTO breaches (id, partnership_id, number, found_at, what_happened, data, people, risk, reported_at, informed_at,
            justification, measures, closed_at, recorded_by, recorded_at, updated_by, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $14, $15, 1)",
    )
    .bind(id.to_string())
    .bind(partnership.to_string())
    .bind(number);
    with_details(q, b).bind(b.closed.then_some(at)).bind(by.to_string()).bind(at).execute(&mut *conn).await?;
    Ok(id)
}

/// What became of an update.
pub enum Updated {
    Done,
    NotFound,
    /// Someone saved another version since the person opened it.
    Stale,
}

/// Replaces an entry's details if it still has the version the person edited. A
/// closed entry keeps the moment it was first closed; reopening clears it (after
/// [`lock`]).
pub async fn update(conn: &mut AnyConnection, partnership: Uuid, id: Uuid, version: i64, by: Uuid, b: &ValidBreach) -> Result<Updated, AppError> {
    let at = now();
    let q = sqlx::query(
        "UPDATE breaches SET found_at = $1, what_happened = $2, data = $3, people = $4, risk = $5, reported_at = $6, informed_at = $7,
            justification = $8, measures = $9, closed_at = CASE WHEN $10 = 0 THEN NULL ELSE COALESCE(closed_at, $11) END,
            updated_by = $12, updated_at = $11, version = version + 1
         WHERE partnership_id = $13 AND id = $14 AND version = $15",
    );
    let done = with_details(q, b)
        .bind(i64::from(b.closed))
        .bind(at)
        .bind(by.to_string())
        .bind(partnership.to_string())
        .bind(id.to_string())
        .bind(version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 1 {
        return Ok(Updated::Done);
    }
    let exists: Option<i64> = sqlx::query_scalar("SELECT version FROM breaches WHERE partnership_id = $1 AND id = $2")
        .bind(partnership.to_string())
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(if exists.is_some() { Updated::Stale } else { Updated::NotFound })
}

/// What an update changed, for the access log: the times and the risk with their old
/// and new values (a deadline met or missed rests on them), the texts by name.
pub fn changes(before: &BreachInput, after: &BreachInput) -> Vec<String> {
    let mut out = Vec::new();
    for (name, old, new) in [
        ("found_at", &before.found_at, &after.found_at),
        ("reported_at", &before.reported_at, &after.reported_at),
        ("informed_at", &before.informed_at, &after.informed_at),
    ] {
        if old != new {
            out.push(format!("{name} '{old}' -> '{new}'"));
        }
    }
    if before.risk != after.risk {
        out.push(format!("risk {} -> {}", before.risk.as_str(), after.risk.as_str()));
    }
    if before.people != after.people {
        out.push(format!("people {} -> {}", before.people, after.people));
    }
    for (name, old, new) in [
        ("what_happened", &before.what_happened, &after.what_happened),
        ("data", &before.data, &after.data),
        ("justification", &before.justification, &after.justification),
        ("measures", &before.measures, &after.measures),
    ] {
        if old.trim() != new.trim() {
            out.push(format!("{name} changed"));
        }
    }
    if before.closed != after.closed {
        out.push(if after.closed { "closed" } else { "reopened" }.to_string());
    }
    out
}
