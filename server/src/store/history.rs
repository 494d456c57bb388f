//! Every stored version of a case document, with who made it, when and from which
//! device: the support path keeps its history, and a conflict's base is always
//! at hand.

use domain::sync::Version;
use domain::docs::DocType;
use domain::personal::StoredVersion;
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::db::placeholders;
use crate::error::{internal, AppError};

/// Where a write came from: the device and the mutation of a sync, or neither for
/// the plain API.
#[derive(Debug, Default, Clone, Copy)]
pub struct Origin {
    pub device: Option<Uuid>,
    pub mutation: Option<Uuid>,
}

pub struct NewVersion<'a> {
    pub doc_id: Uuid,
    pub revision: i64,
    pub doc_type: DocType,
    pub partnership: Uuid,
    pub data: &'a str,
    pub changed: &'a [String],
    pub by: Uuid,
    pub origin: Origin,
    pub at: i64,
}

pub async fn record(conn: &mut AnyConnection, v: NewVersion<'_>) -> Result<(), sqlx::Error> {
    let changed = serde_json::to_string(v.changed).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO doc_versions (doc_id, revision, doc_type, partnership_id, data, changed, user_id, device_id, mutation_id, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(v.doc_id.to_string())
    .bind(v.revision)
    .bind(v.doc_type.as_str())
    .bind(v.partnership.to_string())
    .bind(v.data)
    .bind(changed)
    .bind(v.by.to_string())
    .bind(v.origin.device.map(|d| d.to_string()))
    .bind(v.origin.mutation.map(|m| m.to_string()))
    .bind(v.at)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    revision: i64,
    by_name: String,
    device_id: Option<String>,
    changed: String,
    at: i64,
}

/// Every stored version of a document, newest first.
pub async fn versions(conn: &mut AnyConnection, id: Uuid) -> Result<Vec<Version>, AppError> {
    let rows: Vec<VersionRow> = sqlx::query_as(
        "SELECT v.revision, u.display_name AS by_name, v.device_id, v.changed, v.at FROM doc_versions v JOIN users u ON u.id = v.user_id
         WHERE v.doc_id = $1 ORDER BY v.revision DESC",
    )
    .bind(id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Version {
                revision: r.revision,
                by: r.by_name,
                at: format_timestamp_warsaw(r.at),
                device_id: r.device_id.map(|d| Uuid::parse_str(&d).map_err(internal)).transpose()?,
                fields: serde_json::from_str(&r.changed).map_err(internal)?,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct WholeRow {
    doc_id: String,
    revision: i64,
    doc_type: String,
    data: String,
    changed: String,
    by_name: String,
    at: i64,
}

/// Every stored version of these documents, whole, oldest first: what a person's own
/// data (GDPR art. 15) holds of their history.
pub async fn whole_versions(conn: &mut AnyConnection, ids: &[Uuid]) -> Result<Vec<StoredVersion>, AppError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT v.doc_id, v.revision, v.doc_type, v.data, v.changed, u.display_name AS by_name, v.at
         FROM doc_versions v JOIN users u ON u.id = v.user_id
         WHERE v.doc_id IN ({}) ORDER BY v.at, v.doc_id, v.revision",
        placeholders(1, ids.len())
    );
    let mut q = sqlx::query_as::<_, WholeRow>(&sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(StoredVersion {
                doc_type: DocType::parse(&r.doc_type).ok_or_else(|| AppError::Internal(format!("stored kind {}", r.doc_type)))?,
                doc_id: Uuid::parse_str(&r.doc_id).map_err(internal)?,
                revision: r.revision,
                at: format_timestamp_warsaw(r.at),
                by: r.by_name,
                changed: serde_json::from_str(&r.changed).map_err(internal)?,
                data: serde_json::from_str(&r.data).map_err(internal)?,
            })
        })
        .collect()
}
