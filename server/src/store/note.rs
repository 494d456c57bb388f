//! Dated notes (adnotacje): append-only, ordered by when they were written.


use domain::sync::Note;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::internal;
use crate::error::AppError;

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: String,
    text: String,
    written_at: i64,
    display_name: String,
}

impl NoteRow {
    fn note(self, client: Uuid) -> Result<Note, AppError> {
        Ok(Note { id: Uuid::parse_str(&self.id).map_err(internal)?, client_id: client, text: self.text, written_at: self.written_at, author_name: self.display_name })
    }
}

pub(crate) async fn client_notes(conn: &mut AnyConnection, client: Uuid) -> Result<Vec<Note>, AppError> {
    let rows: Vec<NoteRow> = sqlx::query_as(
        "SELECT n.id, n.text, n.written_at, u.display_name FROM notes n JOIN users u ON u.id = n.author_id
         WHERE n.client_id = $1 ORDER BY n.written_at, n.id",
    )
    .bind(client.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|row| row.note(client)).collect()
}

/// The latest `limit` notes of a client, oldest first, and how many older ones there are.
pub(crate) async fn latest_client_notes(conn: &mut AnyConnection, client: Uuid, limit: usize) -> Result<(Vec<Note>, i64), AppError> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let rows: Vec<NoteRow> = sqlx::query_as(
        "SELECT n.id, n.text, n.written_at, u.display_name FROM notes n JOIN users u ON u.id = n.author_id
         WHERE n.client_id = $1 ORDER BY n.written_at DESC, n.id DESC LIMIT $2",
    )
    .bind(client.to_string())
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes WHERE client_id = $1").bind(client.to_string()).fetch_one(&mut *conn).await?;
    let older = all - rows.len() as i64;
    let notes = rows.into_iter().rev().map(|row| row.note(client)).collect::<Result<Vec<_>, AppError>>()?;
    Ok((notes, older))
}
