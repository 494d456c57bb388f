//! A partnership's people and members: who can lead clients in it and how many each
//! already leads, and what its documents are checked against.

use std::collections::HashMap;

use domain::docs::{CustomService, Partner};
use domain::org::OrgType;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::db::{one_of, Engine};
use crate::error::{internal, AppError};

/// Active clients led by a consultant, in every partnership: the caseload is the person's.
pub const ACTIVE_CASELOAD_SQL: &str = "SELECT COUNT(*) FROM clients WHERE key_consultant_id = $1 AND status = 'active'";

/// One person who leads clients in a partnership.
#[derive(sqlx::FromRow)]
pub struct ConsultantRow {
    pub user_id: String,
    pub display_name: String,
    pub role: String,
    pub organisation_id: String,
    pub organisation_name: String,
    /// Active clients in every partnership: the caseload is the person's.
    pub active_clients: i64,
}

/// The partnership's name, as files and reports carry it.
pub async fn name(conn: &mut AnyConnection, partnership: Uuid) -> Result<String, AppError> {
    Ok(sqlx::query_scalar("SELECT name FROM partnerships WHERE id = $1").bind(partnership.to_string()).fetch_one(&mut *conn).await?)
}

/// The active people of a partnership who lead clients, by name.
pub async fn consultant_rows(conn: &mut sqlx::AnyConnection, partnership: Uuid) -> Result<Vec<ConsultantRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name, r.role, o.id AS organisation_id, o.name AS organisation_name,
                (SELECT COUNT(*) FROM clients c WHERE c.key_consultant_id = u.id AND c.status = 'active') AS active_clients
         FROM user_roles r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.organisation_id
         WHERE r.partnership_id = $1 AND r.role NOT IN ('administrator', 'coordinator', 'data_protection_officer') AND u.active = 1
         ORDER BY u.display_name",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await
}

#[derive(sqlx::FromRow)]
struct ServiceRow {
    partnership_id: String,
    code: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct PartnerRow {
    partnership_id: String,
    id: String,
    name: String,
    org_type: String,
}

/// What a partnership's documents are checked against: its member organisations and
/// its own services, each by name.
pub type Context = (Vec<Partner>, Vec<CustomService>);

/// A partnership's member organisations and its own services: what a document is
/// checked against.
pub async fn context(conn: &mut AnyConnection, partnership: Uuid) -> Result<Context, AppError> {
    let mut all = contexts_in(conn, "($1)", vec![partnership.to_string()]).await?;
    Ok(all.remove(&partnership).unwrap_or_default())
}

/// The contexts of several partnerships in two statements: a person's memberships, for
/// the device (a region's coordinator belongs to 500 partnerships, and two statements
/// for each made `/api/v1/auth/me` take 38 ms).
pub async fn contexts(conn: &mut AnyConnection, engine: Engine, partnerships: &[Uuid]) -> Result<HashMap<Uuid, Context>, AppError> {
    let ids: Vec<String> = partnerships.iter().map(Uuid::to_string).collect();
    let (list, binds) = one_of(engine, 1, &ids);
    contexts_in(conn, &list, binds).await
}

/// The contexts of the partnerships `m.partnership_id IN {list}`.
async fn contexts_in(conn: &mut AnyConnection, list: &str, binds: Vec<String>) -> Result<HashMap<Uuid, Context>, AppError> {
    let sql = format!(
        "SELECT m.partnership_id, o.id, o.name, o.org_type FROM partnership_members m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.partnership_id IN {list} ORDER BY m.partnership_id, o.name"
    );
    let mut query = sqlx::query_as::<_, PartnerRow>(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    let mut all: HashMap<Uuid, Context> = HashMap::new();
    for PartnerRow { partnership_id, id, name, org_type: t } in query.fetch_all(&mut *conn).await? {
        let partner = Partner {
            organisation_id: Uuid::parse_str(&id).map_err(internal)?,
            name,
            org_type: OrgType::parse(&t).ok_or_else(|| AppError::Internal(format!("unknown organisation type {t}")))?,
        };
        all.entry(Uuid::parse_str(&partnership_id).map_err(internal)?).or_default().0.push(partner);
    }
    let sql = format!("SELECT partnership_id, code, name FROM custom_services WHERE partnership_id IN {list} ORDER BY partnership_id, name");
    let mut query = sqlx::query_as::<_, ServiceRow>(&sql);
    for b in &binds {
        query = query.bind(b);
    }
    for ServiceRow { partnership_id, code, name } in query.fetch_all(&mut *conn).await? {
        all.entry(Uuid::parse_str(&partnership_id).map_err(internal)?).or_default().1.push(CustomService { code, name });
    }
    Ok(all)
}

/// An organisation as a clause names it: name, seat, KRS, REGON, file-plan category.
type ControllerRow = (String, String, Option<String>, Option<String>, String);

/// The partnership's member organisations as the controllers an information clause
/// names, by name.
pub async fn controllers(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<domain::clause::Controller>, AppError> {
    let rows: Vec<ControllerRow> = sqlx::query_as(
        "SELECT o.name, o.seat, o.krs, o.regon, o.retention_category FROM partnership_members m JOIN organisations o ON o.id = m.organisation_id
         WHERE m.partnership_id = $1 ORDER BY o.name",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(name, seat, krs, regon, retention_category)| domain::clause::Controller {
            name,
            seat,
            krs: krs.unwrap_or_default(),
            regon: regon.unwrap_or_default(),
            retention_category,
        })
        .collect())
}
