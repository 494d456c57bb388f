//! Client records in storage: register, load (scoped to the user's partnerships),
//! lock and save an edit with its version. Validation is the domain's `ClientInput::validate`, the same
//! function the browser ran; nothing the browser says is trusted.

use domain::api::{ClientRecord, Restriction};
use domain::caseload::{self, CaseloadError};
use domain::client::{ClientInput, ValidClient};
use domain::docs::DocType;
use domain::validation::format_timestamp_warsaw;
use domain::Lang;
use sqlx::AnyConnection;
use uuid::Uuid;

use crate::store::audit::{self, Action};
use crate::store::history::{self, NewVersion, Origin};
use crate::store::user::CurrentUser;
use crate::error::AppError;
use crate::store::partnership::ACTIVE_CASELOAD_SQL;
use crate::{now, today};

/// Checks the key consultant of a client: someone who leads clients in that
/// partnership and, unless a coordinator overrides it, has room under the limit.
/// Returns the override reason to keep.
pub(crate) async fn check_consultant(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    lang: Lang,
    client: &ClientInput,
) -> Result<Option<String>, AppError> {
    let Some(kc) = client.key_consultant_id else { return Ok(None) };
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM user_roles WHERE user_id = $1 AND partnership_id = $2")
        .bind(kc.to_string())
        .bind(client.partnership_id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    if !role.and_then(|r| domain::org::Role::parse(&r)).is_some_and(domain::org::Role::leads_clients) {
        return Err(AppError::field(lang, "key_consultant_id", "not_a_consultant", lang.pick("Wybrana osoba nie jest konsultantem w tym partnerstwie.".into(), "The chosen person is not a consultant in this partnership.".into())));
    }
    // Taking the consultant's row lock first serialises concurrent assignments to the
    // same person on both engines, so two devices cannot both add the 15th client.
    sqlx::query("UPDATE users SET active = active WHERE id = $1").bind(kc.to_string()).execute(&mut *conn).await?;
    let current: i64 = sqlx::query_scalar(ACTIVE_CASELOAD_SQL).bind(kc.to_string()).fetch_one(&mut *conn).await?;
    let steers = user.role_in(client.partnership_id)?.steers();
    let reason = client.caseload_override_reason.as_str();
    caseload::admit(current, Some(reason), steers).map_err(|e: CaseloadError| {
        AppError::field(lang, "key_consultant_id", e.code(), e.message(lang))
    })
}

pub(crate) fn validate(input: &ClientInput, user: &CurrentUser, lang: Lang) -> Result<ValidClient, AppError> {
    input.clone().with_informer(&user.display_name).validate(lang, today()).map_err(AppError::fields(lang))
}

pub(crate) fn duplicate_pesel(e: sqlx::Error, lang: Lang) -> AppError {
    match &e {
        sqlx::Error::Database(d) if d.is_unique_violation() => AppError::field(lang, "pesel", "duplicate", lang.pick("Klient z tym numerem PESEL jest już zarejestrowany w tym partnerstwie.".into(), "A client with this PESEL is already registered in this partnership.".into())),
        _ => AppError::Database(e),
    }
}

/// Registers a client under `id` inside the caller's transaction; the POST endpoint
/// and sync (with the id the device made) both use it.
pub(crate) async fn create_in(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    lang: Lang,
    id: Uuid,
    input: &ClientInput,
    origin: Origin,
) -> Result<(), AppError> {
    user.role_in(input.partnership_id)?;
    let valid = validate(input, user, lang)?;
    let c = valid.get();
    let override_reason = check_consultant(conn, user, lang, c).await?;
    insert(conn, id, &valid, override_reason.as_deref(), user.id, now(), origin).await.map_err(|e| duplicate_pesel(e, lang))?;
    let detail = if override_reason.is_some() { "caseload override" } else { "" };
    audit::record(conn, user, c.partnership_id, Some(id), Action::Create, detail).await?;
    Ok(())
}

/// Stores a validated client; `override_reason` is kept with who decided it.
pub async fn insert(
    conn: &mut AnyConnection,
    id: Uuid,
    valid: &ValidClient,
    override_reason: Option<&str>,
    by: Uuid,
    at: i64,
    origin: Origin,
) -> Result<(), sqlx::Error> {
    let c = valid.get();
    let mut stored = c.clone();
    stored.caseload_override_reason = override_reason.unwrap_or_default().to_string();
    let data = serde_json::to_string(&stored).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "INSERT INTO clients (id, partnership_id, kind, work_form, status, key_consultant_id, display_name, pesel, birth_date,
            city, sort_key, search_text, data, override_by, override_at, version, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 1, $15, $16, $15, $16)",
    )
    .bind(id.to_string())
    .bind(c.partnership_id.to_string())
    .bind(c.kind.as_str())
    .bind(c.work_form.as_str())
    .bind(c.key_consultant_id.map(|k| k.to_string()))
    .bind(valid.display_name())
    .bind(Some(c.pesel.clone()).filter(|p| !p.is_empty()))
    .bind(&c.birth_date)
    .bind(&c.city)
    .bind(valid.sort_key())
    .bind(valid.search_text())
    .bind(&data)
    .bind(override_reason.map(|_| by.to_string()))
    .bind(override_reason.map(|_| at))
    .bind(by.to_string())
    .bind(at)
    .execute(&mut *conn)
    .await?;
    let version = NewVersion { doc_id: id, revision: 1, doc_type: DocType::Client, partnership: c.partnership_id, data: &data, changed: &[], by, origin, at };
    history::record(conn, version).await
}

#[derive(sqlx::FromRow)]
struct RecordRow {
    partnership_id: String,
    status: String,
    data: String,
    version: i64,
    created_at: i64,
    updated_at: i64,
    kc_name: Option<String>,
    override_by: Option<String>,
    override_at: Option<i64>,
    restricted_at: Option<i64>,
    restricted_by: Option<String>,
    restriction_reason: String,
}

/// A client of one of the user's partnerships; `NotFound` for any other.
pub(crate) async fn load(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<ClientRecord, AppError> {
    let row: Option<RecordRow> = sqlx::query_as(
        "SELECT c.partnership_id, c.status, c.data, c.version, c.created_at, c.updated_at, k.display_name AS kc_name,
                o.display_name AS override_by, c.override_at, c.restricted_at, r.display_name AS restricted_by, c.restriction_reason
         FROM clients c LEFT JOIN users k ON k.id = c.key_consultant_id LEFT JOIN users o ON o.id = c.override_by
              LEFT JOIN users r ON r.id = c.restricted_by
         WHERE c.id = $1 AND c.disposed_at IS NULL",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let RecordRow {
        partnership_id: partnership,
        status,
        data,
        version,
        created_at,
        updated_at,
        kc_name,
        override_by,
        override_at,
        restricted_at,
        restricted_by,
        restriction_reason,
    } = row.ok_or(AppError::NotFound)?;
    let partnership = Uuid::parse_str(&partnership).map_err(|e| AppError::Internal(e.to_string()))?;
    user.role_in(partnership)?;
    let data: ClientInput = serde_json::from_str(&data).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(ClientRecord {
        id,
        status,
        key_consultant_name: kc_name.unwrap_or_default(),
        caseload_override_by: match (override_by, override_at) {
            (Some(who), Some(at)) => format!("{who}, {}", format_timestamp_warsaw(at)),
            _ => String::new(),
        },
        created_at: format_timestamp_warsaw(created_at),
        updated_at: format_timestamp_warsaw(updated_at),
        version,
        data,
        restriction: restricted_at.map(|at| Restriction { since: format_timestamp_warsaw(at), by: restricted_by.unwrap_or_default(), reason: restriction_reason }),
    })
}

/// Refuses a write to a client whose processing is restricted (GDPR art. 18).
pub(crate) fn writable(record: &ClientRecord, lang: Lang) -> Result<(), AppError> {
    match &record.restriction {
        Some(r) => Err(AppError::Restricted { lang, reason: r.reason.clone() }),
        None => Ok(()),
    }
}

/// The reason client `id`'s processing is restricted, if it is.
pub(crate) async fn restriction_of(conn: &mut AnyConnection, id: Uuid) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT restriction_reason FROM clients WHERE id = $1 AND restricted_at IS NOT NULL")
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await?)
}

/// Restricts client `id`'s processing for `reason`, or lifts the restriction (`None`).
pub(crate) async fn set_restriction(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid, reason: Option<&str>) -> Result<(), AppError> {
    let at = reason.map(|_| now());
    sqlx::query("UPDATE clients SET restricted_at = $1, restricted_by = $2, restriction_reason = $3 WHERE id = $4")
        .bind(at)
        .bind(reason.map(|_| user.id.to_string()))
        .bind(reason.unwrap_or_default())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Loads a client for writing: its row is locked first, so concurrent writers to one
/// client (two devices syncing, two server processes) queue instead of racing.
pub(crate) async fn lock_and_load(conn: &mut AnyConnection, user: &CurrentUser, id: Uuid) -> Result<ClientRecord, AppError> {
    sqlx::query("UPDATE clients SET version = version WHERE id = $1").bind(id.to_string()).execute(&mut *conn).await?;
    load(conn, user, id).await
}

/// Stores an edit of `current` as its next version and returns that version.
/// Runs inside the caller's transaction; the PUT endpoint and sync both use it.
pub(crate) async fn save_edit(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    lang: Lang,
    current: &ClientRecord,
    input: &ClientInput,
    origin: Origin,
) -> Result<i64, AppError> {
    let id = current.id;
    writable(current, lang)?;
    if input.partnership_id != current.data.partnership_id {
        return Err(AppError::field(lang, "partnership_id", "immutable", lang.pick("Klienta nie można przenieść do innego partnerstwa.".into(), "A client cannot be moved to another partnership.".into())));
    }
    let valid = validate(input, user, lang)?;
    let c = valid.get();
    let t = now();
    let reassigned = c.key_consultant_id != current.data.key_consultant_id;
    let mut stored = c.clone();
    let mut override_by = None;
    if reassigned {
        let reason = check_consultant(conn, user, lang, c).await?;
        stored.caseload_override_reason = reason.clone().unwrap_or_default();
        override_by = reason.map(|_| user.id.to_string());
    } else {
        // The override stays as it was decided; an edit cannot rewrite its reason.
        stored.caseload_override_reason = current.data.caseload_override_reason.clone();
    }
    let data = serde_json::to_string(&stored).map_err(|e| AppError::Internal(e.to_string()))?;
    let done = sqlx::query(
        "UPDATE clients SET kind = $1, work_form = $2, key_consultant_id = $3, display_name = $4, pesel = $5, birth_date = $6,
            city = $7, sort_key = $8, search_text = $9, data = $10, version = version + 1, updated_by = $11, updated_at = $12,
            override_by = CASE WHEN $13 = 1 THEN $14 ELSE override_by END,
            override_at = CASE WHEN $13 = 1 THEN $15 ELSE override_at END
         WHERE id = $16 AND version = $17",
    )
    .bind(c.kind.as_str())
    .bind(c.work_form.as_str())
    .bind(c.key_consultant_id.map(|k| k.to_string()))
    .bind(valid.display_name())
    .bind(Some(c.pesel.clone()).filter(|p| !p.is_empty()))
    .bind(&c.birth_date)
    .bind(&c.city)
    .bind(valid.sort_key())
    .bind(valid.search_text())
    .bind(&data)
    .bind(user.id.to_string())
    .bind(t)
    .bind(i64::from(reassigned))
    .bind(override_by.clone())
    .bind(override_by.as_ref().map(|_| t))
    .bind(id.to_string())
    .bind(current.version)
    .execute(&mut *conn)
    .await
    .map_err(|e| duplicate_pesel(e, lang))?;
    if done.rows_affected() == 0 {
        return Err(AppError::Conflict(lang.pick("Dane klienta zmieniły się od chwili, gdy je otwarto: otwórz je ponownie.", "The client was changed since you opened it: open it again.")));
    }
    let before = serde_json::to_value(&current.data).map_err(|e| AppError::Internal(e.to_string()))?;
    let after = serde_json::to_value(&stored).map_err(|e| AppError::Internal(e.to_string()))?;
    let changed: Vec<String> = domain::merge::diff(&before, &after).iter().map(|ch| domain::merge::pointer(&ch.path)).collect();
    let revision = current.version + 1;
    let version = NewVersion { doc_id: id, revision, doc_type: DocType::Client, partnership: c.partnership_id, data: &data, changed: &changed, by: user.id, origin, at: t };
    history::record(conn, version).await?;
    audit::record(conn, user, c.partnership_id, Some(id), Action::Update, &changed.join(" ")).await?;
    Ok(revision)
}
