//! Conflicts kept side by side: stored when a merge finds a field both sides changed,
//! read by the client card until a person chooses.


use domain::merge::{self, Conflict};
use domain::docs::DocType;
use domain::sync::ConflictView;
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::internal;
use crate::store::history::Origin;
use crate::store::audit::{self, Action};
use crate::store::user::CurrentUser;
use crate::error::AppError;
use crate::now;

pub(crate) struct ConflictContext<'a> {
    pub doc_type: DocType,
    pub doc_id: Uuid,
    pub client_id: Uuid,
    pub partnership: Uuid,
    pub base_revision: i64,
    pub mine_at: i64,
    pub theirs_user: &'a str,
    pub theirs_at: i64,
}

pub(crate) async fn store_conflicts(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    origin: Origin,
    ctx: &ConflictContext<'_>,
    conflicts: Vec<Conflict>,
) -> Result<Vec<ConflictView>, AppError> {
    let t = now();
    let mut ids = Vec::with_capacity(conflicts.len());
    for c in conflicts {
        let id = Uuid::now_v7();
        let json = |v: &serde_json::Value| serde_json::to_string(v).map_err(internal);
        sqlx::query(
            "INSERT INTO sync_conflicts (id, doc_type, doc_id, client_id, partnership_id, path, base, mine, theirs, base_revision,
                mine_user_id, mine_device_id, mine_at, theirs_user_id, theirs_at, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
        )
        .bind(id.to_string())
        .bind(ctx.doc_type.as_str())
        .bind(ctx.doc_id.to_string())
        .bind(ctx.client_id.to_string())
        .bind(ctx.partnership.to_string())
        .bind(serde_json::to_string(&c.path).map_err(internal)?)
        .bind(json(&c.base)?)
        .bind(json(&c.mine)?)
        .bind(json(&c.theirs)?)
        .bind(ctx.base_revision)
        .bind(user.id.to_string())
        .bind(origin.device.map(|d| d.to_string()).unwrap_or_default())
        .bind(ctx.mine_at)
        .bind(ctx.theirs_user)
        .bind(ctx.theirs_at)
        .bind(t)
        .execute(&mut *conn)
        .await?;
        audit::record(conn, user, ctx.partnership, Some(ctx.client_id), Action::Update, &format!("conflict {}", merge::pointer(&c.path)))
            .await?;
        ids.push(id);
    }
    let mut views = Vec::with_capacity(ids.len());
    for id in ids {
        views.push(load_conflict(conn, id).await?.1);
    }
    Ok(views)
}

pub(crate) const CONFLICT_SELECT: &str = "SELECT k.id, k.doc_type, k.doc_id, k.client_id, k.partnership_id, k.path, k.base, k.mine, k.theirs,
        k.base_revision, mu.display_name AS mine_by, k.mine_at, tu.display_name AS theirs_by, k.theirs_at,
        ru.display_name AS resolved_by, k.resolved_at, k.resolution
    FROM sync_conflicts k JOIN users mu ON mu.id = k.mine_user_id JOIN users tu ON tu.id = k.theirs_user_id
    LEFT JOIN users ru ON ru.id = k.resolved_by";

#[derive(sqlx::FromRow)]
pub(crate) struct ConflictRow {
    id: String,
    doc_type: String,
    doc_id: String,
    client_id: String,
    partnership_id: String,
    path: String,
    base: String,
    mine: String,
    theirs: String,
    base_revision: i64,
    mine_by: String,
    mine_at: i64,
    theirs_by: String,
    theirs_at: i64,
    resolved_by: Option<String>,
    resolved_at: Option<i64>,
    resolution: Option<String>,
}

pub(crate) fn conflict_view(r: ConflictRow) -> Result<(Uuid, ConflictView), AppError> {
    let uuid = |s: &str| Uuid::parse_str(s).map_err(internal);
    let json = |s: &str| serde_json::from_str::<serde_json::Value>(s).map_err(internal);
    let doc_type = DocType::parse(&r.doc_type).ok_or_else(|| AppError::Internal(format!("unknown document type {}", r.doc_type)))?;
    Ok((uuid(&r.partnership_id)?, ConflictView {
        id: uuid(&r.id)?,
        doc_type,
        doc_id: uuid(&r.doc_id)?,
        client_id: uuid(&r.client_id)?,
        path: serde_json::from_str(&r.path).map_err(internal)?,
        base: json(&r.base)?,
        mine: json(&r.mine)?,
        theirs: json(&r.theirs)?,
        base_revision: r.base_revision,
        mine_by: r.mine_by,
        mine_at: format_timestamp_warsaw(r.mine_at.div_euclid(1000)),
        theirs_by: r.theirs_by,
        theirs_at: format_timestamp_warsaw(r.theirs_at),
        resolved_by: r.resolved_by.unwrap_or_default(),
        resolved_at: r.resolved_at.map(format_timestamp_warsaw).unwrap_or_default(),
        resolution: r.resolution.as_deref().map(json).transpose()?,
    }))
}

pub(crate) async fn load_conflict(conn: &mut AnyConnection, id: Uuid) -> Result<(Uuid, ConflictView), AppError> {
    let row: Option<ConflictRow> =
        sqlx::query_as(&format!("{CONFLICT_SELECT} WHERE k.id = $1")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    conflict_view(row.ok_or(AppError::NotFound)?)
}

pub(crate) async fn client_conflicts(conn: &mut AnyConnection, client: Uuid) -> Result<Vec<ConflictView>, AppError> {
    let rows: Vec<ConflictRow> = sqlx::query_as(&format!(
        "{CONFLICT_SELECT} WHERE k.client_id = $1 ORDER BY CASE WHEN k.resolved_at IS NULL THEN 0 ELSE 1 END, k.created_at DESC LIMIT 100"
    ))
    .bind(client.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|r| conflict_view(r).map(|(_, v)| v)).collect()
}
