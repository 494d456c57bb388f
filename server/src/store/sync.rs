//! The sync engine's server side. A device pushes its outbox as a batch of
//! mutations; each is applied at most once (its id is claimed in the same
//! transaction that applies it), re-validated with the shared domain rules, merged
//! field by field into the document as it is now, and scoped to the user's
//! partnerships. The answer for a batch is sent only after the batch is committed.

use domain::docs::DocType;
use domain::sync::{
    client_from_doc, validate_note, Mutation, Op, Outcome,
};
use domain::Lang;
use sqlx::{Acquire, AnyConnection};
use uuid::Uuid;

use crate::error::{field, internal};
use crate::store::audit::{self, Action};
use crate::store::user::CurrentUser;
use crate::store::client;
use crate::store::document::{self, Created};
use crate::store::versioned::{self, Edit};
use crate::error::AppError;
use crate::store::history::Origin;
use crate::now;

/// Most field changes one mutation may carry.
pub(crate) const MAX_CHANGES: usize = 2_000;

/// A mutation already applied: who sent it and the answer it got.
#[derive(sqlx::FromRow)]
struct Applied {
    user_id: String,
    result: String,
}

pub(crate) async fn apply_once(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, device: Uuid, m: &Mutation) -> Result<Outcome, AppError> {
    let claimed = sqlx::query(
        "INSERT INTO sync_mutations (id, user_id, device_id, doc_id, received_at, result) VALUES ($1, $2, $3, $4, $5, '')
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(m.id.to_string())
    .bind(user.id.to_string())
    .bind(device.to_string())
    .bind(m.op.doc_id().to_string())
    .bind(now())
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if claimed == 0 {
        // Applied before (or by the other tab, whose transaction we waited for):
        // the same answer again, nothing applied twice.
        let Applied { user_id: owner, result } =
            sqlx::query_as("SELECT user_id, result FROM sync_mutations WHERE id = $1").bind(m.id.to_string()).fetch_one(&mut *conn).await?;
        if owner != user.id.to_string() || result.is_empty() {
            return Ok(Outcome::Rejected { errors: vec![field("/id", "reused", lang.pick("Ten identyfikator zmiany był już użyty.", "This change id was used before."))] });
        }
        return serde_json::from_str(&result).map_err(internal);
    }
    let origin = Origin { device: Some(device), mutation: Some(m.id) };
    let mut savepoint = conn.begin().await?;
    let outcome = match apply(&mut savepoint, user, lang, origin, m).await {
        Ok(outcome) => {
            savepoint.commit().await?;
            outcome
        }
        Err(AppError::Invalid { errors, .. }) => {
            savepoint.rollback().await?;
            Outcome::Rejected { errors }
        }
        Err(AppError::NotFound | AppError::Forbidden(_)) => {
            savepoint.rollback().await?;
            refused(conn, user, m).await?;
            not_found(lang)
        }
        Err(e) => return Err(e),
    };
    sqlx::query("UPDATE sync_mutations SET result = $1 WHERE id = $2")
        .bind(serde_json::to_string(&outcome).map_err(internal)?)
        .bind(m.id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(outcome)
}

/// The answer for a document outside the user's partnerships: the same as for one
/// that does not exist.
pub(crate) fn not_found(lang: Lang) -> Outcome {
    Outcome::Rejected { errors: vec![field("", "not_found", lang.pick("Nie ma takiego dokumentu w Twoich partnerstwach.", "There is no such document in your partnerships."))] }
}

/// The partnership a mutation writes into, and whether its client exists already:
/// the stored client's, or for a new one the partnership it names.
pub(crate) async fn target_partnership(conn: &mut AnyConnection, op: &Op) -> Result<(Option<Uuid>, bool), AppError> {
    match op {
        Op::Create { doc_type, doc_id, data } if *doc_type != DocType::Client => {
            let (p, client) = crate::store::document::target_partnership(conn, *doc_id, Some(data)).await?;
            return Ok((p, client.is_some() && p.is_some()));
        }
        Op::Edit { doc_type, doc_id, .. } if *doc_type != DocType::Client => {
            let (p, client) = crate::store::document::target_partnership(conn, *doc_id, None).await?;
            return Ok((p, client.is_some()));
        }
        _ => {}
    }
    let owner: Option<String> =
        sqlx::query_scalar("SELECT partnership_id FROM clients WHERE id = $1").bind(op.doc_id().to_string()).fetch_optional(&mut *conn).await?;
    let partnership = match (&owner, op) {
        (Some(p), _) => Uuid::parse_str(p).ok(),
        (None, Op::Create { data, .. }) => data.get("partnership_id").and_then(|p| p.as_str()).and_then(|p| Uuid::parse_str(p).ok()),
        _ => None,
    };
    Ok((partnership, owner.is_some()))
}

/// The client a mutation writes to: the record itself, a document's client, or the
/// client a note is about. `None` for a document the server has not seen whose data
/// names no client.
pub(crate) async fn client_of(conn: &mut AnyConnection, op: &Op) -> Result<Option<Uuid>, AppError> {
    Ok(match op {
        Op::Create { doc_type: DocType::Client, doc_id, .. } | Op::Edit { doc_type: DocType::Client, doc_id, .. } => Some(*doc_id),
        Op::Create { data, .. } => domain::docs::client_of(data),
        Op::Edit { doc_type, doc_id, .. } => {
            let client: Option<String> =
                sqlx::query_scalar("SELECT client_id FROM documents WHERE id = $1").bind(doc_id.to_string()).fetch_optional(&mut *conn).await?;
            match client {
                Some(c) => Uuid::parse_str(&c).ok(),
                // Not stored (yet): its creation may be held (a restricted client), and an
                // edit made after it must wait with it, not be refused as unknown. A
                // document's id is its client's and kind's, so the held clients tell.
                None => {
                    // A disposed client's documents that went whole tell the same way.
                    let held: Vec<String> = sqlx::query_scalar(
                        "SELECT DISTINCT client_id FROM sync_held WHERE decision IS NULL UNION SELECT client_id FROM disposals",
                    )
                    .fetch_all(&mut *conn)
                    .await?;
                    held.iter().filter_map(|c| Uuid::parse_str(c).ok()).find(|c| domain::docs::doc_id_for(*c, *doc_type) == *doc_id)
                }
            }
        }
        Op::AddNote { client_id, .. } => Some(*client_id),
    })
}

/// A write aimed outside the user's partnerships goes into the owning partnership's
/// audit log, so its coordinators see who tried.
pub(crate) async fn refused(conn: &mut AnyConnection, user: &CurrentUser, m: &Mutation) -> Result<(), AppError> {
    let doc = m.op.doc_id();
    let (partnership, client_exists) = target_partnership(conn, &m.op).await?;
    if let Some(p) = partnership {
        let known: Option<String> =
            sqlx::query_scalar("SELECT id FROM partnerships WHERE id = $1").bind(p.to_string()).fetch_optional(&mut *conn).await?;
        if known.is_some() {
            let client = client_exists.then_some(doc);
            audit::record(conn, user, p, client, Action::Refused, &format!("sync mutation {}", m.id)).await?;
        }
    }
    Ok(())
}

pub(crate) async fn apply(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, origin: Origin, m: &Mutation) -> Result<Outcome, AppError> {
    let invalid = AppError::fields(lang);
    let written_at = domain::sync::believable_written_at(m.written_at, now().saturating_mul(1000));
    match &m.op {
        Op::Create { doc_type: DocType::Client, doc_id, data } => {
            let input = client_from_doc(data, lang).map_err(invalid)?;
            user.role_in(input.partnership_id)?;
            let exists: Option<String> =
                sqlx::query_scalar("SELECT id FROM clients WHERE id = $1").bind(doc_id.to_string()).fetch_optional(&mut *conn).await?;
            if exists.is_some() {
                return Err(invalid(vec![field("/id", "exists", lang.pick("Dokument o tym identyfikatorze już istnieje.", "A document with this id exists already."))]));
            }
            client::create_in(conn, user, lang, *doc_id, &input, origin).await?;
            Ok(Outcome::Applied { revision: 1 })
        }
        Op::Create { doc_type, doc_id, data } => match document::create(conn, user, lang, origin, *doc_type, *doc_id, data).await? {
            Created::New => Ok(Outcome::Applied { revision: 1 }),
            Created::Exists(changes) => {
                let edit = Edit { doc_type: *doc_type, doc_id: *doc_id, base_revision: 0, changes: &changes, written_at };
                versioned::edit(conn, user, lang, origin, edit).await
            }
        },
        Op::Edit { doc_type, doc_id, base_revision, changes } => {
            if changes.len() > MAX_CHANGES {
                return Err(invalid(vec![field("/changes", "too_many", "too many changes in one mutation")]));
            }
            let edit = Edit { doc_type: *doc_type, doc_id: *doc_id, base_revision: *base_revision, changes, written_at };
            versioned::edit(conn, user, lang, origin, edit).await
        }
        Op::AddNote { note_id, client_id, text } => {
            let client = client::load(conn, user, *client_id).await?;
            client::writable(&client, lang)?;
            let text = validate_note(text, lang).map_err(invalid)?;
            sqlx::query(
                "INSERT INTO notes (id, client_id, partnership_id, text, written_at, author_id, device_id, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            )
            .bind(note_id.to_string())
            .bind(client_id.to_string())
            .bind(client.data.partnership_id.to_string())
            .bind(text)
            .bind(written_at)
            .bind(user.id.to_string())
            .bind(origin.device.map(|d| d.to_string()))
            .bind(now())
            .execute(&mut *conn)
            .await?;
            audit::record(conn, user, client.data.partnership_id, Some(*client_id), Action::Create, "note").await?;
            Ok(Outcome::Applied { revision: 0 })
        }
    }
}

