//! A partnership's monthly report in storage: the facts its tables are generated
//! from, the stored narrative, and how a save of it plugs into `store::whole`.


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

use domain::merge::Path;
use domain::Lang;

use crate::error::internal;
use crate::error::AppError;
use crate::store::user::CurrentUser;
use crate::store::whole::{Held, Saving};

pub(crate) fn date_of(ms_or_s: i64) -> Option<time::Date> {
    time::OffsetDateTime::from_unix_timestamp(ms_or_s).ok().map(time::OffsetDateTime::date)
}

#[derive(sqlx::FromRow)]
struct FactsRow {
    id: String,
    status: String,
    birth_date: String,
    data: String,
    created_at: i64,
}

/// Every client of the partnership with what sections IX–XI need.
pub(crate) async fn facts(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<ClientFacts>, AppError> {
    let p = partnership.to_string();
    let clients: Vec<FactsRow> =
        sqlx::query_as("SELECT id, status, birth_date, data, created_at FROM clients WHERE partnership_id = $1").bind(&p).fetch_all(&mut *conn).await?;
    let docs = crate::store::document::of_kinds(conn, partnership, &[DocType::Support, DocType::Assessment, DocType::Services]).await?;
    let mut by_id: HashMap<String, ClientFacts> = HashMap::with_capacity(clients.len());
    for FactsRow { id, status, birth_date: birth, data, created_at: created } in clients {
        let uuid = Uuid::parse_str(&id).map_err(internal)?;
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
    let name = crate::store::partnership::name(conn, partnership).await?;
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

/// A report's narrative as [`whole::save`] keeps it: refused once final; marking it
/// final freezes the tables as they stand and needs no field in conflict.
pub(crate) struct ReportSaving {
    pub partnership: Uuid,
    pub month: Month,
    pub lang: Lang,
}

impl Saving for ReportSaving {
    type Content = Narrative;
    type Whole = MonthlyReport;

    fn partnership(&self) -> Uuid {
        self.partnership
    }

    async fn lock(&self, conn: &mut AnyConnection) -> Result<(), AppError> {
        sqlx::query("UPDATE reports SET version = version WHERE partnership_id = $1 AND month = $2")
            .bind(self.partnership.to_string())
            .bind(self.month.to_string())
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    async fn held(&self, conn: &mut AnyConnection) -> Result<Option<Held<Narrative>>, AppError> {
        match stored(conn, self.partnership, self.month).await? {
            Some(c) if c.status == "final" => Err(AppError::Conflict(self.lang.pick("To sprawozdanie jest ostateczne: jego liczby są zamrożone, a tekstu nie można zmienić.", "This report is final: its figures are frozen and its text cannot change."))),
            Some(c) => Ok(Some(Held { content: serde_json::from_str(&c.narrative).map_err(internal)?, version: c.version })),
            None => Ok(None),
        }
    }

    fn empty(&self) -> Narrative {
        Narrative::default()
    }

    fn check(&self, merged: Narrative, conflicts: &[Path], finalise: bool) -> Result<Narrative, AppError> {
        if finalise && !conflicts.is_empty() {
            return Err(AppError::Conflict(self.lang.pick("Ktoś inny zmienił te same części: przejrzyj je, zanim oznaczysz sprawozdanie jako ostateczne.", "Someone else changed the same sections: review them before marking the report final.")));
        }
        let status = if finalise { DocStatus::Final } else { DocStatus::Draft };
        merged.validate(self.lang, status).map_err(AppError::fields(self.lang))?;
        Ok(merged)
    }

    async fn write(&self, conn: &mut AnyConnection, narrative: &Narrative, held: Option<i64>, finalise: bool, user: &CurrentUser) -> Result<(), AppError> {
        let (id, month) = (self.partnership, self.month);
        let text = serde_json::to_string(narrative).map_err(internal)?;
        let snapshot = if finalise {
            Some(serde_json::to_string(&report::generate(month, &facts(conn, id).await?)).map_err(internal)?)
        } else {
            None
        };
        let t = crate::now();
        let finalised = finalise.then_some(t);
        let finalised_by = finalise.then(|| user.id.to_string());
        let status = if finalise { "final" } else { "draft" };
        if held.is_some() {
            sqlx::query(
                "UPDATE reports SET narrative = $1, status = $2, snapshot = $3, version = version + 1, finalised_by = $4, finalised_at = $5,
                 updated_by = $6, updated_at = $7 WHERE partnership_id = $8 AND month = $9",
            )
            .bind(&text)
            .bind(status)
            .bind(snapshot)
            .bind(finalised_by)
            .bind(finalised)
            .bind(user.id.to_string())
            .bind(t)
            .bind(id.to_string())
            .bind(month.to_string())
            .execute(&mut *conn)
            .await?;
        } else {
            sqlx::query(
                "INSERT INTO reports (partnership_id, month, narrative, status, snapshot, version, finalised_by, finalised_at, updated_by, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9)",
            )
            .bind(id.to_string())
            .bind(month.to_string())
            .bind(&text)
            .bind(status)
            .bind(snapshot)
            .bind(finalised_by)
            .bind(finalised)
            .bind(user.id.to_string())
            .bind(t)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    fn detail(&self, finalise: bool) -> String {
        if finalise {
            format!("report {} final", self.month)
        } else {
            format!("report {}", self.month)
        }
    }

    async fn whole(&self, conn: &mut AnyConnection) -> Result<MonthlyReport, AppError> {
        assemble(conn, self.partnership, self.month).await
    }
}
