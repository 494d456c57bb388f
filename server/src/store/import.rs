//! Client imports: who may be named as a row's consultant, the registered client a
//! row names again, and the kept reports of confirmed imports.

use domain::client::{ClientInput, IdDocumentType};
use domain::import::{document_key, ImportReport};
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::now;

/// The partnership's consultants (active people who lead clients) by e-mail.
pub async fn consultants_by_email(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<(String, Uuid)>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT u.email, u.id FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE r.partnership_id = $1 AND r.role NOT IN ('administrator', 'coordinator', 'data_protection_officer') AND u.active = 1",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|(email, id)| Ok((email, Uuid::parse_str(&id).map_err(internal)?))).collect()
}

/// The partnership's client with this PESEL (as stored: its eleven digits), if any.
pub async fn client_with_pesel(conn: &mut AnyConnection, partnership: Uuid, pesel: &str) -> Result<Option<Uuid>, AppError> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM clients WHERE partnership_id = $1 AND pesel = $2")
        .bind(partnership.to_string())
        .bind(pesel)
        .fetch_optional(&mut *conn)
        .await?;
    id.map(|i| Uuid::parse_str(&i).map_err(internal)).transpose()
}

/// The partnership's client without a PESEL who holds this identity document (kind,
/// and number as `domain::import::document_key` writes it), if any. Such clients are
/// few, and their document is inside the record, so each is read.
pub async fn client_with_document(conn: &mut AnyConnection, partnership: Uuid, key: &(IdDocumentType, String)) -> Result<Option<Uuid>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, data FROM clients WHERE partnership_id = $1 AND (pesel IS NULL OR pesel = '')")
        .bind(partnership.to_string())
        .fetch_all(&mut *conn)
        .await?;
    for (id, data) in rows {
        let client: ClientInput = serde_json::from_str(&data).map_err(|e| AppError::Internal(format!("client {id}: {e}")))?;
        if document_key(&client.id_document_type, &client.id_document_number).as_ref() == Some(key) {
            return Ok(Some(Uuid::parse_str(&id).map_err(internal)?));
        }
    }
    Ok(None)
}

/// Keeps a confirmed import's report.
pub async fn keep(conn: &mut AnyConnection, partnership: Uuid, user: Uuid, file_sha256: &str, report: &ImportReport) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let json = serde_json::to_string(report).map_err(|e| AppError::Internal(e.to_string()))?;
    sqlx::query("INSERT INTO client_imports (id, partnership_id, user_id, at, file_name, file_sha256, report) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(id.to_string())
        .bind(partnership.to_string())
        .bind(user.to_string())
        .bind(now())
        .bind(&report.file_name)
        .bind(file_sha256)
        .bind(json)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

#[derive(sqlx::FromRow)]
struct KeptRow {
    id: String,
    at: i64,
    by: String,
    report: String,
}

/// The partnership's kept import reports, newest first.
pub async fn kept(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<ImportReport>, AppError> {
    let rows: Vec<KeptRow> = sqlx::query_as(
        "SELECT i.id, i.at, u.display_name AS by, i.report FROM client_imports i JOIN users u ON u.id = i.user_id
         WHERE i.partnership_id = $1 ORDER BY i.at DESC, i.id DESC",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            let mut report: ImportReport = serde_json::from_str(&r.report).map_err(|e| AppError::Internal(e.to_string()))?;
            report.id = Some(Uuid::parse_str(&r.id).map_err(internal)?);
            report.at = format_timestamp_warsaw(r.at);
            report.by = r.by;
            Ok(report)
        })
        .collect()
}
