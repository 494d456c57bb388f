//! The sync engine's server side. A device pushes its outbox as a batch of
//! mutations; each is applied at most once (its id is claimed in the same
//! transaction that applies it), re-validated with the shared domain rules, merged
//! field by field into the document as it is now, and scoped to the user's
//! partnerships. The answer for a batch is sent only after the batch is committed.


use axum::extract::{Path, State};
use domain::api::Problem;
use domain::merge::{self};
use domain::docs::DocType;
use domain::sync::{
    Caseload, ConflictView, MutationResult, Note, OlderNotes, DEVICE_NOTES,
    PushRequest, PushResponse, Resolution, MAX_BATCH,
};
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::internal;
use crate::store::audit::{self, Action};
use crate::extract::{CurrentUser, Opening};
use crate::store::client;
use crate::store::disposal;
use crate::store::versioned;
use crate::store::device::{self, Hold};
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::{now, AppState};

use crate::store::sync::*;
use crate::store::conflict::*;
use crate::store::note::*;

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
    let revoked: Option<i64> = sqlx::query_scalar("SELECT revoked_at FROM devices WHERE id = $1 AND user_id = $2")
        .bind(req.device_id.to_string())
        .bind(user.id.to_string())
        .fetch_one(&mut *tx)
        .await?;
    let mut results = Vec::with_capacity(req.mutations.len());
    for m in &req.mutations {
        let (restricted, disposed) = match crate::store::sync::client_of(&mut tx, &m.op).await? {
            Some(client) => (client::restriction_of(&mut tx, client).await?.is_some(), disposal::is_disposed(&mut tx, client).await?),
            None => (false, false),
        };
        let outcome = if revoked.is_some() {
            device::hold(&mut tx, &user, lang, req.device_id, m, Hold::Revoked).await?
        } else if disposed {
            // Never applied to an anonymised record; a coordinator sees it came and discards it.
            device::hold(&mut tx, &user, lang, req.device_id, m, Hold::Disposed).await?
        } else if restricted {
            // Kept, never dropped: the coordinator applies it once the restriction is lifted.
            device::hold(&mut tx, &user, lang, req.device_id, m, Hold::Restricted).await?
        } else {
            apply_once(&mut tx, &user, lang, req.device_id, m).await?
        };
        results.push(MutationResult { mutation_id: m.id, outcome });
    }
    tx.commit().await?;
    Ok(ApiJson(PushResponse { results }))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/conflicts", tag = "sync", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<ConflictView>), (status = 404, body = Problem)))]
pub async fn conflicts(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> ApiResult<Vec<ConflictView>> {
    let mut conn = state.db.pool.acquire().await?;
    let client = client::load(&mut conn, &user, id).await?;
    // Both sides of a conflict are the client's data.
    audit::read_client(&mut conn, &user, client.data.partnership_id, id, "conflicts", opening).await?;
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
        let target = if view.doc_type == DocType::Client { (DocType::Client, view.client_id) } else { (view.doc_type, view.doc_id) };
        versioned::resolve(&mut tx, &user, lang, target, &view.path, decision.value.clone()).await?;
        let done = sqlx::query("UPDATE sync_conflicts SET resolved_by = $1, resolved_at = $2, resolution = $3 WHERE id = $4 AND resolved_at IS NULL")
            .bind(user.id.to_string())
            .bind(now())
            .bind(serde_json::to_string(&decision.value).map_err(internal)?)
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(AppError::Conflict(lang.pick(
                "Ktoś przed chwilą rozstrzygnął ten konflikt. Karta pokazuje jego decyzję.",
                "Someone resolved this conflict a moment ago. The card shows their decision.",
            )));
        }
        audit::record(&mut tx, &user, partnership, Some(view.client_id), Action::Update, &format!("conflict resolved {}", merge::pointer(&view.path)))
            .await?;
    } else if view.resolution.as_ref() != Some(&decision.value) {
        return Err(AppError::Conflict(lang.pick(
            "Ten konflikt został już rozstrzygnięty inaczej (na innym urządzeniu lub przez inną osobę). Karta pokazuje tę decyzję.",
            "This conflict was already resolved differently (on another device or by someone else). The card shows that decision.",
        )));
    }
    let (_, view) = load_conflict(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}/notes", tag = "sync", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<Note>), (status = 404, body = Problem)))]
pub async fn notes(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> ApiResult<Vec<Note>> {
    let mut conn = state.db.pool.acquire().await?;
    let client = client::load(&mut conn, &user, id).await?;
    audit::read_client(&mut conn, &user, client.data.partnership_id, id, "notes", opening).await?;
    Ok(ApiJson(client_notes(&mut conn, id).await?))
}

#[utoipa::path(get, path = "/api/v1/sync/caseload", tag = "sync",
    responses((status = 200, body = Caseload), (status = 401, body = Problem)))]
pub async fn caseload(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Caseload> {
    let mut conn = state.db.pool.acquire().await?;
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT id FROM clients WHERE key_consultant_id = $1 AND status = 'active' ORDER BY sort_key")
            .bind(user.id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Caseload { clients: Vec::new(), notes: Vec::new(), conflicts: Vec::new(), documents: Vec::new(), older_notes: Vec::new() };
    let mut partnerships: Vec<Uuid> = Vec::new();
    for id in ids {
        let id = Uuid::parse_str(&id).map_err(internal)?;
        // Someone who lost a partnership keeps no access through an old assignment.
        let Ok(record) = client::load(&mut conn, &user, id).await else { continue };
        let (notes, older) = latest_client_notes(&mut conn, id, DEVICE_NOTES).await?;
        out.notes.extend(notes);
        if older > 0 {
            out.older_notes.push(OlderNotes { client_id: id, count: older });
        }
        out.conflicts.extend(client_conflicts(&mut conn, id).await?.into_iter().filter(|c| c.resolved_at.is_empty()));
        out.documents.extend(crate::store::document::of_client(&mut conn, id).await?);
        let p = record.data.partnership_id;
        out.clients.push(record);
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

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(push))
        .routes(routes!(caseload))
        .routes(routes!(conflicts))
        .routes(routes!(resolve))
        .routes(routes!(notes))
}
