//! The one save routine for documents a device saves whole with the text it started
//! from (the monthly report's narrative, the partnership's documents; the rule is
//! `domain::draft`): queue the write, apply the kind's own refusal, merge three-way
//! against the stored copy, check the result, write it, record who changed it, and
//! answer with the stored copy and the fields someone else had changed.
//!
//! Each kind plugs in only what is its own by implementing [`Saving`]: where it is
//! stored, when it refuses a change (a report marked final, an agreement once
//! signed), how it checks and normalises its content, and what one save writes.

use std::future::Future;

use domain::merge::{self, Path};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use sqlx::{Acquire, AnyConnection};
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::store::audit::{self, Action};
use crate::store::user::CurrentUser;

/// A stored copy: its content and version.
pub(crate) struct Held<C> {
    pub content: C,
    pub version: i64,
}

/// What a kind of whole document brings to [`save`].
pub(crate) trait Saving: Sync {
    /// The part a person edits.
    type Content: Serialize + DeserializeOwned + Send + Sync;
    /// The whole copy the server answers with.
    type Whole: Send;

    fn partnership(&self) -> Uuid;
    /// Takes the document's write lock first, so that on SQLite two saves queue
    /// instead of failing to upgrade a read.
    fn lock(&self, conn: &mut AnyConnection) -> impl Future<Output = Result<(), AppError>> + Send;
    /// The stored copy, if any; or the kind's own refusal of any change (a final
    /// report, a signed agreement).
    fn held(&self, conn: &mut AnyConnection) -> impl Future<Output = Result<Option<Held<Self::Content>>, AppError>> + Send;
    /// The content of a document never saved.
    fn empty(&self) -> Self::Content;
    /// The merged content checked (and normalised) by the kind's rule, knowing the
    /// fields left in conflict and whether the save closes the document.
    fn check(&self, merged: Self::Content, conflicts: &[Path], finalise: bool) -> Result<Self::Content, AppError>;
    /// Writes the checked content as the version after `held` (none: the first).
    fn write(&self, conn: &mut AnyConnection, content: &Self::Content, held: Option<i64>, finalise: bool, user: &CurrentUser)
        -> impl Future<Output = Result<(), AppError>> + Send;
    /// The audit log's words for this save.
    fn detail(&self, finalise: bool) -> String;
    fn whole(&self, conn: &mut AnyConnection) -> impl Future<Output = Result<Self::Whole, AppError>> + Send;
}

fn json<T: Serialize>(t: &T) -> Result<Value, AppError> {
    serde_json::to_value(t).map_err(internal)
}

/// Saves `mine`, written from `base`, into `doc` in one transaction; answers the
/// stored copy and the fields kept as they were because someone else changed them.
pub(crate) async fn save<S: Saving>(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    doc: &S,
    base: &S::Content,
    mine: &S::Content,
    finalise: bool,
) -> Result<(S::Whole, Vec<Path>), AppError> {
    let mut tx = conn.begin().await?;
    doc.lock(&mut tx).await?;
    let held = doc.held(&mut tx).await?;
    let theirs = match &held {
        Some(h) => json(&h.content)?,
        None => json(&doc.empty())?,
    };
    let merged = merge::merge(&json(base)?, &json(mine)?, &theirs);
    let conflicts: Vec<Path> = merged.conflicts.into_iter().map(|c| c.path).collect();
    let content: S::Content = serde_json::from_value(merged.doc).map_err(internal)?;
    let content = doc.check(content, &conflicts, finalise)?;
    doc.write(&mut tx, &content, held.map(|h| h.version), finalise, user).await?;
    audit::record(&mut tx, user, doc.partnership(), None, Action::Update, &doc.detail(finalise)).await?;
    let whole = doc.whole(&mut tx).await?;
    tx.commit().await?;
    Ok((whole, conflicts))
}
