//! Setting up an installation without a shell: the first-run page makes the first
//! administrator (only on an empty database, only from the server's own machine);
//! administrators register organisations and create partnerships, naming each one's
//! first coordinator, who receives a single-use link to choose their own password.
//! Administrators read no client. Every action is logged: an organisation in the
//! installation's own log, a partnership in its access log.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use domain::api::Problem;
use domain::installation::{FirstRun, Organisation, OrganisationInput, PartnershipCreated, PartnershipInput, PartnershipRename, PartnershipSummary, Settings, SetupState};
use domain::Lang;
use domain::org::Role;
use domain::people::{Handover, Invite, LinkPurpose, LINK_PATH};
use domain::validation::format_timestamp_warsaw;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::password;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, Local, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::installation as store;
use crate::store::people;
use crate::token::token_hash;
use crate::AppState;

/// The first-run link's secret, as the page sends it back.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct SetupQuery {
    #[serde(default)]
    token: String,
}

/// Whether this request may make the first administrator: from the server's own
/// machine, with the secret this process printed (compared as hashes, so the time
/// taken says nothing about it).
fn may_set_up(state: &AppState, local: bool, token: &str) -> bool {
    local && !token.is_empty() && token_hash(token) == token_hash(&state.config.setup_token)
}

#[utoipa::path(get, path = "/api/v1/setup", tag = "installation", params(SetupQuery),
    responses((status = 200, body = SetupState)))]
pub async fn state(State(state): State<AppState>, Local(local): Local, Query(q): Query<SetupQuery>) -> ApiResult<SetupState> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(SetupState { needed: store::needs_first_admin(&mut conn).await?, allowed_here: may_set_up(&state, local, &q.token) }))
}

#[utoipa::path(post, path = "/api/v1/setup", tag = "installation", request_body = FirstRun,
    responses((status = 201, body = SetupState), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn first_run(
    State(state): State<AppState>,
    Local(local): Local,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<FirstRun>,
) -> Result<(StatusCode, ApiJson<SetupState>), AppError> {
    // Whoever reaches the server first would own it: only its own machine may, with
    // the link the server printed.
    if !may_set_up(&state, local, &req.token) {
        return Err(AppError::Forbidden("the first administrator is made on the server's own machine, by the link `sciezka serve` printed (or by `sciezka create-admin`)"));
    }
    let run = req.validate(lang).map_err(AppError::fields(lang))?;
    let already = || AppError::Conflict(lang.pick("Instalacja ma już administratora.", "The installation has an administrator already."));
    let mut conn = state.db.pool.acquire().await?;
    if !store::needs_first_admin(&mut conn).await? {
        return Err(already());
    }
    let hash = password::hash(run.password.clone()).await?;
    let mut tx = conn.begin().await?;
    if !store::needs_first_admin(&mut tx).await? {
        return Err(already());
    }
    let org = store::insert_organisation(&mut tx, &run.organisation).await?;
    let admin = store::insert_admin(&mut tx, &run.email, &run.display_name, org, &hash).await?;
    store::mark_set_up(&mut tx, admin).await.map_err(|_| already())?;
    store::log(&mut tx, admin, "first_run", &format!("administrator {} of {}", run.email, run.organisation.name)).await?;
    tx.commit().await?;
    Ok((StatusCode::CREATED, ApiJson(SetupState { needed: false, allowed_here: false })))
}

#[utoipa::path(get, path = "/api/v1/admin/organisations", tag = "installation",
    responses((status = 200, body = Vec<Organisation>), (status = 403, body = Problem)))]
pub async fn organisations(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<Organisation>> {
    user.administer()?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(store::organisations(&mut conn).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/organisations", tag = "installation", request_body = OrganisationInput,
    responses((status = 201, body = Organisation), (status = 403, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn register_organisation(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<OrganisationInput>,
) -> Result<(StatusCode, ApiJson<Organisation>), AppError> {
    user.administer()?;
    let org = req.validate(lang).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    if store::organisation_named(&mut tx, &org.name, None).await? {
        return Err(name_taken(lang));
    }
    let id = store::insert_organisation(&mut tx, &org).await?;
    store::log(&mut tx, user.id, "organisation", &format!("organisation {id} registered: {}", org.name)).await?;
    tx.commit().await?;
    let all = store::organisations(&mut conn).await?;
    let created = all.into_iter().find(|o| o.id == id).ok_or_else(|| AppError::Internal("the new organisation is not there".into()))?;
    Ok((StatusCode::CREATED, ApiJson(created)))
}

fn name_taken(lang: Lang) -> AppError {
    AppError::field(lang, "name", "taken", lang.pick("Organizacja o tej nazwie już jest.", "An organisation of this name exists already.").to_string())
}

fn partnership_name_taken(lang: Lang) -> AppError {
    AppError::field(lang, "name", "taken", lang.pick("Partnerstwo o tej nazwie już jest.", "A partnership of this name exists already.").to_string())
}

/// Corrects an organisation's details: a typo in its name, a new seat, a registry
/// number it did not have. Its kind changes only while it belongs to no partnership,
/// since a partnership's rules (an OPS in every local one) were checked with it.
#[utoipa::path(put, path = "/api/v1/admin/organisations/{id}", tag = "installation", request_body = OrganisationInput,
    params(("id" = Uuid, Path, description = "organisation")),
    responses((status = 200, body = Organisation), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn change_organisation(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<OrganisationInput>,
) -> ApiResult<Organisation> {
    user.administer()?;
    let org = req.validate(lang).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let (kind, partnerships) = store::organisation_standing(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if kind != org.org_type && partnerships > 0 {
        return Err(AppError::field(
            lang,
            "org_type",
            "in_partnership",
            lang.pick(
                "Rodzaju nie można zmienić: organizacja należy do partnerstwa.",
                "The kind cannot change: the organisation belongs to a partnership.",
            )
            .to_string(),
        ));
    }
    if store::organisation_named(&mut tx, &org.name, Some(id)).await? {
        return Err(name_taken(lang));
    }
    store::update_organisation(&mut tx, id, &org).await?;
    store::log(&mut tx, user.id, "organisation", &format!("organisation {id} changed: {}", org.name)).await?;
    tx.commit().await?;
    let all = store::organisations(&mut conn).await?;
    Ok(ApiJson(all.into_iter().find(|o| o.id == id).ok_or(AppError::NotFound)?))
}

/// Renames a partnership. Its kind and members stay; its access log says who renamed it.
#[utoipa::path(put, path = "/api/v1/admin/partnerships/{id}", tag = "installation", request_body = PartnershipRename,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = PartnershipSummary), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn rename_partnership(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<PartnershipRename>,
) -> ApiResult<PartnershipSummary> {
    user.administer()?;
    let renamed = req.validate(lang).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    if store::partnership_named(&mut tx, &renamed.name, Some(id)).await? {
        return Err(partnership_name_taken(lang));
    }
    if !store::rename_partnership(&mut tx, id, &renamed.name).await? {
        return Err(AppError::NotFound);
    }
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("partnership renamed: {}", renamed.name)).await?;
    tx.commit().await?;
    Ok(ApiJson(store::partnerships(&mut conn, Some(id)).await?.pop().ok_or(AppError::NotFound)?))
}

#[utoipa::path(get, path = "/api/v1/admin/partnerships", tag = "installation",
    responses((status = 200, body = Vec<PartnershipSummary>), (status = 403, body = Problem)))]
pub async fn partnerships(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Vec<PartnershipSummary>> {
    user.administer()?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(store::partnerships(&mut conn, None).await?))
}

#[utoipa::path(post, path = "/api/v1/admin/partnerships", tag = "installation", request_body = PartnershipInput,
    responses((status = 201, body = PartnershipCreated), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create_partnership(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<PartnershipInput>,
) -> Result<(StatusCode, ApiJson<PartnershipCreated>), AppError> {
    user.administer()?;
    let mut conn = state.db.pool.acquire().await?;
    let known = store::organisation_kinds(&mut conn).await?;
    let p = req.validate(lang, &known).map_err(AppError::fields(lang))?;
    let mut tx = conn.begin().await?;
    if store::partnership_named(&mut tx, &p.name, None).await? {
        return Err(partnership_name_taken(lang));
    }
    let id = store::insert_partnership(&mut tx, &p).await?;
    let invite =
        Invite { email: p.coordinator.email.clone(), display_name: p.coordinator.display_name.clone(), organisation_id: p.coordinator.organisation_id, role: Role::Coordinator };
    // An account elsewhere simply gains the role; a new person gets a link to choose
    // their own password, shown once to the administrator to hand over.
    let (person, link, expires) = match people::by_email(&mut tx, &invite.email).await? {
        Some(existing) => {
            people::not_an_administrator(&mut tx, existing, lang, "coordinator/email").await?;
            // An account that never chose its password gets a fresh link with the role.
            if people::account_kind(&mut tx, existing).await?.1 {
                let (token, expires) = people::new_link(&mut tx, user.id, existing, LinkPurpose::Invitation).await?;
                (existing, format!("{LINK_PATH}/{token}"), format_timestamp_warsaw(expires))
            } else {
                (existing, String::new(), String::new())
            }
        }
        None => {
            let new = people::create_invited(&mut tx, &invite).await?;
            let (token, expires) = people::new_link(&mut tx, user.id, new, LinkPurpose::Invitation).await?;
            (new, format!("{LINK_PATH}/{token}"), format_timestamp_warsaw(expires))
        }
    };
    people::set_role(&mut tx, id, person, Role::Coordinator).await?;
    audit::record(&mut tx, &user, id, None, Action::Create, &format!("partnership created; person {person} its coordinator")).await?;
    let coordinator = Handover { person: people::one(&mut tx, id, person).await?, link, expires, emailed: false, mail_failed: false };
    tx.commit().await?;
    let coordinator = crate::mail::deliver(&state.config, coordinator, LinkPurpose::Invitation).await;
    let partnership = store::partnerships(&mut conn, Some(id)).await?.pop().ok_or_else(|| AppError::Internal("the new partnership is not there".into()))?;
    Ok((StatusCode::CREATED, ApiJson(PartnershipCreated { partnership, coordinator })))
}

#[utoipa::path(get, path = "/api/v1/admin/settings", tag = "installation",
    responses((status = 200, body = Settings), (status = 403, body = Problem)))]
pub async fn settings(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Settings> {
    user.administer()?;
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(crate::store::second_factor::settings(&mut conn).await?))
}

#[utoipa::path(put, path = "/api/v1/admin/settings", tag = "installation", request_body = Settings,
    responses((status = 200, body = Settings), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn change_settings(State(state): State<AppState>, user: CurrentUser, ApiJson(req): ApiJson<Settings>) -> ApiResult<Settings> {
    user.administer()?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    crate::store::second_factor::set_settings(&mut tx, Some(user.id), &req).await?;
    store::log(&mut tx, user.id, "settings", &format!("two-factor sign-in {}", if req.two_factor_required { "required" } else { "not required" })).await?;
    tx.commit().await?;
    Ok(ApiJson(req))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(state, first_run))
        .routes(routes!(organisations, register_organisation))
        .routes(routes!(change_organisation))
        .routes(routes!(partnerships, create_partnership))
        .routes(routes!(rename_partnership))
        .routes(routes!(settings, change_settings))
}
