//! The signed-in person as every scoped query sees them: their partnerships and
//! roles. Loaded from the session by `auth::session::authenticate`.

use domain::api::{Me, Membership};
use domain::org::Role;
use uuid::Uuid;

use crate::token::random_token;
use crate::error::AppError;

/// The signed-in user of a request, with the partnerships they may see.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub display_name: String,
    pub organisation_id: Uuid,
    pub organisation_name: String,
    pub memberships: Vec<Membership>,
    /// Registers organisations and creates partnerships; reads no client.
    pub installation_admin: bool,
    pub csrf_token: String,
    pub token_hash: String,
}

impl CurrentUser {
    /// The user's role in a partnership; `NotFound` when they have none, so that a
    /// foreign partnership's data is indistinguishable from missing data.
    /// A data protection officer has no role here: they see no client, document or
    /// partnership paper, only the access log ([`CurrentUser::read_log`]).
    pub fn role_in(&self, partnership: Uuid) -> Result<Role, AppError> {
        self.memberships.iter().find(|m| m.partnership_id == partnership && m.role.reads_clients()).map(|m| m.role).ok_or(AppError::NotFound)
    }

    /// Passes when the user may read the partnership's access log: they steer it, or
    /// are its data protection officer.
    pub fn read_log(&self, partnership: Uuid) -> Result<(), AppError> {
        match self.memberships.iter().find(|m| m.partnership_id == partnership) {
            Some(m) if m.role.reads_access_log() => Ok(()),
            Some(_) => Err(AppError::Forbidden("only coordinators and the data protection officer read the access log")),
            None => Err(AppError::NotFound),
        }
    }

    /// Passes when the user steers the partnership (coordinator, administrator);
    /// refused with `why` when they only work in it, not found when they have no role.
    pub fn steer(&self, partnership: Uuid, why: &'static str) -> Result<(), AppError> {
        if self.role_in(partnership)?.steers() {
            Ok(())
        } else {
            Err(AppError::Forbidden(why))
        }
    }

    /// Passes when the user administers the installation (organisations, partnerships).
    pub fn administer(&self) -> Result<(), AppError> {
        if self.installation_admin {
            Ok(())
        } else {
            Err(AppError::Forbidden("only installation administrators register organisations and create partnerships"))
        }
    }

    /// The partnerships whose clients the user sees.
    pub fn partnership_ids(&self) -> Vec<Uuid> {
        self.memberships.iter().filter(|m| m.role.reads_clients()).map(|m| m.partnership_id).collect()
    }

    /// The signed-in user as the API shows them, with the secret that unlocks their
    /// drafts on a device (made on first use).
    pub async fn me_with_device_key(&self, state: &crate::AppState) -> Result<Me, sqlx::Error> {
        sqlx::query("UPDATE users SET device_key = $1 WHERE id = $2 AND device_key IS NULL")
            .bind(random_token())
            .bind(self.id.to_string())
            .execute(&state.db.pool)
            .await?;
        let key: String =
            sqlx::query_scalar("SELECT device_key FROM users WHERE id = $1").bind(self.id.to_string()).fetch_one(&state.db.pool).await?;
        let mut me = Me { device_key: key, draft_lock_minutes: state.config.draft_lock_minutes, ..self.me() };
        // Documents are checked against their partnership's members and services, on
        // the device as on the server, so the device needs them for offline work.
        let mut conn = state.db.pool.acquire().await?;
        let ids: Vec<Uuid> = me.memberships.iter().map(|m| m.partnership_id).collect();
        let mut contexts =
            crate::store::partnership::contexts(&mut conn, state.db.engine, &ids).await.map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        for m in &mut me.memberships {
            (m.partners, m.custom_services) = contexts.remove(&m.partnership_id).unwrap_or_default();
        }
        Ok(me)
    }

    pub fn me(&self) -> Me {
        Me {
            user_id: self.id,
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            organisation_id: Some(self.organisation_id),
            organisation_name: self.organisation_name.clone(),
            memberships: self.memberships.clone(),
            installation_admin: self.installation_admin,
            csrf_token: self.csrf_token.clone(),
            device_key: String::new(),
            draft_lock_minutes: 0,
            recovery_codes: Vec::new(),
        }
    }
}

/// The partnerships a person belongs to (any role).
pub(crate) async fn partnerships_of(conn: &mut sqlx::AnyConnection, user: Uuid) -> Result<Vec<Uuid>, AppError> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT partnership_id FROM user_roles WHERE user_id = $1").bind(user.to_string()).fetch_all(&mut *conn).await?;
    ids.iter().map(|p| Uuid::parse_str(p).map_err(crate::error::internal)).collect()
}
