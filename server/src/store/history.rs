//! Every stored version of a case document, with who made it, when and from which
//! device: the support path keeps its history, and a conflict's base is always
//! at hand.

use domain::sync::Version;
use domain::docs::DocType;
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::AppError;

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
                device_id: r.device_id.map(|d| Uuid::parse_str(&d).map_err(crate::error::internal)).transpose()?,
                fields: serde_json::from_str(&r.changed).map_err(crate::error::internal)?,
            })
        })
        .collect()
}
