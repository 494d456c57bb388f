//! People and accounts: a coordinator invites the staff of the member organisations,
//! gives and takes roles, switches accounts off and on, and starts a password reset;
//! the person opens the single-use link and chooses their own password. A lost
//! phone's second factor is reset by a coordinator too. Every action
//! is in the audit log (who, whom, what, when).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use domain::api::Problem;
use domain::import::{StaffImportReport, StaffImportRequest};
use domain::people::{self, Authorisation, ChosenPassword, Handover, Invite, LinkInfo, LinkPurpose, Person, RoleChange, LINK_PATH};
use domain::validation::format_timestamp_warsaw;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::auth::password;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::{CurrentUser, RequestLang};
use crate::store::audit::{self, Action};
use crate::store::people as store;
use crate::AppState;

fn steering(user: &CurrentUser, partnership: Uuid) -> Result<(), AppError> {
    user.steer(partnership, "only coordinators manage the partnership's people")
}

fn handover(person: Person, token: &str, expires: i64) -> Handover {
    Handover { person, link: format!("{LINK_PATH}/{token}"), expires: format_timestamp_warsaw(expires), emailed: false, mail_failed: false }
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/people", tag = "people", params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Vec<Person>), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn list(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Vec<Person>> {
    steering(&user, id)?;
    let mut conn = state.db.pool.acquire().await?;
    let people = store::of_partnership(&mut conn, id).await?;
    audit::record(&mut conn, &user, id, None, Action::Read, "people").await?;
    Ok(ApiJson(people))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/people", tag = "people", request_body = Invite, params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Handover), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn invite(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<Invite>,
) -> ApiResult<Handover> {
    steering(&user, id)?;
    let mut conn = state.db.pool.acquire().await?;
    let (partners, _) = crate::store::partnership::context(&mut conn, id).await?;
    let invite = req.validate(lang, &partners).map_err(AppError::fields(lang))?;
    let mut tx = conn.begin().await?;
    let answer = invite_one(&mut tx, &user, lang, id, &invite).await?;
    tx.commit().await?;
    Ok(ApiJson(crate::mail::deliver(&state.config, answer, LinkPurpose::Invitation).await))
}

/// Invites one validated person: an account elsewhere gains the role here (its
/// password stays its own, no link); a new person gets a link. Refused (409) for a
/// member already. The invitation form and a staff list both use it.
async fn invite_one(tx: &mut sqlx::AnyConnection, user: &CurrentUser, lang: domain::Lang, id: Uuid, invite: &Invite) -> Result<Handover, AppError> {
    let answer = match store::by_email(tx, &invite.email).await? {
        Some(existing) => {
            if store::one(tx, id, existing).await.is_ok() {
                return Err(AppError::Conflict(lang.pick("Ta osoba już należy do partnerstwa.", "This person is already in the partnership.")));
            }
            store::not_an_administrator(tx, existing, lang, "email").await?;
            store::set_role(tx, id, existing, invite.role).await?;
            Handover { person: store::one(tx, id, existing).await?, link: String::new(), expires: String::new(), emailed: false, mail_failed: false }
        }
        None => {
            let new = store::create_invited(tx, invite).await?;
            store::set_role(tx, id, new, invite.role).await?;
            let (token, expires) = store::new_link(tx, user.id, new, LinkPurpose::Invitation).await?;
            handover(store::one(tx, id, new).await?, &token, expires)
        }
    };
    audit::record(tx, user, id, None, Action::Update, &format!("person {} invited as {}", answer.person.user_id, invite.role.as_str())).await?;
    Ok(answer)
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/people/import", tag = "people", request_body = StaffImportRequest,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = StaffImportReport), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn invite_list(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    ApiJson(req): ApiJson<StaffImportRequest>,
) -> ApiResult<StaffImportReport> {
    use base64::Engine;
    use domain::import::{self as rules, CellError, ColumnMap, RowOutcome, StaffRowReport};
    steering(&user, id)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(req.content.trim())
        .map_err(|_| AppError::field(lang, "content", "base64", lang.pick("Plik nie dotarł w całości: wybierz go ponownie.", "The file did not arrive whole: choose it again.").into()))?;
    let table = crate::import::read(&req.file_name, &bytes).map_err(|e| AppError::field(lang, "content", "file", e.message(lang)))?;
    if table.rows.len() > rules::MAX_ROWS {
        return Err(AppError::field(lang, "content", "too_many", lang.pick("Plik ma za dużo wierszy: podziel go.", "The file has too many rows: split it.").into()));
    }
    let mapping = crate::routes::import::mapping(lang, rules::STAFF_COLUMNS, &req.mapping, &table.headers)?;
    let mut conn = state.db.pool.acquire().await?;
    let (partners, _) = crate::store::partnership::context(&mut conn, id).await?;
    let mut tx = conn.begin().await?;
    let mut rows = Vec::new();
    let mut expires = String::new();
    // The invitations made, by row, to e-mail once they are committed.
    let mut made = Vec::new();
    for (number, cells) in &table.rows {
        let at = |field: &str| mapping.iter().position(|f| f == field).and_then(|c| cells.get(c)).map(|c| c.trim().to_string()).unwrap_or_default();
        let mut report = StaffRowReport { row: *number, name: at("display_name"), email: at("email"), outcome: RowOutcome::Refused, errors: Vec::new(), link: String::new(), emailed: false };
        let invite = rules::staff_invite(lang, &table.headers, &mapping, cells, &partners)
            .and_then(|inv| inv.validate(lang, &partners).map_err(|list| {
                list.into_iter().map(|f| CellError { column: staff_column(&f.pointer, &table.headers, &mapping), message: f.message }).collect()
            }));
        match invite {
            Err(errors) => report.errors = errors,
            Ok(invite) => {
                let mut sp = tx.begin().await?;
                match invite_one(&mut sp, &user, lang, id, &invite).await {
                    Ok(h) => {
                        sp.commit().await?;
                        report.outcome = if h.made_link() { RowOutcome::Created } else { RowOutcome::Updated };
                        // A link of a dry run would open nothing: it is rolled back.
                        if req.confirm && h.made_link() {
                            expires.clone_from(&h.expires);
                            made.push((rows.len(), h));
                        }
                    }
                    Err(AppError::Conflict(_)) => {
                        sp.rollback().await?;
                        report.outcome = RowOutcome::Skipped;
                    }
                    Err(e) => return Err(e),
                }
            }
        }
        rows.push(report);
    }
    if req.confirm {
        tx.commit().await?;
        // After one message the mail server did not take, the rest are shown to hand
        // over at once rather than each waiting for its own timeout.
        let mut mail_works = true;
        for (row, h) in made {
            let h = if mail_works { crate::mail::deliver(&state.config, h, LinkPurpose::Invitation).await } else { h };
            mail_works &= !h.mail_failed;
            if let Some(r) = rows.get_mut(row) {
                r.link = h.link;
                r.emailed = h.emailed;
            }
        }
    } else {
        tx.rollback().await?;
    }
    let columns = table.headers.iter().zip(&mapping).map(|(h, f)| ColumnMap { header: h.clone(), field: f.clone() }).collect();
    Ok(ApiJson(StaffImportReport { file_name: req.file_name.clone(), committed: req.confirm, columns, rows, invited: 0, added: 0, skipped: 0, refused: 0, expires }.counted()))
}

/// The column of an invitation's field in a staff list.
fn staff_column(pointer: &str, headers: &[String], mapping: &[String]) -> String {
    let field = match pointer.trim_start_matches('/') {
        "organisation_id" => "organisation",
        f => f,
    };
    mapping.iter().position(|f| f == field).and_then(|i| headers.get(i).cloned()).unwrap_or_default()
}

/// The person of the partnership the action is about, never the acting coordinator:
/// nobody switches off or demotes themselves by a slip of the finger.
async fn other_person(conn: &mut sqlx::AnyConnection, user: &CurrentUser, lang: domain::Lang, id: Uuid, person: Uuid) -> Result<Person, AppError> {
    steering(user, id)?;
    let p = store::one(conn, id, person).await?;
    if person == user.id {
        return Err(AppError::Conflict(lang.pick("Tego nie robi się na własnym koncie.", "This is not done to one's own account.")));
    }
    Ok(p)
}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}/people/{person}/role", tag = "people", request_body = RoleChange,
    params(("id" = Uuid, Path, description = "partnership"), ("person" = Uuid, Path, description = "user")),
    responses((status = 200, body = Person), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn role(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path((id, person)): Path<(Uuid, Uuid)>,
    ApiJson(req): ApiJson<RoleChange>,
) -> ApiResult<Person> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    other_person(&mut tx, &user, lang, id, person).await?;
    req.validate(lang).map_err(AppError::fields(lang))?;
    store::set_role(&mut tx, id, person, req.role).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("person {person} role {}", req.role.as_str())).await?;
    let p = store::one(&mut tx, id, person).await?;
    tx.commit().await?;
    Ok(ApiJson(p))
}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}/people/{person}/authorisation", tag = "people", request_body = Authorisation,
    params(("id" = Uuid, Path, description = "partnership"), ("person" = Uuid, Path, description = "user")),
    responses((status = 200, body = Person), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn authorisation(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path((id, person)): Path<(Uuid, Uuid)>,
    ApiJson(req): ApiJson<Authorisation>,
) -> ApiResult<Person> {
    steering(&user, id)?;
    let a = req.validate(lang).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    // A coordinator records their own authorisation too: it is paperwork, not power.
    store::one(&mut tx, id, person).await?;
    store::set_authorisation(&mut tx, person, &a).await?;
    let until = if a.expires.is_empty() { "until revoked".to_string() } else { format!("until {}", a.expires) };
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("person {person} authorisation {} from {} {until}", a.number, a.issued)).await?;
    let p = store::one(&mut tx, id, person).await?;
    tx.commit().await?;
    Ok(ApiJson(p))
}

/// Refuses what would give a coordinator power over an account that also reads
/// another partnership's clients (switching it off, a new password, a new second
/// factor): that is for someone who steers all of its partnerships.
async fn only_here(tx: &mut sqlx::AnyConnection, user: &CurrentUser, lang: domain::Lang, person: Uuid) -> Result<(), AppError> {
    if store::elsewhere(tx, user, person).await? {
        return Err(AppError::Conflict(lang.pick(
            "Ta osoba pracuje też w innym partnerstwie: to robi koordynator wszystkich jej partnerstw.",
            "This person also works in another partnership: this is done by a coordinator of all their partnerships.",
        )));
    }
    Ok(())
}

async fn switch(state: &AppState, user: &CurrentUser, lang: domain::Lang, id: Uuid, person: Uuid, active: bool) -> ApiResult<Person> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    other_person(&mut tx, user, lang, id, person).await?;
    only_here(&mut tx, user, lang, person).await?;
    store::set_active(&mut tx, user, person, active).await?;
    audit::record(&mut tx, user, id, None, Action::Update, &format!("person {person} {}", if active { "reactivated" } else { "deactivated" })).await?;
    let p = store::one(&mut tx, id, person).await?;
    tx.commit().await?;
    Ok(ApiJson(p))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/people/{person}/deactivate", tag = "people",
    params(("id" = Uuid, Path, description = "partnership"), ("person" = Uuid, Path, description = "user")),
    responses((status = 200, body = Person), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn deactivate(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, person)): Path<(Uuid, Uuid)>) -> ApiResult<Person> {
    switch(&state, &user, lang, id, person, false).await
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/people/{person}/reactivate", tag = "people",
    params(("id" = Uuid, Path, description = "partnership"), ("person" = Uuid, Path, description = "user")),
    responses((status = 200, body = Person), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reactivate(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, person)): Path<(Uuid, Uuid)>) -> ApiResult<Person> {
    switch(&state, &user, lang, id, person, true).await
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/people/{person}/reset", tag = "people",
    params(("id" = Uuid, Path, description = "partnership"), ("person" = Uuid, Path, description = "user")),
    responses((status = 200, body = Handover), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn reset(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, person)): Path<(Uuid, Uuid)>) -> ApiResult<Handover> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let p = other_person(&mut tx, &user, lang, id, person).await?;
    only_here(&mut tx, &user, lang, person).await?;
    if p.state == people::AccountState::Inactive {
        return Err(AppError::Conflict(lang.pick("Konto jest wyłączone: najpierw je włącz.", "The account is switched off: switch it on first.")));
    }
    // Whoever is signed in as this person now is signed out: the reset may be because
    // someone else knows the password.
    store::end_sessions(&mut tx, person).await?;
    let purpose = if p.state == people::AccountState::Invited { LinkPurpose::Invitation } else { LinkPurpose::Reset };
    let (token, expires) = store::new_link(&mut tx, user.id, person, purpose).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("person {person} password reset started")).await?;
    let p = store::one(&mut tx, id, person).await?;
    tx.commit().await?;
    Ok(ApiJson(crate::mail::deliver(&state.config, handover(p, &token, expires), purpose).await))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/people/{person}/second-factor/reset", tag = "people",
    params(("id" = Uuid, Path, description = "partnership"), ("person" = Uuid, Path, description = "user")),
    responses((status = 200, body = Person), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
pub async fn second_factor_reset(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path((id, person)): Path<(Uuid, Uuid)>) -> ApiResult<Person> {
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    other_person(&mut tx, &user, lang, id, person).await?;
    only_here(&mut tx, &user, lang, person).await?;
    // A lost phone may be in someone else's hands: its sessions end too, and the next
    // sign-in (password first) enrols a new app.
    crate::store::second_factor::reset(&mut tx, person).await?;
    store::end_sessions(&mut tx, person).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("person {person} second factor reset")).await?;
    let p = store::one(&mut tx, id, person).await?;
    tx.commit().await?;
    Ok(ApiJson(p))
}

#[utoipa::path(get, path = "/api/v1/account-links/{token}", tag = "people", params(("token" = String, Path, description = "the link's secret")),
    responses((status = 200, body = LinkInfo), (status = 404, body = Problem)))]
pub async fn link(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<LinkInfo> {
    let mut conn = state.db.pool.acquire().await?;
    Ok(ApiJson(store::live_link(&mut conn, &token).await?.1))
}

#[utoipa::path(post, path = "/api/v1/account-links/{token}", tag = "people", request_body = ChosenPassword,
    params(("token" = String, Path, description = "the link's secret")),
    responses((status = 204), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn choose_password(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    ApiJson(req): ApiJson<ChosenPassword>,
) -> Result<StatusCode, AppError> {
    let (person, _) = store::live_link(&mut *state.db.pool.acquire().await?, &token).await?;
    people::check_password(lang, "password", &req.password).map_err(AppError::fields(lang))?;
    // No connection is held while the hash is made.
    let hash = password::hash(req.password).await?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    if !store::use_link(&mut tx, &token, person, &hash).await? {
        return Err(AppError::NotFound);
    }
    for p in crate::store::user::partnerships_of(&mut tx, person).await? {
        audit::record_by(&mut tx, person, p, None, Action::Update, "own password chosen by link").await?;
    }
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, invite))
        .routes(routes!(invite_list))
        .routes(routes!(role))
        .routes(routes!(authorisation))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(reset))
        .routes(routes!(second_factor_reset))
        .routes(routes!(link, choose_password))
}
