//! Case documents as the client card reads them: the list, one document, its history
//! and any version, and the partnership's catalogue of services.


use axum::extract::{Path, State};
use domain::api::Problem;
use domain::docs::{self, CustomService, DocRecord};
use domain::sync::{DocVersion, Version};
use domain::docs::DocType;
use domain::validation::format_timestamp_warsaw;
use serde::{Deserialize, Serialize};
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::internal;
use crate::store::partnership;
use crate::store::audit::{self, Action};
use crate::extract::{CurrentUser, Opening};
use crate::error::{ApiJson, ApiResult, AppError};
use crate::store::history::{self};
use crate::extract::RequestLang;
use crate::store::client;
use crate::{now, AppState};

use crate::store::document::*;

#[utoipa::path(get, path = "/api/v1/clients/{id}/documents", tag = "documents", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<DocRecord>), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> ApiResult<Vec<DocRecord>> {
    let mut conn = state.db.pool.acquire().await?;
    let client = client::load(&mut conn, &user, id).await?;
    let docs = of_client(&mut conn, id).await?;
    let types: Vec<DocType> = docs.iter().map(|d| d.doc_type).collect();
    audit::read_client(&mut conn, &user, client.data.partnership_id, id, &read_detail(&types), opening).await?;
    Ok(ApiJson(docs))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "documents", params(("id" = Uuid, Path, description = "document")),
    responses((status = 200, body = DocRecord), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<DocRecord> {
    let mut conn = state.db.pool.acquire().await?;
    let doc = load(&mut conn, &user, id).await?;
    audit::record(&mut conn, &user, doc.partnership_id, Some(doc.client_id), Action::Read, &read_detail(&[doc.doc_type])).await?;
    Ok(ApiJson(doc))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}/history", tag = "documents", params(("id" = Uuid, Path, description = "document or client")),
    responses((status = 200, body = Vec<Version>), (status = 404, body = Problem)))]
pub async fn history(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> ApiResult<Vec<Version>> {
    let mut conn = state.db.pool.acquire().await?;
    let (partnership, client, doc_type) = owner_of(&mut conn, &user, id).await?;
    let versions = history::versions(&mut conn, id).await?;
    audit::read_client(&mut conn, &user, partnership, client, &format!("history {}", doc_type.as_str()), opening).await?;
    Ok(ApiJson(versions))
}

/// One stored revision of a document, with who wrote it.
#[derive(sqlx::FromRow)]
struct VersionRow {
    by_name: String,
    at: i64,
    data: String,
}

#[utoipa::path(get, path = "/api/v1/documents/{id}/versions/{revision}", tag = "documents",
    params(("id" = Uuid, Path, description = "document or client"), ("revision" = i64, Path, description = "revision")),
    responses((status = 200, body = DocVersion), (status = 404, body = Problem)))]
pub async fn version(State(state): State<AppState>, user: CurrentUser, Path((id, revision)): Path<(Uuid, i64)>) -> ApiResult<DocVersion> {
    let mut conn = state.db.pool.acquire().await?;
    let (partnership, client, doc_type) = owner_of(&mut conn, &user, id).await?;
    let row: Option<VersionRow> = sqlx::query_as(
        "SELECT u.display_name AS by_name, v.at, v.data FROM doc_versions v JOIN users u ON u.id = v.user_id WHERE v.doc_id = $1 AND v.revision = $2",
    )
    .bind(id.to_string())
    .bind(revision)
    .fetch_optional(&mut *conn)
    .await?;
    let VersionRow { by_name: by, at, data } = row.ok_or(AppError::NotFound)?;
    audit::record(&mut conn, &user, partnership, Some(client), Action::Read, &format!("version {revision} {}", read_detail(&[doc_type]))).await?;
    Ok(ApiJson(DocVersion { revision, by, at: format_timestamp_warsaw(at), data: serde_json::from_str(&data).map_err(internal)? }))
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewService {
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/services", tag = "documents", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<CustomService>), (status = 404, body = Problem)))]
pub async fn services(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<CustomService>> {
    user.role_in(id)?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(partnership::context(&mut conn, id).await?.1))
}

/// A coordinator extends the partnership's catalogue of support forms.
#[utoipa::path(post, path = "/api/v1/partnerships/{id}/services", tag = "documents", request_body = NewService,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<CustomService>), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_service(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(body): ApiJson<NewService>,
) -> ApiResult<Vec<CustomService>> {
    user.steer(id, "only a coordinator extends the catalogue")?;
    let mut errors = domain::validation::Errors::new(lang);
    let name = errors.text("name", &body.name, docs::SHORT);
    let name = errors.into_result(|| name.unwrap_or_default()).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let code = Uuid::now_v7().simple().to_string();
    let done = sqlx::query(
        "INSERT INTO custom_services (partnership_id, code, name, created_by, created_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (partnership_id, name) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(&code)
    .bind(&name)
    .bind(user.id.to_string())
    .bind(now())
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 1 {
        audit::record(&mut tx, &user, id, None, Action::Create, &format!("service {name}")).await?;
    }
    let list = partnership::context(&mut tx, id).await?.1;
    tx.commit().await?;
    Ok(ApiJson(list))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(get))
        .routes(routes!(history))
        .routes(routes!(version))
        .routes(routes!(services, add_service))
}
