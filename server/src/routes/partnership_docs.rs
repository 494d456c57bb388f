//! The partnership's own documents (agreement, coordination-team decision, action
//! plan, evaluation questionnaires) and the agreement's events. A document is saved
//! with the text the device started from and merged field by field, like the report;
//! signatures, notices and consents are recorded by the server with who and when, and
//! the rules they must follow live in `domain::partnership::agreement`.

use axum::extract::{Path, Query, State};
use domain::api::Problem;
use domain::partnership::agreement::{self, Agreement, CONSENT_VIA};
use domain::partnership::evaluation;
use domain::partnership::{self as pd, Accede, AgreementStatus, ConsentTo, DocSave, DocSaved, Kind, Overview, OverviewRow, PartnershipDoc, Propose, Sign, Withdraw};
use domain::calendar::Month;
use domain::validation::{format_timestamp_warsaw, parse_iso_date};
use domain::Lang;
use serde::Deserialize;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::error::{internal, invalid};
use crate::store::audit::{self, Action};
use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::store::partnership_doc::*;
use crate::store::whole;
use crate::{today, AppState};

/// Longest amendment text.
const MAX_AMENDMENT: usize = 5_000;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct KeyQuery {
    /// For a questionnaire: the last month of the evaluated period (`YYYY-MM`).
    #[serde(default)]
    pub key: String,
}

fn kind_of(s: &str) -> Result<Kind, AppError> {
    Kind::parse(s).ok_or(AppError::NotFound)
}

fn key_for(kind: Kind, key: &str) -> Result<String, AppError> {
    match (kind.keyed(), key.is_empty()) {
        (true, _) => Month::parse(key).map(|p| p.to_string()).ok_or_else(|| AppError::BadRequest("a questionnaire is named by the last month it covers, YYYY-MM".into())),
        (false, true) => Ok(String::new()),
        (false, false) => Err(AppError::BadRequest("only questionnaires have a key".into())),
    }
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/docs/{kind}", tag = "partnership documents",
    params(("id" = Uuid, Path, description = "partnership"), ("kind" = String, Path, description = "agreement, team, plan or evaluation"), KeyQuery),
    responses((status = 200, body = PartnershipDoc), (status = 400, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path((id, kind)): Path<(Uuid, String)>, Query(q): Query<KeyQuery>) -> ApiResult<PartnershipDoc> {
    user.role_in(id)?;
    let kind = kind_of(&kind)?;
    let key = key_for(kind, &q.key)?;
    let mut conn = state.db.pool.acquire().await?;
    let doc = assemble(&mut conn, id, kind, &key).await?;
    audit::record(&mut conn, &user, id, None, Action::Read, &format!("partnership {} {key}", kind.as_str())).await?;
    Ok(ApiJson(doc))
}

#[utoipa::path(put, path = "/api/v1/partnerships/{id}/docs/{kind}", tag = "partnership documents", request_body = DocSave,
    params(("id" = Uuid, Path, description = "partnership"), ("kind" = String, Path, description = "agreement, team, plan or evaluation"), KeyQuery),
    responses((status = 200, body = DocSaved), (status = 400, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path((id, kind)): Path<(Uuid, String)>,
    Query(q): Query<KeyQuery>,
    ApiJson(req): ApiJson<DocSave>,
) -> ApiResult<DocSaved> {
    user.role_in(id)?;
    let kind = kind_of(&kind)?;
    let key = key_for(kind, &q.key)?;
    let mut conn = state.db.pool.acquire().await?;
    let partners = partners(&mut conn, id).await?;
    // The device's text is checked as the browser checked it, before anything merges;
    // both sides are normalised, so a field a device left out reads as empty, not as deleted.
    let mine = pd::validate(kind, &req.data, lang, &partners).map_err(AppError::fields(lang))?;
    let base = pd::validate(kind, &req.base, lang, &partners).unwrap_or(req.base);
    let doc = DocSaving { partnership: id, kind, key, lang, partners };
    let (doc, conflicts) = whole::save(&mut conn, &user, &doc, &base, &mine, false).await?;
    Ok(ApiJson(DocSaved { doc, conflicts }))
}

/// The partner on whose behalf the user acts: their own organisation, which must be
/// one of `parties`.
fn acting_for<'a>(user: &CurrentUser, lang: Lang, parties: &'a [agreement::Party], organisation: Uuid) -> Result<&'a agreement::Party, AppError> {
    if user.organisation_id != organisation {
        return Err(AppError::Forbidden("only a person of that partner acts on its behalf"));
    }
    parties
        .iter()
        .find(|p| p.organisation() == Some(organisation))
        .ok_or_else(|| invalid(lang, "/organisation_id", "not_party", "Ta organizacja nie jest stroną umowy.", "This organisation is not a party to the agreement."))
}

/// Everyone who was ever a party: the signed text's, then those who joined by an
/// accession in effect (withdrawn or not).
fn every_party(a: &Agreement, st: &AgreementStatus) -> Vec<agreement::Party> {
    a.parties.iter().chain(st.amendments.iter().filter(|m| m.in_effect).filter_map(|m| m.joining.as_ref())).cloned().collect()
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/agreement/sign", tag = "partnership documents", request_body = Sign,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = PartnershipDoc), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn sign(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>, ApiJson(req): ApiJson<Sign>) -> ApiResult<PartnershipDoc> {
    user.role_in(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let a = agreement_of(&mut tx, id).await?;
    acting_for(&user, lang, &a.parties, req.organisation_id)?;
    // Nobody signs a text that is not complete.
    let mut c = domain::docs::Check::new(lang);
    a.check(&mut c, true);
    c.errors.into_result(|| ()).map_err(AppError::fields(lang))?;
    if stored(&mut tx, id, Kind::Agreement, "").await?.is_none() {
        return Err(invalid(lang, "", "unsaved", "Najpierw zapisz tekst umowy.", "Save the agreement's text first."));
    }
    record(&mut tx, lang, id, &user, Event { event: "signature", organisation: req.organisation_id.to_string(), amendment: String::new(), detail: "" }).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("agreement signed for {}", req.organisation_id)).await?;
    let doc = agreement_answer(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(doc))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/agreement/withdraw", tag = "partnership documents", request_body = Withdraw,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = PartnershipDoc), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn withdraw(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>, ApiJson(req): ApiJson<Withdraw>) -> ApiResult<PartnershipDoc> {
    user.role_in(id)?;
    let notice = parse_iso_date(&req.notice).ok_or_else(|| invalid(lang, "/notice", "date", "Nieprawidłowa data (dd.mm.rrrr).", "Not a valid date (dd.mm.yyyy)."))?;
    if notice > today() {
        return Err(invalid(lang, "/notice", "future", "Wypowiedzenie nosi datę jego złożenia, nie przyszłą.", "A notice carries the day it is given, not a future one."));
    }
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let a = agreement_of(&mut tx, id).await?;
    let st = status(&mut tx, id, &a).await?;
    let parties = every_party(&a, &st);
    let party = acting_for(&user, lang, &parties, req.organisation_id)?;
    if st.state != agreement::AgreementState::InForce {
        return Err(AppError::Conflict(lang.pick("Wypowiedzieć można tylko umowę, która obowiązuje.", "Only an agreement in force can be left.")));
    }
    agreement::check_withdrawal(party, notice, lang).map_err(|m| invalid(lang, "/notice", "notice_period", &m, &m))?;
    record(&mut tx, lang, id, &user, Event { event: "withdrawal", organisation: req.organisation_id.to_string(), amendment: String::new(), detail: &notice.to_string() }).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("agreement withdrawal of {}", req.organisation_id)).await?;
    let doc = agreement_answer(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(doc))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/agreement/amendments", tag = "partnership documents", request_body = Propose,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = PartnershipDoc), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn propose(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>, ApiJson(req): ApiJson<Propose>) -> ApiResult<PartnershipDoc> {
    user.role_in(id)?;
    let mut e = domain::validation::Errors::new(lang);
    let text = e.text("text", &req.text, MAX_AMENDMENT).unwrap_or_default();
    e.into_result(|| ()).map_err(AppError::fields(lang))?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let a = agreement_of(&mut tx, id).await?;
    if status(&mut tx, id, &a).await?.state != agreement::AgreementState::InForce {
        return Err(AppError::Conflict(lang.pick("Aneks dotyczy umowy, która obowiązuje; wcześniej popraw jej tekst.", "Changes are made to an agreement in force; before that, edit its text.")));
    }
    record(&mut tx, lang, id, &user, Event { event: "amendment", organisation: String::new(), amendment: String::new(), detail: &text }).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, "agreement amendment proposed").await?;
    let doc = agreement_answer(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(doc))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/agreement/accessions", tag = "partnership documents", request_body = Accede,
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = PartnershipDoc), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
/// A coordinator proposes that a member organisation join the agreement in force: an
/// amendment that takes effect once every bound partner consented and the one joining
/// signed it (its consent), as § 7 asks of any change.
pub async fn accede(State(state): State<AppState>, user: CurrentUser, RequestLang(lang): RequestLang, Path(id): Path<Uuid>, ApiJson(req): ApiJson<Accede>) -> ApiResult<PartnershipDoc> {
    user.steer(id, "only coordinators propose that an organisation join the agreement")?;
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let a = agreement_of(&mut tx, id).await?;
    let st = status(&mut tx, id, &a).await?;
    if st.state != agreement::AgreementState::InForce {
        return Err(AppError::Conflict(lang.pick(
            "Przystąpienie jest aneksem do umowy, która obowiązuje; póki strony jej nie podpisały, nowa organizacja jest w jej tekście.",
            "An accession amends an agreement in force; until the parties sign it, a new organisation is in its text.",
        )));
    }
    let partners = partners(&mut tx, id).await?;
    let registered = match partners.iter().any(|p| p.organisation_id == req.organisation_id) {
        true => registered_party(&mut tx, req.organisation_id).await?,
        false => agreement::Party { id: req.organisation_id.to_string(), ..Default::default() },
    };
    let party = req.party(lang, &registered, &partners, (&a, &st.bound, &st.amendments)).map_err(AppError::fields(lang))?;
    let described = serde_json::to_string(&party).map_err(internal)?;
    record(&mut tx, lang, id, &user, Event { event: "amendment", organisation: req.organisation_id.to_string(), amendment: String::new(), detail: &described }).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("agreement accession of {} proposed", req.organisation_id)).await?;
    let doc = agreement_answer(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(doc))
}

#[utoipa::path(post, path = "/api/v1/partnerships/{id}/agreement/amendments/{amendment}/consent", tag = "partnership documents", request_body = ConsentTo,
    params(("id" = Uuid, Path, description = "partnership"), ("amendment" = Uuid, Path, description = "amendment")),
    responses((status = 200, body = PartnershipDoc), (status = 403, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn consent(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path((id, amendment)): Path<(Uuid, Uuid)>,
    ApiJson(req): ApiJson<ConsentTo>,
) -> ApiResult<PartnershipDoc> {
    user.role_in(id)?;
    if !CONSENT_VIA.contains(&req.via.as_str()) {
        return Err(invalid(lang, "/via", "unknown_option", "Zgoda: podpis albo e-mail.", "Consent: signature or e-mail."));
    }
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    let a = agreement_of(&mut tx, id).await?;
    let st = status(&mut tx, id, &a).await?;
    let Some(change) = st.amendments.iter().find(|x| x.id == amendment) else {
        return Err(AppError::NotFound);
    };
    // The one joining by an accession consents to it by signing it.
    let mut parties = every_party(&a, &st);
    parties.extend(change.joining.iter().cloned());
    acting_for(&user, lang, &parties, req.organisation_id)?;
    if st.withdrawals.iter().any(|w| w.organisation_id == req.organisation_id) {
        return Err(AppError::Conflict(lang.pick("Partner, który wypowiedział umowę, nie zgadza się już na zmiany.", "A partner that withdrew no longer consents to changes.")));
    }
    record(&mut tx, lang, id, &user, Event { event: "consent", organisation: req.organisation_id.to_string(), amendment: amendment.to_string(), detail: &req.via }).await?;
    audit::record(&mut tx, &user, id, None, Action::Update, &format!("agreement amendment {amendment} consent of {}", req.organisation_id)).await?;
    let doc = agreement_answer(&mut tx, id).await?;
    tx.commit().await?;
    Ok(ApiJson(doc))
}

/// A stored partnership document, as the overview lists it.
#[derive(sqlx::FromRow)]
struct DocRow {
    kind: String,
    doc_key: String,
    version: i64,
    updated_at: i64,
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/docs", tag = "partnership documents",
    params(("id" = Uuid, Path, description = "partnership")),
    responses((status = 200, body = Overview), (status = 404, body = Problem)))]
pub async fn overview(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>) -> ApiResult<Overview> {
    user.role_in(id)?;
    let mut conn = state.db.pool.acquire().await?;
    let rows: Vec<DocRow> =
        sqlx::query_as("SELECT kind, doc_key, version, updated_at FROM partnership_docs WHERE partnership_id = $1 ORDER BY kind, doc_key")
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await?;
    let docs: Vec<OverviewRow> = rows
        .into_iter()
        .map(|r| {
            let kind = Kind::parse(&r.kind).ok_or_else(|| AppError::Internal(format!("unknown partnership document kind {}", r.kind)))?;
            Ok(OverviewRow { kind, key: r.doc_key, version: r.version, updated_at: format_timestamp_warsaw(r.updated_at) })
        })
        .collect::<Result<_, AppError>>()?;
    // In force since the last signature; due dates count from there.
    let last_signature: Option<i64> =
        sqlx::query_scalar("SELECT MAX(at) FROM agreement_events WHERE partnership_id = $1 AND event = 'signature'").bind(id.to_string()).fetch_one(&mut *conn).await?;
    let a = agreement_of(&mut conn, id).await?;
    let st = status(&mut conn, id, &a).await?;
    let evaluation_due = match (st.state, last_signature) {
        (agreement::AgreementState::InForce, Some(at)) => {
            let since = time::OffsetDateTime::from_unix_timestamp(at).map_err(internal)?.date();
            let last = docs.iter().filter(|d| d.kind == Kind::Evaluation).filter_map(|d| Month::parse(&d.key)).max();
            evaluation::next_due(since, last).map(|p| p.to_string())
        }
        _ => None,
    };
    Ok(ApiJson(Overview { docs, evaluation_due }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(overview))
        .routes(routes!(get, save))
        .routes(routes!(sign))
        .routes(routes!(withdraw))
        .routes(routes!(propose))
        .routes(routes!(accede))
        .routes(routes!(consent))
}
