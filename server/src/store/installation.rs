//! The installation: its first administrator, the organisations and the partnerships
//! they form, and the log of what administrators do outside any partnership.

use domain::installation::{Organisation, OrganisationInput, PartnershipInput, PartnershipSummary};
use domain::org::{OrgType, PartnershipKind};
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::now;

/// Whether the installation still waits for its first administrator: nobody has an
/// account yet. An installation that had people before administrators existed (set up
/// by `seed-demo` or `create-user`) gets its administrator by `sciezka create-admin`.
pub async fn needs_first_admin(conn: &mut AnyConnection) -> Result<bool, AppError> {
    let set_up: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM installation").fetch_one(&mut *conn).await?;
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *conn).await?;
    Ok(set_up == 0 && people == 0)
}

/// Registers an organisation already validated by [`OrganisationInput::validate`].
pub async fn insert_organisation(conn: &mut AnyConnection, org: &OrganisationInput) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    sqlx::query("INSERT INTO organisations (id, name, org_type, seat, krs, regon, nip, retention_category, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(id.to_string())
        .bind(&org.name)
        .bind(org.org_type.as_str())
        .bind(&org.seat)
        .bind(some(&org.krs))
        .bind(some(&org.regon))
        .bind(some(&org.nip))
        .bind(&org.retention_category)
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Whether another organisation than `except` has this name (names are how people
/// tell them apart in every list).
pub async fn organisation_named(conn: &mut AnyConnection, name: &str, except: Option<Uuid>) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM organisations WHERE LOWER(name) = LOWER($1) AND id <> $2")
        .bind(name)
        .bind(except.map(|u| u.to_string()).unwrap_or_default())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// An organisation's kind and how many partnerships it belongs to, if it exists.
pub async fn organisation_standing(conn: &mut AnyConnection, id: Uuid) -> Result<Option<(OrgType, i64)>, AppError> {
    let row: Option<(String, i64)> = sqlx::query_as(
        "SELECT o.org_type, (SELECT COUNT(*) FROM partnership_members m WHERE m.organisation_id = o.id) FROM organisations o WHERE o.id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|(kind, n)| Ok((OrgType::parse(&kind).ok_or_else(|| internal(format!("organisation type {kind}")))?, n))).transpose()
}

/// Writes an organisation's corrected details, already validated by
/// [`OrganisationInput::validate`].
pub async fn update_organisation(conn: &mut AnyConnection, id: Uuid, org: &OrganisationInput) -> Result<(), AppError> {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    sqlx::query("UPDATE organisations SET name = $1, org_type = $2, seat = $3, krs = $4, regon = $5, nip = $6, retention_category = $7 WHERE id = $8")
        .bind(&org.name)
        .bind(org.org_type.as_str())
        .bind(&org.seat)
        .bind(some(&org.krs))
        .bind(some(&org.regon))
        .bind(some(&org.nip))
        .bind(&org.retention_category)
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: String,
    name: String,
    org_type: String,
    seat: String,
    krs: Option<String>,
    regon: Option<String>,
    nip: Option<String>,
    retention_category: String,
    people: i64,
}

/// Every organisation, by name, with the partnerships it belongs to.
pub async fn organisations(conn: &mut AnyConnection) -> Result<Vec<Organisation>, AppError> {
    let rows: Vec<OrganisationRow> = sqlx::query_as(
        "SELECT o.id, o.name, o.org_type, o.seat, o.krs, o.regon, o.nip, o.retention_category,
                (SELECT COUNT(*) FROM users u WHERE u.organisation_id = o.id) AS people
         FROM organisations o ORDER BY o.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let memberships: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.organisation_id, p.name FROM partnership_members m JOIN partnerships p ON p.id = m.partnership_id ORDER BY p.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Organisation {
                id: Uuid::parse_str(&r.id).map_err(internal)?,
                org_type: OrgType::parse(&r.org_type).ok_or_else(|| AppError::Internal(format!("unknown organisation type {}", r.org_type)))?,
                partnerships: memberships.iter().filter(|(o, _)| *o == r.id).map(|(_, p)| p.clone()).collect(),
                name: r.name,
                seat: r.seat,
                krs: r.krs.unwrap_or_default(),
                regon: r.regon.unwrap_or_default(),
                nip: r.nip.unwrap_or_default(),
                retention_category: r.retention_category,
                people: r.people,
            })
        })
        .collect()
}

/// Every organisation's id and kind, for checking a partnership's members.
pub async fn organisation_kinds(conn: &mut AnyConnection) -> Result<Vec<(Uuid, OrgType)>, AppError> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, org_type FROM organisations").fetch_all(&mut *conn).await?;
    rows.into_iter()
        .map(|(id, t)| Ok((Uuid::parse_str(&id).map_err(internal)?, OrgType::parse(&t).unwrap_or(OrgType::Other))))
        .collect()
}

/// Creates a partnership validated by [`PartnershipInput::validate`], with its members.
pub async fn insert_partnership(conn: &mut AnyConnection, p: &PartnershipInput) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO partnerships (id, name, kind, created_at) VALUES ($1, $2, $3, $4)")
        .bind(id.to_string())
        .bind(&p.name)
        .bind(p.kind.as_str())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    for m in &p.members {
        add_member(conn, id, *m).await?;
    }
    Ok(id)
}

/// Makes an organisation a party of the partnership (its agreement then has that party).
pub async fn add_member(conn: &mut AnyConnection, partnership: Uuid, organisation: Uuid) -> Result<(), AppError> {
    sqlx::query("INSERT INTO partnership_members (partnership_id, organisation_id) VALUES ($1, $2)")
        .bind(partnership.to_string())
        .bind(organisation.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A partnership's kind, or not found.
pub async fn partnership_kind(conn: &mut AnyConnection, partnership: Uuid) -> Result<PartnershipKind, AppError> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM partnerships WHERE id = $1").bind(partnership.to_string()).fetch_optional(&mut *conn).await?;
    kind.and_then(|k| PartnershipKind::parse(&k)).ok_or(AppError::NotFound)
}

/// The partnership's members, and every other registered organisation.
pub async fn members(conn: &mut AnyConnection, partnership: Uuid) -> Result<domain::installation::Members, AppError> {
    let (members, _) = crate::store::partnership::context(conn, partnership).await?;
    let candidates = organisations(conn)
        .await?
        .into_iter()
        .filter(|o| !members.iter().any(|m| m.organisation_id == o.id))
        .map(|o| domain::docs::Partner { organisation_id: o.id, name: o.name, org_type: o.org_type })
        .collect();
    Ok(domain::installation::Members { members, candidates })
}

/// Whether another partnership than `except` has this name.
pub async fn partnership_named(conn: &mut AnyConnection, name: &str, except: Option<Uuid>) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partnerships WHERE LOWER(name) = LOWER($1) AND id <> $2")
        .bind(name)
        .bind(except.map(|u| u.to_string()).unwrap_or_default())
        .fetch_one(&mut *conn)
        .await?;
    Ok(n > 0)
}

/// Gives a partnership a new name; false if there is no such partnership.
pub async fn rename_partnership(conn: &mut AnyConnection, id: Uuid, name: &str) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE partnerships SET name = $1 WHERE id = $2").bind(name).bind(id.to_string()).execute(&mut *conn).await?;
    Ok(done.rows_affected() > 0)
}

#[derive(sqlx::FromRow)]
struct PartnershipRow {
    id: String,
    name: String,
    kind: String,
    people: i64,
}

/// Every partnership, by name, with its members and coordinators (or one, by id).
pub async fn partnerships(conn: &mut AnyConnection, only: Option<Uuid>) -> Result<Vec<PartnershipSummary>, AppError> {
    let rows: Vec<PartnershipRow> = sqlx::query_as(
        "SELECT p.id, p.name, p.kind, (SELECT COUNT(*) FROM user_roles r WHERE r.partnership_id = p.id) AS people
         FROM partnerships p WHERE $1 = '' OR p.id = $1 ORDER BY p.name",
    )
    .bind(only.map(|u| u.to_string()).unwrap_or_default())
    .fetch_all(&mut *conn)
    .await?;
    let members: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.partnership_id, o.name FROM partnership_members m JOIN organisations o ON o.id = m.organisation_id ORDER BY o.name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let coordinators: Vec<(String, String)> = sqlx::query_as(
        "SELECT r.partnership_id, u.display_name FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE r.role IN ('coordinator', 'administrator') ORDER BY u.display_name",
    )
    .fetch_all(&mut *conn)
    .await?;
    let of = |list: &[(String, String)], id: &str| list.iter().filter(|(p, _)| p == id).map(|(_, n)| n.clone()).collect::<Vec<_>>();
    rows.into_iter()
        .map(|r| {
            Ok(PartnershipSummary {
                id: Uuid::parse_str(&r.id).map_err(internal)?,
                kind: PartnershipKind::parse(&r.kind).ok_or_else(|| AppError::Internal(format!("unknown partnership kind {}", r.kind)))?,
                members: of(&members, &r.id),
                coordinators: of(&coordinators, &r.id),
                name: r.name,
                people: r.people,
            })
        })
        .collect()
}

/// An installation administrator's own account, with a password they typed.
pub async fn insert_admin(conn: &mut AnyConnection, email: &str, display_name: &str, organisation: Uuid, password_hash: &str) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO users (id, email, display_name, organisation_id, password_hash, active, installation_admin, created_at)
         VALUES ($1, $2, $3, $4, $5, 1, 1, $6)",
    )
    .bind(id.to_string())
    .bind(email)
    .bind(display_name)
    .bind(organisation.to_string())
    .bind(password_hash)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Marks the installation as set up by `admin`. Fails (a unique key) when another
/// first run got there first, so the caller's transaction rolls back.
pub async fn mark_set_up(conn: &mut AnyConnection, admin: Uuid) -> Result<(), AppError> {
    sqlx::query("INSERT INTO installation (id, set_up_at, set_up_by) VALUES (1, $1, $2)")
        .bind(now())
        .bind(admin.to_string())
        .execute(&mut *conn)
        .await
        .map_err(|_| AppError::Conflict("the installation is set up already"))?;
    Ok(())
}

/// An entry of the installation's own log (append-only).
pub async fn log(conn: &mut AnyConnection, user: Uuid, action: &str, detail: &str) -> Result<(), AppError> {
    sqlx::query("INSERT INTO installation_log (at, user_id, action, detail) VALUES ($1, $2, $3, $4)")
        .bind(now())
        .bind(user.to_string())
        .bind(action)
        .bind(detail)
        .execute(&mut *conn)
        .await?;
    Ok(())
}
