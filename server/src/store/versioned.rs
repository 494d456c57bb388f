//! One abstraction over everything kept in versions — a client record or a case
//! document — so sync has one edit path and one resolve path: lock the row, load it,
//! merge field by field, save the next version, keep conflicts side by side.

use domain::api::ClientRecord;
use domain::docs::{DocRecord, DocType};
use domain::merge::{self, Change, Path};
use domain::sync::{client_from_doc, ConflictView, Outcome};
use domain::Lang;
use serde_json::Value;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::store::conflict::{store_conflicts, ConflictContext};
use crate::store::history::Origin;
use crate::store::user::CurrentUser;
use crate::store::{client, document};

/// A versioned record as loaded for writing, its row locked.
pub(crate) enum Current {
    Client(Box<ClientRecord>),
    Document(DocRecord),
}

impl Current {
    /// Locks and loads the record of this kind; `NotFound` outside the user's partnerships.
    pub(crate) async fn lock_and_load(conn: &mut AnyConnection, user: &CurrentUser, doc_type: DocType, id: Uuid) -> Result<Current, AppError> {
        Ok(match doc_type {
            DocType::Client => Current::Client(Box::new(client::lock_and_load(conn, user, id).await?)),
            _ => Current::Document(document::lock_and_load(conn, user, id).await?),
        })
    }

    /// Refuses any write — a merge, a conflict kept, a resolution — to a client whose
    /// processing is restricted (GDPR art. 18), before anything is stored.
    async fn writable(&self, conn: &mut AnyConnection, lang: Lang) -> Result<(), AppError> {
        match client::restriction_of(conn, self.client_id()).await? {
            Some(reason) => Err(AppError::Restricted { lang, reason }),
            None => Ok(()),
        }
    }

    fn doc_type(&self) -> DocType {
        match self {
            Current::Client(_) => DocType::Client,
            Current::Document(d) => d.doc_type,
        }
    }

    fn version(&self) -> i64 {
        match self {
            Current::Client(c) => c.version,
            Current::Document(d) => d.version,
        }
    }

    fn client_id(&self) -> Uuid {
        match self {
            Current::Client(c) => c.id,
            Current::Document(d) => d.client_id,
        }
    }

    fn partnership(&self) -> Uuid {
        match self {
            Current::Client(c) => c.data.partnership_id,
            Current::Document(d) => d.partnership_id,
        }
    }

    fn id(&self) -> Uuid {
        match self {
            Current::Client(c) => c.id,
            Current::Document(d) => d.id,
        }
    }

    fn data(&self) -> Result<Value, AppError> {
        match self {
            Current::Client(c) => serde_json::to_value(&c.data).map_err(internal),
            Current::Document(d) => Ok(d.data.clone()),
        }
    }

    /// Stores `data` as the next version, validated as the browser validated it.
    pub(crate) async fn save(&self, conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, data: &Value, origin: Origin) -> Result<i64, AppError> {
        match self {
            Current::Client(current) => {
                let input = client_from_doc(data, lang).map_err(AppError::fields(lang))?;
                client::save_edit(conn, user, lang, current, &input, origin).await
            }
            Current::Document(current) => document::save(conn, user, lang, current, data, origin).await,
        }
    }

    /// Whether `data` says what is stored already (for a client record: as the typed
    /// record, so a field's spelling in JSON does not count).
    fn holds(&self, data: &Value, lang: Lang) -> Result<bool, AppError> {
        Ok(match self {
            Current::Client(current) => client_from_doc(data, lang).map_err(AppError::fields(lang))? == current.data,
            Current::Document(current) => *data == current.data,
        })
    }

    /// Who last wrote the record, and when: the "theirs" of a conflict.
    async fn last_writer(&self, conn: &mut AnyConnection) -> Result<(String, i64), AppError> {
        let table = match self {
            Current::Client(_) => "clients",
            Current::Document(_) => "documents",
        };
        Ok(sqlx::query_as(&format!("SELECT updated_by, updated_at FROM {table} WHERE id = $1")).bind(self.id().to_string()).fetch_one(&mut *conn).await?)
    }
}

/// Field changes a device made to one record.
pub(crate) struct Edit<'a> {
    pub doc_type: DocType,
    pub doc_id: Uuid,
    /// The revision the device started from.
    pub base_revision: i64,
    pub changes: &'a [Change],
    /// When the person made them, by the device's clock (ms).
    pub written_at: i64,
}

/// Field changes from a device, merged into the record as it is now: what merges is
/// stored as the next version, what both sides changed is kept as a conflict.
pub(crate) async fn edit(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, origin: Origin, e: Edit<'_>) -> Result<Outcome, AppError> {
    let Edit { doc_type, doc_id, base_revision, changes, written_at } = e;
    let current = Current::lock_and_load(conn, user, doc_type, doc_id).await?;
    current.writable(conn, lang).await?;
    let merged = merge::apply(&current.data()?, changes);
    // Who wrote the values a conflict keeps, read before this edit overwrites it.
    let theirs = if merged.conflicts.is_empty() { None } else { Some(current.last_writer(conn).await?) };
    let mut revision = current.version();
    if merged.changed {
        revision = current.save(conn, user, lang, &merged.doc, origin).await?;
    }
    let Some((theirs_user, theirs_at)) = theirs else {
        return Ok(Outcome::Applied { revision });
    };
    let ctx = ConflictContext {
        doc_type: current.doc_type(),
        doc_id,
        client_id: current.client_id(),
        partnership: current.partnership(),
        base_revision,
        mine_at: written_at,
        theirs_user: &theirs_user,
        theirs_at,
    };
    let conflicts: Vec<ConflictView> = store_conflicts(conn, user, origin, &ctx, merged.conflicts).await?;
    Ok(Outcome::Conflict { revision, conflicts })
}

/// A person's decision on a conflict: the chosen value written at its path as the
/// record's next version.
pub(crate) async fn resolve(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    lang: Lang,
    target: (DocType, Uuid),
    path: &Path,
    value: Value,
) -> Result<(), AppError> {
    let current = Current::lock_and_load(conn, user, target.0, target.1).await?;
    current.writable(conn, lang).await?;
    let mut doc = current.data()?;
    merge::set(&mut doc, path, value);
    if !current.holds(&doc, lang)? {
        current.save(conn, user, lang, &doc, Origin::default()).await?;
    }
    Ok(())
}
