//! The people of a partnership in storage: their accounts, roles and devices, and the
//! single-use links (invitation, reset) by which they choose their own password.

use domain::org::Role;
use domain::people::{AccountState, Authorisation, AuthorisationDue, Invite, LinkInfo, LinkPurpose, Person, LINK_HOURS};
use domain::validation::format_timestamp_warsaw;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::error::{internal, AppError};
use crate::store::user::CurrentUser;
use crate::token::{random_token, token_hash};
use crate::now;

#[derive(sqlx::FromRow)]
struct PersonRow {
    id: String,
    email: String,
    display_name: String,
    organisation_id: String,
    organisation_name: String,
    role: String,
    active: i64,
    invited: i64,
    last_sign_in: Option<i64>,
    authorisation_number: String,
    authorisation_issued: String,
    authorisation_expires: String,
    second_factor: i64,
}

const PERSON: &str = "SELECT u.id, u.email, u.display_name, u.organisation_id, o.name AS organisation_name, r.role, u.active,
        CASE WHEN u.password_hash = '' THEN 1 ELSE 0 END AS invited, u.last_sign_in,
        u.authorisation_number, u.authorisation_issued, u.authorisation_expires,
        CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS second_factor
    FROM user_roles r JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.organisation_id
    WHERE r.partnership_id = $1";

async fn person(conn: &mut AnyConnection, row: PersonRow) -> Result<Person, AppError> {
    // A switched-off person's devices were revoked with the account and may still hold
    // changes not sent: they stay listed, with when each last synced.
    let devices: Vec<i64> = sqlx::query_scalar("SELECT last_seen FROM devices WHERE user_id = $1 AND (revoked_at IS NULL OR $2 = 0) ORDER BY last_seen DESC")
        .bind(&row.id)
        .bind(row.active)
        .fetch_all(&mut *conn)
        .await?;
    let state = match (row.active, row.invited) {
        (0, _) => AccountState::Inactive,
        (_, 1) => AccountState::Invited,
        _ => AccountState::Active,
    };
    Ok(Person {
        user_id: Uuid::parse_str(&row.id).map_err(internal)?,
        email: row.email,
        display_name: row.display_name,
        organisation_id: Uuid::parse_str(&row.organisation_id).map_err(internal)?,
        organisation_name: row.organisation_name,
        role: Role::parse(&row.role).ok_or_else(|| AppError::Internal(format!("unknown role {}", row.role)))?,
        state,
        last_seen: row.last_sign_in.map(format_timestamp_warsaw).unwrap_or_default(),
        authorisation: Authorisation { number: row.authorisation_number, issued: row.authorisation_issued, expires: row.authorisation_expires },
        devices: devices.into_iter().map(format_timestamp_warsaw).collect(),
        second_factor: row.second_factor != 0,
    })
}

/// Everyone with a role in the partnership, by name.
pub(crate) async fn of_partnership(conn: &mut AnyConnection, partnership: Uuid) -> Result<Vec<Person>, AppError> {
    let rows: Vec<PersonRow> = sqlx::query_as(&format!("{PERSON} ORDER BY u.display_name, u.email")).bind(partnership.to_string()).fetch_all(&mut *conn).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        out.push(person(conn, row).await?);
    }
    Ok(out)
}

/// One person of the partnership; not found unless they have a role in it.
pub(crate) async fn one(conn: &mut AnyConnection, partnership: Uuid, user: Uuid) -> Result<Person, AppError> {
    let row: PersonRow = sqlx::query_as(&format!("{PERSON} AND u.id = $2"))
        .bind(partnership.to_string())
        .bind(user.to_string())
        .fetch_optional(&mut *conn)
        .await?
        .ok_or(AppError::NotFound)?;
    person(conn, row).await
}

/// Records the person's authorisation to process personal data.
pub(crate) async fn set_authorisation(conn: &mut AnyConnection, user: Uuid, a: &Authorisation) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET authorisation_number = $1, authorisation_issued = $2, authorisation_expires = $3 WHERE id = $4")
        .bind(&a.number)
        .bind(&a.issued)
        .bind(&a.expires)
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The people of the partnership whose authorisation has lapsed or ends within the
/// notice period, soonest first: what the dashboard lists.
pub(crate) async fn authorisations_due(conn: &mut AnyConnection, partnership: Uuid, today: time::Date) -> Result<Vec<AuthorisationDue>, AppError> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.authorisation_number, u.authorisation_issued, u.authorisation_expires
         FROM user_roles r JOIN users u ON u.id = r.user_id
         WHERE r.partnership_id = $1 AND u.active = 1 AND u.authorisation_expires <> ''",
    )
    .bind(partnership.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut due = Vec::new();
    for (id, name, number, issued, expires) in rows {
        let a = Authorisation { number, issued, expires };
        if a.lapsed(today) || a.ending_soon(today) {
            due.push(AuthorisationDue { user_id: Uuid::parse_str(&id).map_err(internal)?, name, lapsed: a.lapsed(today), number: a.number, expires: a.expires });
        }
    }
    due.sort_by(|a, b| a.expires.cmp(&b.expires));
    Ok(due)
}

/// The account with this e-mail, if any.
pub(crate) async fn by_email(conn: &mut AnyConnection, email: &str) -> Result<Option<Uuid>, AppError> {
    let id: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_optional(&mut *conn).await?;
    id.map(|i| Uuid::parse_str(&i).map_err(internal)).transpose()
}

/// Whether an account administers the installation (it then holds no role in any
/// partnership, so it reads no client) and whether it still waits for its first
/// password.
pub(crate) async fn account_kind(conn: &mut AnyConnection, user: Uuid) -> Result<(bool, bool), AppError> {
    let (admin, waiting): (i64, i64) =
        sqlx::query_as("SELECT installation_admin, CASE WHEN password_hash = '' THEN 1 ELSE 0 END FROM users WHERE id = $1").bind(user.to_string()).fetch_one(&mut *conn).await?;
    Ok((admin != 0, waiting != 0))
}

/// Refuses an installation administrator's account as a member of a partnership.
pub(crate) async fn not_an_administrator(conn: &mut AnyConnection, user: Uuid, lang: domain::Lang, field: &str) -> Result<(), AppError> {
    if account_kind(conn, user).await?.0 {
        return Err(AppError::field(
            lang,
            field,
            "administrator",
            lang.pick("To konto administratora instalacji: administrator nie pracuje w partnerstwie i nie widzi klientów. Podaj inny adres.", "This is an installation administrator's account: an administrator does not work in a partnership nor see clients. Give another address.").into(),
        ));
    }
    Ok(())
}

/// A new account that waits for its first password (an empty hash matches none).
pub(crate) async fn create_invited(conn: &mut AnyConnection, invite: &Invite) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    sqlx::query("INSERT INTO users (id, email, display_name, organisation_id, password_hash, active, created_at) VALUES ($1, $2, $3, $4, '', 1, $5)")
        .bind(id.to_string())
        .bind(&invite.email)
        .bind(&invite.display_name)
        .bind(invite.organisation_id.to_string())
        .bind(now())
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// Gives (or changes) the person's role in the partnership.
pub(crate) async fn set_role(conn: &mut AnyConnection, partnership: Uuid, user: Uuid, role: Role) -> Result<(), AppError> {
    let changed = sqlx::query("UPDATE user_roles SET role = $1 WHERE user_id = $2 AND partnership_id = $3")
        .bind(role.as_str())
        .bind(user.to_string())
        .bind(partnership.to_string())
        .execute(&mut *conn)
        .await?;
    if changed.rows_affected() == 0 {
        sqlx::query("INSERT INTO user_roles (user_id, partnership_id, role) VALUES ($1, $2, $3)")
            .bind(user.to_string())
            .bind(partnership.to_string())
            .bind(role.as_str())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Switches an account off or on. Off ends every session at once and revokes every
/// device, so what a device pushes after a reactivation is held for a coordinator.
pub(crate) async fn set_active(conn: &mut AnyConnection, by: &CurrentUser, user: Uuid, active: bool) -> Result<(), AppError> {
    sqlx::query("UPDATE users SET active = $1 WHERE id = $2").bind(i64::from(active)).bind(user.to_string()).execute(&mut *conn).await?;
    if !active {
        end_sessions(conn, user).await?;
        sqlx::query("UPDATE devices SET revoked_at = $1, revoked_by = $2 WHERE user_id = $3 AND revoked_at IS NULL")
            .bind(now())
            .bind(by.id.to_string())
            .bind(user.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// A new single-use link for `user`; earlier unused links of theirs stop working. Returns
/// the token (shown once) and when it expires.
pub(crate) async fn new_link(conn: &mut AnyConnection, by: Uuid, user: Uuid, purpose: LinkPurpose) -> Result<(String, i64), AppError> {
    sqlx::query("UPDATE account_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL").bind(now()).bind(user.to_string()).execute(&mut *conn).await?;
    new_link_keeping_others(conn, by, user, purpose).await
}

/// A new single-use link that leaves the person's other unused links working (what a
/// forgotten-password request makes: anyone who knows the address may ask).
pub(crate) async fn new_link_keeping_others(conn: &mut AnyConnection, by: Uuid, user: Uuid, purpose: LinkPurpose) -> Result<(String, i64), AppError> {
    let t = now();
    let token = random_token();
    let expires = t + LINK_HOURS * 3600;
    sqlx::query("INSERT INTO account_links (token_hash, user_id, purpose, created_by, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(token_hash(&token))
        .bind(user.to_string())
        .bind(purpose.as_str())
        .bind(by.to_string())
        .bind(t)
        .bind(expires)
        .execute(&mut *conn)
        .await?;
    Ok((token, expires))
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    user_id: String,
    purpose: String,
    email: String,
    display_name: String,
}

/// The live link of this token: unused, unexpired, its account active. Anything else
/// is not found, whatever the reason, so a token reveals nothing.
pub(crate) async fn live_link(conn: &mut AnyConnection, token: &str) -> Result<(Uuid, LinkInfo), AppError> {
    let row: LinkRow = sqlx::query_as(
        "SELECT l.user_id, l.purpose, u.email, u.display_name FROM account_links l JOIN users u ON u.id = l.user_id
         WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND u.active = 1",
    )
    .bind(token_hash(token))
    .bind(now())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(AppError::NotFound)?;
    let purpose = LinkPurpose::parse(&row.purpose).ok_or_else(|| AppError::Internal(format!("unknown link purpose {}", row.purpose)))?;
    Ok((Uuid::parse_str(&row.user_id).map_err(internal)?, LinkInfo { purpose, email: row.email, display_name: row.display_name }))
}

/// Whether the person was sent a link lately: a forgotten-password request for them
/// then sends no other, so nobody can flood someone's mailbox.
pub(crate) async fn link_sent_since(conn: &mut AnyConnection, user: Uuid, since: i64) -> Result<bool, AppError> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_links WHERE user_id = $1 AND created_at > $2").bind(user.to_string()).bind(since).fetch_one(&mut *conn).await?;
    Ok(n > 0)
}

/// Uses the link once: the new password is set and every session of the account ends.
/// False when someone used it first.
pub(crate) async fn use_link(conn: &mut AnyConnection, token: &str, user: Uuid, hash: &str) -> Result<bool, AppError> {
    let used = sqlx::query("UPDATE account_links SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL").bind(now()).bind(token_hash(token)).execute(&mut *conn).await?;
    if used.rows_affected() == 0 {
        return Ok(false);
    }
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2").bind(hash).bind(user.to_string()).execute(&mut *conn).await?;
    // The password is chosen: any other link still out for it stops working.
    sqlx::query("UPDATE account_links SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL").bind(now()).bind(user.to_string()).execute(&mut *conn).await?;
    end_sessions(conn, user).await?;
    Ok(true)
}

/// Ends every session of the account (a reset started by a coordinator).
pub(crate) async fn end_sessions(conn: &mut AnyConnection, user: Uuid) -> Result<(), AppError> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.to_string()).execute(&mut *conn).await?;
    Ok(())
}

/// The partnerships where the person has a role but `by` does not steer: a person who
/// works elsewhere too is switched off only by someone who steers all of them.
pub(crate) async fn elsewhere(conn: &mut AnyConnection, by: &CurrentUser, user: Uuid) -> Result<bool, AppError> {
    let theirs = crate::store::user::partnerships_of(conn, user).await?;
    Ok(theirs.iter().any(|p| !by.role_in(*p).is_ok_and(Role::steers)))
}
