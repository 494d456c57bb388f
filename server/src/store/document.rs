//! Case documents on the server: one of each kind per client, written through the
//! sync engine (create, field edits merged with conflicts kept) and read by the
//! client card, its print views and its history. Every write re-runs the domain
//! crate's validation against the partnership as it is now (its partners and its
//! own services); every read of a document is in the audit log, marked when the
//! document holds special-category data.

use domain::docs::support::Support;
use domain::docs::{self, client_of, doc_id_for, DocContext, DocRecord};
use domain::merge::{self, Change};
use domain::sync::validate_doc;
use domain::docs::DocType;
use domain::validation::format_timestamp_warsaw;
use domain::Lang;
use serde_json::Value;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{internal, invalid};
use crate::store::audit::{self, Action};
use crate::store::user::CurrentUser;
use crate::error::AppError;
use crate::store::history::{self, NewVersion, Origin};
use crate::store::client;
use crate::{now, today};

/// Checks a whole document as the browser did, against the partnership it is in.
pub(crate) async fn validated(conn: &mut AnyConnection, doc_type: DocType, partnership: Uuid, data: &Value, lang: Lang) -> Result<Value, AppError> {
    let (partners, custom_services) = crate::store::partnership::context(conn, partnership).await?;
    let ctx = DocContext { today: today(), partners: &partners, custom_services: &custom_services };
    validate_doc(doc_type, data, lang, &ctx).map_err(AppError::fields(lang))
}

#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    id: String,
    doc_type: String,
    client_id: String,
    partnership_id: String,
    data: String,
    version: i64,
    updated_at: i64,
    updated_by: String,
}

pub(crate) const SELECT: &str = "SELECT d.id, d.doc_type, d.client_id, d.partnership_id, d.data, d.version, d.updated_at, u.display_name AS updated_by
    FROM documents d JOIN users u ON u.id = d.updated_by";

pub(crate) fn record(r: Row) -> Result<DocRecord, AppError> {
    let uuid = |s: &str| Uuid::parse_str(s).map_err(internal);
    Ok(DocRecord {
        id: uuid(&r.id)?,
        doc_type: DocType::parse(&r.doc_type).ok_or_else(|| AppError::Internal(format!("unknown document type {}", r.doc_type)))?,
        client_id: uuid(&r.client_id)?,
        partnership_id: uuid(&r.partnership_id)?,
        version: r.version,
        updated_at: format_timestamp_warsaw(r.updated_at),
        updated_by: r.updated_by,
        data: serde_json::from_str(&r.data).map_err(internal)?,
    })
}

/// A document of one of the user's partnerships; `NotFound` for any other.
pub(crate) async fn load(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<DocRecord, AppError> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE d.id = $1")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    let doc = record(row.ok_or(AppError::NotFound)?)?;
    user.role_in(doc.partnership_id)?;
    // What is left of a disposed client's documents is counted in reports, never opened.
    if crate::store::disposal::is_disposed(conn, doc.client_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(doc)
}

/// The case documents of a client the caller may already see.
pub(crate) async fn of_client(conn: &mut AnyConnection, client: Uuid) -> Result<Vec<DocRecord>, AppError> {
    let rows: Vec<Row> =
        sqlx::query_as(&format!("{SELECT} WHERE d.client_id = $1 ORDER BY d.doc_type")).bind(client.to_string()).fetch_all(&mut *conn).await?;
    rows.into_iter().map(record).collect()
}

/// Where a stored document belongs.
#[derive(sqlx::FromRow)]
struct Placed {
    partnership_id: String,
    client_id: String,
}

/// The partnership a write to a case document lands in: the stored document's, or
/// for a new one its client's.
pub(crate) async fn target_partnership(conn: &mut AnyConnection, doc_id: Uuid, data: Option<&Value>) -> Result<(Option<Uuid>, Option<Uuid>), AppError> {
    let stored: Option<Placed> =
        sqlx::query_as("SELECT partnership_id, client_id FROM documents WHERE id = $1").bind(doc_id.to_string()).fetch_optional(&mut *conn).await?;
    if let Some(Placed { partnership_id: p, client_id: c }) = stored {
        return Ok((Uuid::parse_str(&p).ok(), Uuid::parse_str(&c).ok()));
    }
    let Some(client) = data.and_then(client_of) else { return Ok((None, None)) };
    let owner: Option<String> =
        sqlx::query_scalar("SELECT partnership_id FROM clients WHERE id = $1").bind(client.to_string()).fetch_optional(&mut *conn).await?;
    Ok((owner.and_then(|p| Uuid::parse_str(&p).ok()), Some(client)))
}

/// What became of a document made on a device.
pub(crate) enum Created {
    /// Stored as revision 1.
    New,
    /// Another device made the same client's document first: these are the fields
    /// to merge into it, as an edit of the empty document, so neither device's
    /// writing is lost.
    Exists(Vec<Change>),
}

/// A document made on a device, stored unless it exists already.
pub(crate) async fn create(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    lang: Lang,
    origin: Origin,
    doc_type: DocType,
    doc_id: Uuid,
    data: &Value,
) -> Result<Created, AppError> {
    let client_id = client_of(data).ok_or_else(|| invalid(lang, "/client_id", "required", "Dokument nie wskazuje klienta.", "The document names no client."))?;
    if doc_id != doc_id_for(client_id, doc_type) {
        return Err(invalid(lang, "/id", "doc_id", "Identyfikator dokumentu nie pasuje do klienta.", "The document id does not match its client."));
    }
    let client = client::lock_and_load(conn, user, client_id).await?;
    client::writable(&client, lang)?;
    let partnership = client.data.partnership_id;
    // Normalised first, so fields the device left out read as empty, not as deleted.
    let valid = validated(conn, doc_type, partnership, data, lang).await?;
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM documents WHERE id = $1").bind(doc_id.to_string()).fetch_optional(&mut *conn).await?;
    if exists.is_some() {
        return Ok(Created::Exists(merge::diff(&docs::empty(doc_type, client_id), &valid)));
    }
    let text = serde_json::to_string(&valid).map_err(internal)?;
    let t = now();
    sqlx::query(
        "INSERT INTO documents (id, client_id, partnership_id, doc_type, data, version, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $6, $7)",
    )
    .bind(doc_id.to_string())
    .bind(client_id.to_string())
    .bind(partnership.to_string())
    .bind(doc_type.as_str())
    .bind(&text)
    .bind(user.id.to_string())
    .bind(t)
    .execute(&mut *conn)
    .await?;
    let changed: Vec<String> = merge::diff(&docs::empty(doc_type, client_id), &valid).iter().map(|c| merge::pointer(&c.path)).collect();
    history::record(conn, NewVersion { doc_id, revision: 1, doc_type, partnership, data: &text, changed: &changed, by: user.id, origin, at: t }).await?;
    follow_support(conn, doc_type, client_id, &valid).await?;
    audit::record(conn, user, partnership, Some(client_id), Action::Create, doc_type.as_str()).await?;
    Ok(Created::New)
}

/// Loads a document for writing, its row locked first (see `client::lock_and_load`).
pub(crate) async fn lock_and_load(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<DocRecord, AppError> {
    sqlx::query("UPDATE documents SET version = version WHERE id = $1").bind(id.to_string()).execute(&mut *conn).await?;
    load(conn, user, id).await
}

/// Stores `data` as the document's next version; the caller holds the row lock and has
/// checked that the client's processing is not restricted (`versioned::edit`/`resolve`).
pub(crate) async fn save(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, current: &DocRecord, data: &Value, origin: Origin) -> Result<i64, AppError> {
    if client_of(data) != Some(current.client_id) {
        return Err(invalid(lang, "/client_id", "immutable", "Dokumentu nie można przenieść do innego klienta.", "A document cannot move to another client."));
    }
    let valid = validated(conn, current.doc_type, current.partnership_id, data, lang).await?;
    let text = serde_json::to_string(&valid).map_err(internal)?;
    let t = now();
    let done = sqlx::query("UPDATE documents SET data = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $4 AND version = $5")
        .bind(&text)
        .bind(user.id.to_string())
        .bind(t)
        .bind(current.id.to_string())
        .bind(current.version)
        .execute(&mut *conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(lang.pick("Dokument zmienił się od chwili, gdy go otwarto: otwórz go ponownie.", "The document was changed since you opened it: open it again.")));
    }
    let changed: Vec<String> = merge::diff(&current.data, &valid).iter().map(|c| merge::pointer(&c.path)).collect();
    let revision = current.version + 1;
    let version = NewVersion {
        doc_id: current.id,
        revision,
        doc_type: current.doc_type,
        partnership: current.partnership_id,
        data: &text,
        changed: &changed,
        by: user.id,
        origin,
        at: t,
    };
    history::record(conn, version).await?;
    follow_support(conn, current.doc_type, current.client_id, &valid).await?;
    audit::record(conn, user, current.partnership_id, Some(current.client_id), Action::Update, &format!("{} {}", current.doc_type.as_str(), changed.join(" "))).await?;
    Ok(revision)
}

/// The client's status follows the course of support: closed while the latest
/// period has ended, active again once a new one starts. Caseloads, due lists and
/// devices' caseloads all read the status.
pub(crate) async fn follow_support(conn: &mut AnyConnection, doc_type: DocType, client: Uuid, data: &Value) -> Result<(), AppError> {
    if doc_type != DocType::Support {
        return Ok(());
    }
    let support: Support = serde_json::from_value(data.clone()).map_err(internal)?;
    let status = if support.closed(today()) { "closed" } else { "active" };
    sqlx::query("UPDATE clients SET status = $1 WHERE id = $2").bind(status).bind(client.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// What the audit log says about a read: which documents, and that some hold
/// special-category data (GDPR art. 9).
pub(crate) fn read_detail(types: &[DocType]) -> String {
    let mut parts: Vec<String> = types.iter().map(|t| t.as_str().to_string()).collect();
    if types.iter().any(|t| t.sensitive()) {
        parts.push("(art. 9)".into());
    }
    parts.join(" ")
}

/// The partnership and client of any versioned document (a client record too).
pub(crate) async fn owner_of(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<(Uuid, Uuid, DocType), AppError> {
    if let Ok(doc) = load(conn, user, id).await {
        return Ok((doc.partnership_id, doc.client_id, doc.doc_type));
    }
    let client = client::load(conn, user, id).await?;
    Ok((client.data.partnership_id, id, DocType::Client))
}

/// One stored case document of a partnership, as the dashboard and the report read
/// them in bulk.
pub(crate) struct KindRow {
    pub client_id: String,
    pub doc_type: DocType,
    pub data: String,
}

#[derive(sqlx::FromRow)]
struct StoredKindRow {
    client_id: String,
    doc_type: String,
    data: String,
}

/// Every document of these kinds in a partnership. The kinds are bound, not written
/// into the SQL, so the list of kinds stays the one in `domain::docs`.
pub(crate) async fn of_kinds(conn: &mut AnyConnection, partnership: Uuid, kinds: &[DocType]) -> Result<Vec<KindRow>, AppError> {
    let sql = format!(
        "SELECT client_id, doc_type, data FROM documents WHERE partnership_id = $1 AND doc_type IN ({})",
        crate::db::placeholders(2, kinds.len())
    );
    let mut q = sqlx::query_as::<_, StoredKindRow>(&sql).bind(partnership.to_string());
    for k in kinds {
        q = q.bind(k.as_str());
    }
    q.fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|StoredKindRow { client_id, doc_type: t, data }| {
            let doc_type = DocType::parse(&t).ok_or_else(|| AppError::Internal(format!("unknown document type {t}")))?;
            Ok(KindRow { client_id, doc_type, data })
        })
        .collect()
}
