//! A partnership's monthly report in storage: the facts its tables are generated
//! from, and the stored narrative.


use domain::docs::assessment::Assessment;
use domain::docs::services::Services;
use domain::docs::support::Support;
use domain::docs::DocStatus;
use domain::report::{self, ClientFacts, MonthlyReport, Narrative, Tables};
use domain::calendar::Month;
use domain::validation::{format_timestamp_warsaw, parse_iso_date};
use domain::docs::DocType;
use sqlx::AnyConnection;
use std::collections::HashMap;
use uuid::Uuid;

use crate::error::internal;
use crate::error::AppError;

pub(crate) fn date_of(ms_or_s: i64) -> Option<time::Date> {
    time::OffsetDateTime::from_unix_timestamp(ms_or_s).ok().map(time::OffsetDateTime::date)
}

/// Every client of the partnership with what sections IX–XI need.
pub(crate) async fn facts(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<ClientFacts>, AppError> {
    let p = partnership.to_string();
    let clients: Vec<(String, String, String, String, i64)> =
        sqlx::query_as("SELECT id, status, birth_date, data, created_at FROM clients WHERE partnership_id = $1").bind(&p).fetch_all(&mut *conn).await?;
    let docs = crate::store::document::of_kinds(conn, partnership, &[DocType::Support, DocType::Assessment, DocType::Services]).await?;
    let mut by_id: HashMap<String, ClientFacts> = HashMap::with_capacity(clients.len());
    for (id, status, birth, data, created) in clients {
        let Ok(uuid) = Uuid::parse_str(&id) else { continue };
        let data: serde_json::Value = serde_json::from_str(&data).map_err(internal)?;
        let person = data["kind"].as_str() == Some("person");
        by_id.insert(id, ClientFacts {
            id: uuid,
            registered: date_of(created),
            sex: if person { data["sex"].as_str().unwrap_or_default().to_string() } else { String::new() },
            birth_date: if person { parse_iso_date(&birth) } else { None },
            closed: status == "closed",
            ..Default::default()
        });
    }
    for doc in docs {
        let Some(f) = by_id.get_mut(&doc.client_id) else { continue };
        let data = doc.data;
        match doc.doc_type {
            DocType::Support => f.support = serde_json::from_str::<Support>(&data).ok(),
            DocType::Services => f.services = serde_json::from_str::<Services>(&data).ok(),
            DocType::Assessment => f.disability = serde_json::from_str::<Assessment>(&data).map(|a| a.disability).unwrap_or_default(),
            _ => {}
        }
    }
    Ok(by_id.into_values().collect())
}

/// A stored report: its narrative, its frozen tables once final, and who made it final.
#[derive(sqlx::FromRow)]
pub(crate) struct StoredReport {
    pub narrative: String,
    pub snapshot: Option<String>,
    pub version: i64,
    pub status: String,
    pub finalised_by: Option<String>,
    pub finalised_at: Option<i64>,
}

pub(crate) async fn stored(conn: &mut AnyConnection, partnership: Uuid, month: Month) -> Result<Option<StoredReport>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.narrative, r.snapshot, r.version, r.status, u.display_name AS finalised_by, r.finalised_at
         FROM reports r LEFT JOIN users u ON u.id = r.finalised_by WHERE r.partnership_id = $1 AND r.month = $2",
    )
    .bind(partnership.to_string())
    .bind(month.to_string())
    .fetch_optional(&mut *conn)
    .await?)
}

/// The report as it stands: a draft's tables from today's data; a final one's
/// frozen tables with what has changed since.
pub(crate) async fn assemble(conn: &mut AnyConnection, partnership: Uuid, month: Month) -> Result<MonthlyReport, AppError> {
    let (name,): (String,) =
        sqlx::query_as("SELECT name FROM partnerships WHERE id = $1").bind(partnership.to_string()).fetch_one(&mut *conn).await?;
    let (_, custom_services) = crate::store::partnership::context(conn, partnership).await?;
    let live = report::generate(month, &facts(conn, partnership).await?);
    let mut out = MonthlyReport {
        partnership_id: partnership,
        partnership: name,
        month: month.to_string(),
        version: 0,
        status: DocStatus::Draft,
        narrative: Narrative::default(),
        tables: live,
        finalised_at: String::new(),
        finalised_by: String::new(),
        changed_since: Vec::new(),
        custom_services,
    };
    if let Some(StoredReport { narrative, snapshot, version, status, finalised_by: by, finalised_at: at }) = stored(conn, partnership, month).await? {
        out.narrative = serde_json::from_str(&narrative).map_err(internal)?;
        out.version = version;
        if status == "final" {
            let frozen: Tables = serde_json::from_str(snapshot.as_deref().unwrap_or_default()).map_err(internal)?;
            out.changed_since = report::changed_since(&frozen, &out.tables);
            out.tables = frozen;
            out.status = DocStatus::Final;
            out.finalised_by = by.unwrap_or_default();
            out.finalised_at = at.map(format_timestamp_warsaw).unwrap_or_default();
        }
    }
    Ok(out)
}
