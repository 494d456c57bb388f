//! The information clause (GDPR art. 13) of one client, for anyone who works with the
//! client to print and hand over: the facts its text is made of (`domain::clause`).

use axum::extract::{Path, State};
use domain::api::Problem;
use domain::clause::ClauseFacts;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::ApiResult;
use crate::error::ApiJson;
use crate::extract::CurrentUser;
use crate::store::audit::{self, Action};
use crate::store::{client, disposal, partnership};
use crate::AppState;

#[utoipa::path(get, path = "/api/v1/clients/{id}/information-clause", tag = "personal data", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = ClauseFacts), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<ClauseFacts> {
    let mut conn = state.db.pool.acquire().await?;
    let record = client::load(&mut conn, &user, id).await?;
    let p = record.data.partnership_id;
    let rules = disposal::rules(&mut conn, p).await?;
    let organisations = partnership::controllers(&mut conn, p).await?;
    let d = &record.data;
    audit::record(&mut conn, &user, p, Some(id), Action::Read, "information clause").await?;
    Ok(ApiJson(ClauseFacts {
        client_id: id,
        client_name: domain::client::display_name(&d.kind, &d.surname, &d.first_names, &d.name),
        partnership: rules.partnership,
        organisations,
        archive_until: rules.archive_until.map(|d| d.to_string()).unwrap_or_default(),
        legal_basis: d.legal_basis.clone(),
        consent_scope: d.consent_scope.clone(),
        information_date: d.information_date.clone(),
        information_by: d.information_by.clone(),
    }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get))
}
