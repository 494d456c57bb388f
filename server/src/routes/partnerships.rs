//! Partnerships as the user sees them: who can lead clients in one, and which
//! organisations are its parties (its coordinator adds registered ones; the agreement,
//! tool 1, then has that party: in its text while nobody signed it, by an accession
//! once it is signed).

use axum::extract::{Path, State};
use domain::api::{Consultant, Problem};
use domain::caseload::MAX_CASELOAD;
use domain::installation::{MemberAdd, Members};
use sqlx::Acquire;
use domain::org::Role;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{internal, ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::{installation, partnership_doc};
use crate::store::partnership::consultant_rows;
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/consultants", tag = "partnerships",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<Consultant>), (status = 404, body = Problem)))]
pub async fn consultants(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Consultant>> {
    user.role_in(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows = consultant_rows(&mut conn, id).await?;
    let consultants = rows
        .into_iter()
        .map(|r| {
            Ok(Consultant {
                user_id: Uuid::parse_str(&r.user_id).map_err(internal)?,
                display_name: r.display_name,
                role: Role::parse(&r.role).ok_or_else(|| AppError::Internal(format!("unknown role {}", r.role)))?,
                organisation_name: r.organisation_name,
                active_clients: r.active_clients,
                limit: MAX_CASELOAD,
            })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(ApiJson(consultants))
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/members", tag = "partnerships",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Members), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn members(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Members> {
    user.steer(id, "only coordinators change the partnership's parties")?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(installation::members(&mut conn, id).await?))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/members", tag = "partnerships", request_body = MemberAdd,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Members), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn add_member(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<MemberAdd>,
) -> ApiResult<Members> {
    user.steer(id, "only coordinators change the partnership's parties")?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let kind = installation::partnership_kind(&mut tx, id).await?;
    let now = installation::members(&mut tx, id).await?;
    let add = req.validate(lang, kind, &now).map_err(AppError::fields(lang))?;
    installation::add_member(&mut tx, id, add.organisation_id).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("organisation {} joined the partnership", add.organisation_id)).await?;
    partnership_doc::add_party_to_draft(&mut tx, &user, lang, id, add.organisation_id).await?;
    let after = installation::members(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(after))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(consultants))
        .routes(routes!(members, add_member))
}
