//! The sync engine's server side. A device pushes its outbox as a batch of
//! mutations; each is applied at most once (its id is claimed in the same
//! transaction that applies it), re-validated with the shared domain rules, merged
//! field by field into the document as it is now, and scoped to the user's
//! partnerships. The answer for a batch is sent only after the batch is committed.

use axum::extract::{Path, State};
use domain::api::Problem;
use domain::merge::{self, Conflict};
use domain::docs::DocType;
use domain::sync::{
    client_from_doc, validate_note, Caseload, ConflictView, Mutation, MutationResult, Note, Op, Outcome,
    PushRequest, PushResponse, Resolution, MAX_BATCH,
};
use domain::validation::{format_timestamp_warsaw, FieldError};
use domain::Lang;
use sqlx::{Acquire, AnyConnection};
use uuid::Uuid;

use crate::audit::{self, Action};
use crate::auth::CurrentUser;
use crate::client;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::history::Origin;
use crate::lang::RequestLang;
use crate::{now, AppState};

/// Most field changes one mutation may carry.
const MAX_CHANGES: usize = 2_000;

#[utoipa::path(post, path = "/api/v1/sync/push", tag = "sync", request_body = PushRequest,
    responses((status = 200, body = PushResponse), (status = 400, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn push(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<PushRequest>,
) -> ApiResult<PushResponse> {
    if req.mutations.len() > MAX_BATCH {
        return Err(AppError::BadRequest(format!("at most {MAX_BATCH} mutations per push; send the rest in the next one")));
    }
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let t = now();
    // A write first: on SQLite it takes the write lock at once, so concurrent pushes
    // queue behind each other instead of failing to upgrade a read transaction.
    sqlx::query(
        "INSERT INTO devices (id, user_id, first_seen, last_seen) VALUES ($1, $2, $3, $3)
         ON CONFLICT (id, user_id) DO UPDATE SET last_seen = $3",
    )
    .bind(req.device_id.to_string())
    .bind(user.id.to_string())
    .bind(t)
    .execute(&mut *tx)
    .await?;
    let (revoked,): (Option<i64>,) = sqlx::query_as("SELECT revoked_at FROM devices WHERE id = $1 AND user_id = $2")
        .bind(req.device_id.to_string())
        .bind(user.id.to_string())
        .fetch_one(&mut *tx)
        .await?;
    let mut results = Vec::with_capacity(req.mutations.len());
    for m in &req.mutations {
        let outcome = match revoked {
            Some(_) => crate::device::hold(&mut tx, &user, lang, req.device_id, m).await?,
            None => apply_once(&mut tx, &user, lang, req.device_id, m).await?,
        };
        results.push(MutationResult { mutation_id: m.id, outcome });
    }
    tx.commit().await?;
    Ok(ApiJson(PushResponse { results }))
}

pub(crate) fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(e.to_string())
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
        let (owner, result): (String, String) =
            sqlx::query_as("SELECT user_id, result FROM sync_mutations WHERE id = $1").bind(m.id.to_string()).fetch_one(&mut *conn).await?;
        if owner != user.id.to_string() || result.is_empty() {
            return Ok(Outcome::Rejected { errors: vec![field("/id", "reused", match lang {
                Lang::Pl => "Ten identyfikator zmiany był już użyty.",
                Lang::En => "This change id was used before.",
            })] });
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

pub(crate) fn field(pointer: &str, code: &str, message: &str) -> FieldError {
    FieldError { pointer: pointer.into(), code: code.into(), message: message.into() }
}

/// The answer for a document outside the user's partnerships: the same as for one
/// that does not exist.
pub(crate) fn not_found(lang: Lang) -> Outcome {
    Outcome::Rejected { errors: vec![field("", "not_found", match lang {
        Lang::Pl => "Nie ma takiego dokumentu w Twoich partnerstwach.",
        Lang::En => "There is no such document in your partnerships.",
    })] }
}

/// The partnership a mutation writes into, and whether its client exists already:
/// the stored client's, or for a new one the partnership it names.
pub(crate) async fn target_partnership(conn: &mut AnyConnection, op: &Op) -> Result<(Option<Uuid>, bool), AppError> {
    match op {
        Op::Create { doc_type, doc_id, data } if *doc_type != DocType::Client => {
            let (p, client) = crate::document::target_partnership(conn, *doc_id, Some(data)).await?;
            return Ok((p, client.is_some() && p.is_some()));
        }
        Op::Edit { doc_type, doc_id, .. } if *doc_type != DocType::Client => {
            let (p, client) = crate::document::target_partnership(conn, *doc_id, None).await?;
            return Ok((p, client.is_some()));
        }
        _ => {}
    }
    let owner: Option<(String,)> =
        sqlx::query_as("SELECT partnership_id FROM clients WHERE id = $1").bind(op.doc_id().to_string()).fetch_optional(&mut *conn).await?;
    let partnership = match (&owner, op) {
        (Some((p,)), _) => Uuid::parse_str(p).ok(),
        (None, Op::Create { data, .. }) => data.get("partnership_id").and_then(|p| p.as_str()).and_then(|p| Uuid::parse_str(p).ok()),
        _ => None,
    };
    Ok((partnership, owner.is_some()))
}

/// A write aimed outside the user's partnerships goes into the owning partnership's
/// audit log, so its coordinators see who tried.
pub(crate) async fn refused(conn: &mut AnyConnection, user: &CurrentUser, m: &Mutation) -> Result<(), AppError> {
    let doc = m.op.doc_id();
    let (partnership, client_exists) = target_partnership(conn, &m.op).await?;
    if let Some(p) = partnership {
        let known: Option<(String,)> =
            sqlx::query_as("SELECT id FROM partnerships WHERE id = $1").bind(p.to_string()).fetch_optional(&mut *conn).await?;
        if known.is_some() {
            let client = client_exists.then_some(doc);
            audit::record(conn, user, p, client, Action::Refused, &format!("sync mutation {}", m.id)).await?;
        }
    }
    Ok(())
}

async fn apply(conn: &mut AnyConnection, user: &CurrentUser, lang: Lang, origin: Origin, m: &Mutation) -> Result<Outcome, AppError> {
    let invalid = |errors: Vec<FieldError>| AppError::Invalid { errors, lang };
    match &m.op {
        Op::Create { doc_type: DocType::Client, doc_id, data } => {
            let input = client_from_doc(data, lang).map_err(invalid)?;
            user.role_in(input.partnership_id)?;
            let exists: Option<(String,)> =
                sqlx::query_as("SELECT id FROM clients WHERE id = $1").bind(doc_id.to_string()).fetch_optional(&mut *conn).await?;
            if exists.is_some() {
                return Err(invalid(vec![field("/id", "exists", match lang {
                    Lang::Pl => "Dokument o tym identyfikatorze już istnieje.",
                    Lang::En => "A document with this id exists already.",
                })]));
            }
            client::create_in(conn, user, lang, *doc_id, &input, origin).await?;
            Ok(Outcome::Applied { revision: 1 })
        }
        Op::Edit { doc_type: DocType::Client, doc_id, base_revision, changes } => {
            if changes.len() > MAX_CHANGES {
                return Err(invalid(vec![field("/changes", "too_many", "too many changes in one mutation")]));
            }
            let current = client::lock_and_load(conn, user, *doc_id).await?;
            let now_doc = serde_json::to_value(&current.data).map_err(internal)?;
            let merged = merge::apply(&now_doc, changes);
            let mut revision = current.version;
            // Who wrote the values a conflict keeps, read before this edit overwrites it.
            let theirs: Option<(String, i64)> = match merged.conflicts.is_empty() {
                true => None,
                false => Some(sqlx::query_as("SELECT updated_by, updated_at FROM clients WHERE id = $1").bind(doc_id.to_string()).fetch_one(&mut *conn).await?),
            };
            if merged.changed {
                let input = client_from_doc(&merged.doc, lang).map_err(invalid)?;
                revision = client::save_edit(conn, user, lang, &current, &input, origin).await?;
            }
            let Some((theirs_user, theirs_at)) = theirs else {
                return Ok(Outcome::Applied { revision });
            };
            let ctx = ConflictContext {
                doc_type: DocType::Client,
                doc_id: *doc_id,
                client_id: *doc_id,
                partnership: current.data.partnership_id,
                base_revision: *base_revision,
                mine_at: m.written_at,
                theirs_user: &theirs_user,
                theirs_at,
            };
            let conflicts = store_conflicts(conn, user, origin, &ctx, merged.conflicts).await?;
            Ok(Outcome::Conflict { revision, conflicts })
        }
        Op::Create { doc_type, doc_id, data } => crate::document::create(conn, user, lang, origin, m, *doc_type, *doc_id, data).await,
        Op::Edit { doc_id, base_revision, changes, .. } => {
            if changes.len() > MAX_CHANGES {
                return Err(invalid(vec![field("/changes", "too_many", "too many changes in one mutation")]));
            }
            crate::document::edit(conn, user, lang, origin, m, *doc_id, *base_revision, changes).await
        }
        Op::AddNote { note_id, client_id, text } => {
            let client = client::load(conn, user, *client_id).await?;
            let text = validate_note(text, lang).map_err(invalid)?;
            sqlx::query(
                "INSERT INTO notes (id, client_id, partnership_id, text, written_at, author_id, device_id, received_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
            )
            .bind(note_id.to_string())
            .bind(client_id.to_string())
            .bind(client.data.partnership_id.to_string())
            .bind(text)
            .bind(m.written_at)
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

const CONFLICT_SELECT: &str = "SELECT k.id, k.doc_type, k.doc_id, k.client_id, k.partnership_id, k.path, k.base, k.mine, k.theirs,
        k.base_revision, mu.display_name AS mine_by, k.mine_at, tu.display_name AS theirs_by, k.theirs_at,
        ru.display_name AS resolved_by, k.resolved_at, k.resolution
    FROM sync_conflicts k JOIN users mu ON mu.id = k.mine_user_id JOIN users tu ON tu.id = k.theirs_user_id
    LEFT JOIN users ru ON ru.id = k.resolved_by";

#[derive(sqlx::FromRow)]
struct ConflictRow {
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

fn conflict_view(r: ConflictRow) -> Result<(Uuid, ConflictView), AppError> {
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

async fn load_conflict(conn: &mut AnyConnection, id: Uuid) -> Result<(Uuid, ConflictView), AppError> {
    let row: Option<ConflictRow> =
        sqlx::query_as(&format!("{CONFLICT_SELECT} WHERE k.id = $1")).bind(id.to_string()).fetch_optional(&mut *conn).await?;
    conflict_view(row.ok_or(AppError::NotFound)?)
}

async fn client_conflicts(conn: &mut AnyConnection, client: Uuid) -> Result<Vec<ConflictView>, AppError> {
    let rows: Vec<ConflictRow> = sqlx::query_as(&format!(
        "{CONFLICT_SELECT} WHERE k.client_id = $1 ORDER BY CASE WHEN k.resolved_at IS NULL THEN 0 ELSE 1 END, k.created_at DESC LIMIT 100"
    ))
    .bind(client.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter().map(|r| conflict_view(r).map(|(_, v)| v)).collect()
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/conflicts", tag = "sync", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<ConflictView>), (status = 404, body = Problem)))]
pub async fn conflicts(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<ConflictView>> {
    let mut conn = state.db.pool.acquire().await?;
    client::load(&mut conn, &user, id).await?;
    Ok(ApiJson(client_conflicts(&mut conn, id).await?))
}

#[utoipa::path(post, path = "/api/v1/conflicts/{id}/resolve", tag = "sync", request_body = Resolution,
    params(("id" = Uuid, Path, description = "conflict")),
    responses((status = 200, body = ConflictView), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn resolve(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(decision): ApiJson<Resolution>,
) -> ApiResult<ConflictView> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let (partnership, view) = load_conflict(&mut tx, id).await?;
    user.role_in(partnership)?;
    if view.resolved_at.is_empty() {
        if view.doc_type == DocType::Client {
            let current = client::lock_and_load(&mut tx, &user, view.client_id).await?;
            let mut doc = serde_json::to_value(&current.data).map_err(internal)?;
            merge::set(&mut doc, &view.path, decision.value.clone());
            let input = client_from_doc(&doc, lang).map_err(|errors| AppError::Invalid { errors, lang })?;
            if input != current.data {
                client::save_edit(&mut tx, &user, lang, &current, &input, Origin::default()).await?;
            }
        } else {
            let current = crate::document::lock_and_load(&mut tx, &user, view.doc_id).await?;
            let mut doc = current.data.clone();
            merge::set(&mut doc, &view.path, decision.value.clone());
            if doc != current.data {
                crate::document::save(&mut tx, &user, lang, &current, &doc, Origin::default()).await?;
            }
        }
        let done = sqlx::query("UPDATE sync_conflicts SET resolved_by = $1, resolved_at = $2, resolution = $3 WHERE id = $4 AND resolved_at IS NULL")
            .bind(user.id.to_string())
            .bind(now())
            .bind(serde_json::to_string(&decision.value).map_err(internal)?)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Conflict("someone resolved this conflict a moment ago"));
        }
        audit::record(&mut tx, &user, partnership, Some(view.client_id), Action::Update, &format!("conflict resolved {}", merge::pointer(&view.path)))
            .await?;
    } else if view.resolution.as_ref() != Some(&decision.value) {
        return Err(AppError::Conflict("this conflict was already resolved differently"));
    }
    let (_, view) = load_conflict(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}

async fn client_notes(conn: &mut AnyConnection, client: Uuid) -> Result<Vec<Note>, AppError> {
    let rows: Vec<(String, String, i64, String)> = sqlx::query_as(
        "SELECT n.id, n.text, n.written_at, u.display_name FROM notes n JOIN users u ON u.id = n.author_id
         WHERE n.client_id = $1 ORDER BY n.written_at, n.id",
    )
    .bind(client.to_string())
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(id, text, written_at, author_name)| Ok(Note { id: Uuid::parse_str(&id).map_err(internal)?, client_id: client, text, written_at, author_name }))
        .collect()
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/notes", tag = "sync", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<Note>), (status = 404, body = Problem)))]
pub async fn notes(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Note>> {
    let mut conn = state.db.pool.acquire().await?;
    let client = client::load(&mut conn, &user, id).await?;
    audit::record(&mut conn, &user, client.data.partnership_id, Some(id), Action::Read, "notes").await?;
    Ok(ApiJson(client_notes(&mut conn, id).await?))
}

#[utoipa::path(get, path = "/api/v1/sync/caseload", tag = "sync",
    responses((status = 200, body = Caseload), (status = 401, body = Problem)))]
pub async fn caseload(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Caseload> {
    let mut conn = state.db.pool.acquire().await?;
    let ids: Vec<(String, String)> =
        sqlx::query_as("SELECT id, partnership_id FROM clients WHERE key_consultant_id = $1 AND status = 'active' ORDER BY sort_key")
            .bind(user.id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Caseload { clients: Vec::new(), notes: Vec::new(), conflicts: Vec::new(), documents: Vec::new() };
    let mut partnerships: Vec<Uuid> = Vec::new();
    for (id, partnership) in ids {
        let id = Uuid::parse_str(&id).map_err(internal)?;
        // Someone who lost a partnership keeps no access through an old assignment.
        let Ok(record) = client::load(&mut conn, &user, id).await else { continue };
        out.notes.extend(client_notes(&mut conn, id).await?);
        out.conflicts.extend(client_conflicts(&mut conn, id).await?.into_iter().filter(|c| c.resolved_at.is_empty()));
        out.documents.extend(crate::document::of_client(&mut conn, id).await?);
        out.clients.push(record);
        let p = Uuid::parse_str(&partnership).map_err(internal)?;
        if !partnerships.contains(&p) {
            partnerships.push(p);
        }
    }
    for p in partnerships {
        let n = out.clients.iter().filter(|c| c.data.partnership_id == p).count();
        audit::record(&mut conn, &user, p, None, Action::Sync, &format!("{n} clients for offline work")).await?;
    }
    Ok(ApiJson(out))
}
