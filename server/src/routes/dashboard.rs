//! The coordinator's dashboard of one partnership: caseloads against the limit of 15,
//! what is overdue or coming due, the indicators of effect over six months, and the
//! latest survey round. The rules live in `domain::dashboard`; this module only reads
//! the partnership's rows and hands them over.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use domain::api::Problem;
use domain::caseload::MAX_CASELOAD;
use domain::dashboard::{self, CaseloadRow, ClientFacts, Dashboard, SurveySummary};
use domain::docs::effects::{Effects, INDICATORS};
use domain::docs::services::Services;
use domain::survey::{ALL, MIN_ANSWERS};
use domain::calendar::Month;
use domain::validation::parse_iso_date;
use serde::Deserialize;
use uuid::Uuid;
use domain::docs::DocType;
use crate::store::document::KindRow;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::store::audit::{self, Action};
use crate::extract::CurrentUser;
use crate::error::{ApiJson, ApiResult, AppError};
use crate::{today, AppState};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct Filter {
    /// Only consultants of this member organisation.
    pub organisation: Option<Uuid>,
    /// Only this consultant.
    pub consultant: Option<Uuid>,
    /// The month the indicators end with and the survey is taken from (`YYYY-MM`);
    /// this month when absent. Due items are always as of today.
    pub period: Option<String>,
}

fn uuid(s: &str) -> Option<Uuid> {
    Uuid::parse_str(s).ok()
}

#[derive(Clone, sqlx::FromRow)]
struct ClientRow {
    id: String,
    display_name: String,
    key_consultant_id: Option<String>,
    consultant: String,
    organisation_id: Option<String>,
    created_at: i64,
    status: String,
}


/// A client kept over the caseload limit: their consultant, and the record with the reason.
#[derive(sqlx::FromRow)]
struct OverrideRow {
    key_consultant_id: String,
    data: String,
}

/// When a client's last note was written (ms since the epoch).
#[derive(sqlx::FromRow)]
struct LastNote {
    client_id: String,
    written_at: i64,
}

/// The partnership's latest survey round up to the month, with its number of answers.
#[derive(sqlx::FromRow)]
struct LatestRound {
    id: String,
    period: String,
    answers: i64,
}

#[utoipa::path(get, path = "/api/v1/partnerships/{id}/dashboard", tag = "partnerships",
    params(("id" = Uuid, Path, description = "partnership"), Filter),
    responses((status = 200, body = Dashboard), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Path(id): Path<Uuid>, Query(filter): Query<Filter>) -> ApiResult<Dashboard> {
    user.steer(id, "the dashboard is for coordinators")?;
    let today = today();
    let period = match filter.period.as_deref().filter(|p| !p.is_empty()) {
        Some(p) => Month::parse(p).ok_or_else(|| AppError::BadRequest("the period is written YYYY-MM".into()))?,
        None => Month::of(today),
    };
    let mut conn = state.db.pool.acquire().await?;
    let p = id.to_string();
    let wanted = |consultant: Option<Uuid>, organisation: Option<Uuid>| {
        filter.consultant.is_none_or(|c| Some(c) == consultant) && filter.organisation.is_none_or(|o| Some(o) == organisation)
    };

    let consultants = crate::store::partnership::consultant_rows(&mut conn, id).await?;
    let overrides: Vec<OverrideRow> = sqlx::query_as(
        "SELECT key_consultant_id, data FROM clients WHERE partnership_id = $1 AND status = 'active' AND override_by IS NOT NULL",
    )
    .bind(&p)
    .fetch_all(&mut *conn)
    .await?;
    let mut reasons: HashMap<String, Vec<String>> = HashMap::new();
    for OverrideRow { key_consultant_id: kc, data } in overrides {
        let reason = serde_json::from_str::<serde_json::Value>(&data)
            .ok()
            .and_then(|v| v["caseload_override_reason"].as_str().map(str::to_string))
            .unwrap_or_default();
        if !reason.is_empty() {
            reasons.entry(kc).or_default().push(reason);
        }
    }
    let mut caseloads: Vec<CaseloadRow> = consultants
        .into_iter()
        .filter(|r| wanted(uuid(&r.user_id), uuid(&r.organisation_id)))
        .filter_map(|r| {
            Some(CaseloadRow {
                consultant_id: uuid(&r.user_id)?,
                override_reasons: reasons.remove(&r.user_id).unwrap_or_default(),
                consultant: r.display_name,
                organisation: r.organisation_name,
                active: r.active_clients,
                limit: MAX_CASELOAD,
                overloaded: r.active_clients > MAX_CASELOAD,
            })
        })
        .collect();
    dashboard::sort_caseloads(&mut caseloads);

    // The clients with what the due lists need; those whose support ended count only
    // in the indicators of the months they reached them.
    let clients: Vec<ClientRow> = sqlx::query_as(
        "SELECT c.id, c.display_name, c.key_consultant_id, COALESCE(u.display_name, '') AS consultant, u.organisation_id, c.created_at, c.status
         FROM clients c LEFT JOIN users u ON u.id = c.key_consultant_id
         WHERE c.partnership_id = $1",
    )
    .bind(&p)
    .fetch_all(&mut *conn)
    .await?;
    let docs = crate::store::document::of_kinds(&mut conn, id, &[DocType::Ipd, DocType::Contract, DocType::Effects, DocType::Services]).await?;
    // A note dated after tomorrow (a device clock stored before it was checked) does
    // not hide the client's real last contact.
    let notes: Vec<LastNote> = sqlx::query_as(
        "SELECT client_id, MAX(written_at) AS written_at FROM notes WHERE partnership_id = $1 AND written_at <= $2 GROUP BY client_id",
    )
    .bind(&p)
    .bind((crate::now() + 86_400).saturating_mul(1000))
    .fetch_all(&mut *conn)
    .await?;
    let last_note: HashMap<String, time::Date> = notes
        .into_iter()
        .filter_map(|LastNote { client_id: c, written_at: ms }| Some((c, time::OffsetDateTime::from_unix_timestamp(ms / 1000).ok()?.date())))
        .collect();

    let clients: Vec<_> =
        clients.into_iter().filter(|c| wanted(c.key_consultant_id.as_deref().and_then(uuid), c.organisation_id.as_deref().and_then(uuid))).collect();
    let mut effects: Vec<Effects> = Vec::new();
    let chosen: std::collections::HashSet<&str> = clients.iter().map(|c| c.id.as_str()).collect();
    let mut facts: HashMap<String, ClientFacts> = clients
        .iter()
        .filter(|c| c.status == "active")
        .cloned()
        .filter_map(|ClientRow { id: cid, display_name: name, key_consultant_id: kc, consultant, created_at: created, .. }| {
            let registered = time::OffsetDateTime::from_unix_timestamp(created).ok()?.date();
            let f = ClientFacts {
                id: uuid(&cid)?,
                name,
                consultant_id: kc.as_deref().and_then(uuid),
                consultant,
                ipd: None,
                contract: None,
                effects: None,
                last_contact: last_note.get(&cid).copied(),
                registered,
            };
            Some((cid, f))
        })
        .collect();
    for KindRow { client_id: cid, doc_type, data } in docs {
        if doc_type == DocType::Effects && chosen.contains(cid.as_str()) {
            if let Ok(e) = serde_json::from_str::<Effects>(&data) {
                effects.push(e);
            }
        }
        let Some(f) = facts.get_mut(&cid) else { continue };
        match doc_type {
            DocType::Ipd => f.ipd = serde_json::from_str(&data).ok(),
            DocType::Contract => f.contract = serde_json::from_str(&data).ok(),
            DocType::Effects => f.effects = serde_json::from_str(&data).ok(),
            DocType::Services => {
                let last = serde_json::from_str::<Services>(&data).ok().and_then(|s| s.rows.iter().filter_map(|r| parse_iso_date(&r.date)).max());
                f.last_contact = f.last_contact.max(last);
            }
            _ => {}
        }
    }
    let facts: Vec<ClientFacts> = facts.into_values().collect();
    let due = dashboard::due_list(&facts, today);
    let effects: Vec<&Effects> = effects.iter().collect();
    let indicators = dashboard::indicators(&effects, &dashboard::months_ending(period, 6));
    let plan = crate::store::partnership_doc::stored(&mut conn, id, domain::partnership::Kind::Plan, "")
        .await?
        .and_then(|d| serde_json::from_str::<domain::partnership::plan::ActionPlan>(&d.data).ok())
        .map(|plan| domain::partnership::plan::progress(&plan, &effects))
        .unwrap_or_default();

    let latest: Option<LatestRound> = sqlx::query_as(
        "SELECT s.id, s.period, COALESCE(n.n, 0) AS answers FROM survey_periods s
         LEFT JOIN survey_counters n ON n.survey_id = s.id AND n.question = $2 AND n.choice = $2
         WHERE s.partnership_id = $1 AND s.period <= $3 ORDER BY s.period DESC LIMIT 1",
    )
    .bind(&p)
    .bind(ALL)
    .bind(period.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let survey = latest.and_then(|LatestRound { id: sid, period, answers: n }| {
        let respondents = u64::try_from(n).unwrap_or(0);
        Some(SurveySummary { id: uuid(&sid)?, period, respondents, withheld: respondents < MIN_ANSWERS })
    });

    let authorisations = crate::store::people::authorisations_due(&mut conn, id, today).await?;
    audit::record(&mut conn, &user, id, None, Action::Read, "dashboard").await?;
    Ok(ApiJson(Dashboard {
        partnership_id: id,
        today: today.to_string(),
        period: period.to_string(),
        active_clients: i64::try_from(facts.len()).unwrap_or(i64::MAX),
        caseloads,
        due,
        indicators,
        indicator_codes: INDICATORS.iter().map(|s| (*s).to_string()).collect(),
        plan,
        survey,
        authorisations,
    }))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get))
}
