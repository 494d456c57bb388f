//! Retention and disposal in storage (issue 20): the rules a partnership's files
//! follow, the closed clients whose time is up, and disposal itself, which erases what
//! names or describes a person and keeps what the reports already counted. The rules
//! and what is kept are `domain::retention`'s; this module only reads and writes.

use domain::docs::support::Support;
use domain::docs::DocType;
use domain::retention::{self, DisposalEntry, DisposalList, DisposalRegister, DueClient, RuleDate, Verdict, ANONYMISED_NAME};
use domain::validation::{format_timestamp_warsaw, parse_iso_date};
use serde_json::Value;
use sqlx::AnyConnection;
use time::Date;
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::store::audit::{self, Action};
use crate::store::report::date_of;
use crate::store::user::CurrentUser;

/// The rules of a partnership: each member's category, and the project's archive date.
pub(crate) struct Rules {
    pub partnership: String,
    pub organisations: Vec<(String, String)>,
    pub archive_until: Option<Date>,
}

pub(crate) async fn rules(conn: &mut AnyConnection, partnership: Uuid) -> Result<Rules, AppError> {
    let p = partnership.to_string();
    let (name, until): (String, String) =
        sqlx::query_as("SELECT name, archive_until FROM partnerships WHERE id = $1").bind(&p).fetch_optional(&mut *conn).await?.ok_or(AppError::NotFound)?;
    let organisations: Vec<(String, String)> = sqlx::query_as(
        "SELECT o.name, o.retention_category FROM partnership_members m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.partnership_id = $1 ORDER BY o.name",
    )
    .bind(&p)
    .fetch_all(&mut *conn)
    .await?;
    Ok(Rules { partnership: name, organisations, archive_until: parse_iso_date(&until) })
}

/// Records (or with `None` removes) the project's archive date.
pub(crate) async fn set_archive_until(conn: &mut AnyConnection, partnership: Uuid, until: Option<Date>) -> Result<(), AppError> {
    sqlx::query("UPDATE partnerships SET archive_until = $1 WHERE id = $2")
        .bind(until.map(|d| d.to_string()).unwrap_or_default())
        .bind(partnership.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ClosedRow {
    id: String,
    display_name: String,
    kind: String,
    created_at: i64,
    updated_at: i64,
    restricted_at: Option<i64>,
    support: Option<String>,
}

/// A closed client with the day their case closed and the rules' verdict.
struct Closed {
    id: Uuid,
    name: String,
    kind: String,
    registered: Option<Date>,
    closed_on: Date,
    restricted: bool,
    verdict: Verdict,
}

/// The day a case closed: the end of its latest period of support, or for an older
/// record closed without periods, the day it was last changed.
fn closed_on(support: Option<&str>, updated_at: i64) -> Option<Date> {
    support
        .and_then(|s| serde_json::from_str::<Support>(s).ok())
        .and_then(|s| s.ordered().last().and_then(|p| p.end()))
        .or_else(|| date_of(updated_at))
}

async fn closed(conn: &mut AnyConnection, partnership: Uuid, only: Option<Uuid>, today: Date) -> Result<(Rules, Vec<Closed>), AppError> {
    let rules = rules(conn, partnership).await?;
    let mut sql = String::from(
        "SELECT c.id, c.display_name, c.kind, c.created_at, c.updated_at, c.restricted_at, s.data AS support
         FROM clients c LEFT JOIN documents s ON s.client_id = c.id AND s.doc_type = 'support'
         WHERE c.partnership_id = $1 AND c.status = 'closed' AND c.disposed_at IS NULL",
    );
    if only.is_some() {
        sql.push_str(" AND c.id = $2");
    }
    sql.push_str(" ORDER BY c.sort_key, c.id");
    let mut q = sqlx::query_as::<_, ClosedRow>(&sql).bind(partnership.to_string());
    if let Some(id) = only {
        q = q.bind(id.to_string());
    }
    let rows = q.fetch_all(&mut *conn).await?;
    let project = rules.archive_until.map(|d| (rules.partnership.as_str(), d));
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let Some(closed_on) = closed_on(r.support.as_deref(), r.updated_at) else { continue };
        let verdict = retention::verdict(closed_on, &rules.organisations, project, today);
        out.push(Closed {
            id: Uuid::parse_str(&r.id).map_err(internal)?,
            name: r.display_name,
            kind: r.kind,
            registered: date_of(r.created_at),
            closed_on,
            restricted: r.restricted_at.is_some(),
            verdict,
        });
    }
    Ok((rules, out))
}

fn organisation_rules(rules: &Rules) -> Vec<RuleDate> {
    rules
        .organisations
        .iter()
        .map(|(name, code)| RuleDate { kind: "organisation".into(), source: name.clone(), rule: code.clone(), from: String::new() })
        .collect()
}

fn due_client(c: &Closed, named: bool) -> DueClient {
    let mut rules = c.verdict.rules.clone();
    if c.restricted {
        // A restricted file may be kept for a legal claim: it waits until lifted.
        rules.push(RuleDate { kind: "restriction".into(), source: String::new(), rule: String::new(), from: String::new() });
    }
    DueClient {
        client_id: c.id,
        name: if named { c.name.clone() } else { String::new() },
        kind: c.kind.clone(),
        registered: c.registered.map(|d| d.to_string()).unwrap_or_default(),
        closed_on: c.closed_on.to_string(),
        due_on: c.verdict.due_on.map(|d| d.to_string()).unwrap_or_default(),
        rules,
    }
}

/// The disposal list: closed clients due (every rule passed, not restricted) and the
/// others with what still holds them. Names only for those who read client records.
pub(crate) async fn list(conn: &mut AnyConnection, partnership: Uuid, named: bool, today: Date) -> Result<DisposalList, AppError> {
    let (rules, closed) = closed(conn, partnership, None, today).await?;
    let (due, later): (Vec<&Closed>, Vec<&Closed>) = closed.iter().partition(|c| c.verdict.due && !c.restricted);
    Ok(DisposalList {
        partnership_id: partnership,
        partnership: rules.partnership.clone(),
        today: today.to_string(),
        archive_until: rules.archive_until.map(|d| d.to_string()).unwrap_or_default(),
        organisations: organisation_rules(&rules),
        due: due.into_iter().map(|c| due_client(c, named)).collect(),
        later: later.into_iter().map(|c| due_client(c, named)).collect(),
    })
}

/// Whether client `id` was disposed of.
pub(crate) async fn is_disposed(conn: &mut AnyConnection, id: Uuid) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM disposals WHERE client_id = $1").bind(id.to_string()).fetch_one(&mut *conn).await?;
    Ok(n > 0)
}

/// Disposes of client `id` on `today`'s rules, checked again here: the list the
/// person approved may be older than the data. Anonymises the record and keeps what
/// the reports count; erases its versions, notes, conflicts, held and sent changes.
pub(crate) async fn dispose(conn: &mut AnyConnection, user: &CurrentUser, lang: domain::Lang, partnership: Uuid, id: Uuid, justification: &str, today: Date) -> Result<(), AppError> {
    let (_, mut found) = closed(conn, partnership, Some(id), today).await?;
    let Some(c) = found.pop() else { return Err(AppError::NotFound) };
    if !c.verdict.due || c.restricted {
        let day = c.verdict.due_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
        return Err(AppError::NotDue(if c.restricted {
            lang.pick(format!("Przetwarzanie danych klienta {} jest ograniczone: jego akt nie można teraz brakować.", c.name), format!("The processing of {}'s data is restricted: the file cannot be disposed of now.", c.name))
        } else {
            lang.pick(format!("Akta klienta {} nie są jeszcze do brakowania (termin: {day}). Odśwież listę.", c.name), format!("{}'s file is not due for disposal yet (due: {day}). Reload the list.", c.name))
        }));
    }
    let t = crate::now();
    let cid = id.to_string();
    // The register first: the triggers let notes and versions go only for a client it names.
    sqlx::query(
        "INSERT INTO disposals (partnership_id, client_id, client_kind, registered, closed_on, due_on, rules, justification, approved_by, approved_by_name, disposed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(partnership.to_string())
    .bind(&cid)
    .bind(&c.kind)
    .bind(c.registered.map(|d| d.to_string()).unwrap_or_default())
    .bind(c.closed_on.to_string())
    .bind(c.verdict.due_on.map(|d| d.to_string()).unwrap_or_default())
    .bind(serde_json::to_string(&c.verdict.rules).map_err(internal)?)
    .bind(justification)
    .bind(user.id.to_string())
    .bind(&user.display_name)
    .bind(t)
    .execute(&mut *conn)
    .await?;

    let docs: Vec<(String, String, String)> =
        sqlx::query_as("SELECT id, doc_type, data FROM documents WHERE client_id = $1").bind(&cid).fetch_all(&mut *conn).await?;
    let mut written: Vec<String> = vec![cid.clone()];
    for (doc_id, doc_type, data) in docs {
        sqlx::query("DELETE FROM doc_versions WHERE doc_id = $1").bind(&doc_id).execute(&mut *conn).await?;
        let kind = DocType::parse(&doc_type).ok_or_else(|| AppError::Internal(format!("unknown document type {doc_type}")))?;
        let value: Value = serde_json::from_str(&data).map_err(internal)?;
        match retention::anonymised_document(kind, &value) {
            Some(kept) => {
                sqlx::query("UPDATE documents SET data = $1, version = version + 1, updated_by = $2, updated_at = $3 WHERE id = $4")
                    .bind(serde_json::to_string(&kept).map_err(internal)?)
                    .bind(user.id.to_string())
                    .bind(t)
                    .bind(&doc_id)
                    .execute(&mut *conn)
                    .await?;
            }
            None => {
                sqlx::query("DELETE FROM documents WHERE id = $1").bind(&doc_id).execute(&mut *conn).await?;
            }
        }
        written.push(doc_id);
    }
    sqlx::query("DELETE FROM doc_versions WHERE doc_id = $1").bind(&cid).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM notes WHERE client_id = $1").bind(&cid).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM sync_conflicts WHERE client_id = $1").bind(&cid).execute(&mut *conn).await?;
    sqlx::query("DELETE FROM sync_held WHERE client_id = $1").bind(&cid).execute(&mut *conn).await?;
    for doc in &written {
        // The answers kept for a device's retries can quote the data.
        sqlx::query("DELETE FROM sync_mutations WHERE doc_id = $1").bind(doc).execute(&mut *conn).await?;
    }

    let (name, data): (String, String) = sqlx::query_as("SELECT display_name, data FROM clients WHERE id = $1").bind(&cid).fetch_one(&mut *conn).await?;
    let anonymised = retention::anonymised_client(&serde_json::from_str(&data).map_err(internal)?);
    sqlx::query(
        "UPDATE clients SET display_name = $1, pesel = NULL, birth_date = $2, city = '', sort_key = $3, search_text = '', data = $4,
            key_consultant_id = NULL, restriction_reason = '', version = version + 1, updated_by = $5, updated_at = $6, disposed_at = $6
         WHERE id = $7",
    )
    .bind(ANONYMISED_NAME)
    .bind(anonymised["birth_date"].as_str().unwrap_or_default())
    .bind(format!("~{cid}"))
    .bind(serde_json::to_string(&anonymised).map_err(internal)?)
    .bind(user.id.to_string())
    .bind(t)
    .bind(&cid)
    .execute(&mut *conn)
    .await?;
    scrub_imports(conn, partnership, &name).await?;
    scrub_reports(conn, partnership, id).await?;
    audit::record(conn, user, partnership, Some(id), Action::Update, "disposed (retention period passed)").await?;
    Ok(())
}

/// Kept import reports list each row by name: the disposed client's rows lose it.
async fn scrub_imports(conn: &mut AnyConnection, partnership: Uuid, name: &str) -> Result<(), AppError> {
    let kept: Vec<(String, String)> =
        sqlx::query_as("SELECT id, report FROM client_imports WHERE partnership_id = $1").bind(partnership.to_string()).fetch_all(&mut *conn).await?;
    for (id, report) in kept {
        let mut value: Value = serde_json::from_str(&report).map_err(internal)?;
        let mut hit = false;
        for row in value.get_mut("rows").and_then(Value::as_array_mut).into_iter().flatten() {
            if row.get("name").and_then(Value::as_str) == Some(name) {
                row["name"] = Value::String(ANONYMISED_NAME.into());
                hit = true;
            }
        }
        if hit {
            sqlx::query("UPDATE client_imports SET report = $1 WHERE id = $2").bind(serde_json::to_string(&value).map_err(internal)?).bind(&id).execute(&mut *conn).await?;
        }
    }
    Ok(())
}

/// A final report's frozen tables keep their numbers, and lose the disposed client's
/// free texts (services' remarks, other features, the reason in words), as the live
/// tables do, so the report does not show them as changed.
async fn scrub_reports(conn: &mut AnyConnection, partnership: Uuid, client: Uuid) -> Result<(), AppError> {
    let frozen: Vec<(String, String)> = sqlx::query_as("SELECT month, snapshot FROM reports WHERE partnership_id = $1 AND snapshot IS NOT NULL")
        .bind(partnership.to_string())
        .fetch_all(&mut *conn)
        .await?;
    for (month, snapshot) in frozen {
        let mut tables: domain::report::Tables = serde_json::from_str(&snapshot).map_err(internal)?;
        let before = tables.clone();
        tables.characteristics.iter_mut().filter(|r| r.client_id == client).for_each(|r| r.other_features.clear());
        tables.services.iter_mut().filter(|r| r.client_id == client).for_each(|r| r.remarks.clear());
        tables.endings.iter_mut().filter(|r| r.client_id == client).for_each(|r| r.reason_text.clear());
        if tables != before {
            sqlx::query("UPDATE reports SET snapshot = $1 WHERE partnership_id = $2 AND month = $3")
                .bind(serde_json::to_string(&tables).map_err(internal)?)
                .bind(partnership.to_string())
                .bind(&month)
                .execute(&mut *conn)
                .await?;
        }
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    client_id: String,
    client_kind: String,
    registered: String,
    closed_on: String,
    due_on: String,
    rules: String,
    justification: String,
    approved_by_name: String,
    disposed_at: i64,
}

/// The partnership's disposal register, newest first.
pub(crate) async fn register(conn: &mut AnyConnection, partnership: Uuid) -> Result<DisposalRegister, AppError> {
    let name = crate::store::partnership::name(conn, partnership).await?;
    let rows: Vec<EntryRow> = sqlx::query_as(
        "SELECT client_id, client_kind, registered, closed_on, due_on, rules, justification, approved_by_name, disposed_at
         FROM disposals WHERE partnership_id = $1 ORDER BY id DESC",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut entries = Vec::with_capacity(rows.len());
    // Numbered within the partnership, oldest first, as a protocol numbers its items.
    let total = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    for (i, r) in rows.into_iter().enumerate() {
        entries.push(DisposalEntry {
            no: total - i64::try_from(i).unwrap_or(0),
            client_id: Uuid::parse_str(&r.client_id).map_err(internal)?,
            kind: r.client_kind,
            registered: r.registered,
            closed_on: r.closed_on,
            due_on: r.due_on,
            rules: serde_json::from_str(&r.rules).map_err(internal)?,
            justification: r.justification,
            approved_by: r.approved_by_name,
            disposed_at: format_timestamp_warsaw(r.disposed_at),
        });
    }
    Ok(DisposalRegister { partnership_id: partnership, partnership: name, entries })
}
