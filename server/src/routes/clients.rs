//! The client registry: list and search, register, read and edit, scoped to the
//! user's partnerships.


use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use domain::api::{ClientPage, ClientRecord, ClientSummary, Problem, SEARCH_COUNT_CAP};
use domain::client::{ClientInput, ClientKind, WorkForm};
use serde::Deserialize;
use sqlx::Acquire;
use uuid::Uuid;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::store::history::*;
use domain::sync::Version;
use crate::store::audit::{self, Action};
use crate::store::history::Origin;
use crate::extract::{CurrentUser, Opening};
use crate::db::{one_of, Engine, FEW};
use crate::error::{internal, ApiJson, ApiResult, AppError};
use crate::extract::RequestLang;
use crate::AppState;

use crate::store::client::*;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Three letters or more: a substring of surname, first names, name, PESEL or town;
    /// one or two: the start of the surname (or name).
    #[serde(default)]
    pub q: String,
    /// Only this partnership (empty: all of the user's).
    #[serde(default)]
    pub partnership_id: String,
    /// Only clients the user leads as key consultant.
    #[serde(default)]
    pub mine: bool,
    /// `active` or `closed` (empty: both).
    #[serde(default)]
    pub status: String,
    /// The page after this client (the previous page's `next`); empty: the first page.
    #[serde(default)]
    pub after: String,
    #[serde(default)]
    pub limit: Option<i64>,
}

fn like_pattern(folded: &str) -> String {
    let escaped = folded.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// Where the list reads from and the filter a search adds, with its bound values.
/// Text is folded as the stored search text is (composed, lower-cased).
///
/// Three letters or more find a substring of surname, first names, name, PESEL or
/// town. On SQLite the trigram index answers (one FTS5 phrase: a literal substring),
/// and its matches are counted, filtered and sorted in `client_search_order` (named `c`
/// here: the partnership as a number, the status and the Polish sort key, about 40
/// bytes a row, so a region's matches are looked up in a table the page cache holds)
/// before the page's clients are read through `client_search_keys`. On PostgreSQL
/// `pg_trgm` serves `LIKE` on `client_search_order`, a narrow copy of what a search
/// filters and sorts by (migration 0024). A search in a small part of the database —
/// the user's own clients (`mine`), or fewer than a quarter of its partnerships —
/// tests that part's clients instead, read through the consultant's or the
/// partnership's index: the trigram index hands over every match of the whole
/// database (a region's 5,556 "kowal") to keep the few in scope.
///
/// One or two letters, which no trigram index serves and which occur inside thousands
/// of names, find the clients whose surname (or organisation's name) starts with them:
/// a range of the Polish sort key, read from the list's own index.
struct Search {
    source: Source,
    filter: String,
    values: Vec<String>,
}

#[derive(Clone, Copy)]
enum Source {
    /// `clients` itself, in `(sort_key, id)` order.
    Clients,
    /// The SQLite trigram index and its narrow order table, in `(sort_key, rowid)` order.
    Trigrams,
    /// PostgreSQL's narrow order table with its `pg_trgm` index, in `(sort_key, id)` order.
    Narrow,
}

impl Source {
    fn from(self) -> &'static str {
        match self {
            Source::Clients => "clients c",
            Source::Trigrams => "clients_search JOIN client_search_order c ON c.rowid = clients_search.rowid",
            Source::Narrow => "client_search_order c",
        }
    }

    /// The filter to the partnerships of the subquery `list` (`db::one_of`).
    fn scope(self, list: &str) -> String {
        match self {
            Source::Clients | Source::Narrow => format!("c.partnership_id IN {list}"),
            Source::Trigrams => format!("c.partnership IN (SELECT number FROM partnership_numbers WHERE partnership_id IN {list})"),
        }
    }

    /// What breaks ties of the sort key.
    fn tie(self) -> &'static str {
        match self {
            Source::Clients | Source::Narrow => "c.id",
            Source::Trigrams => "c.rowid",
        }
    }

    /// The bound value `$n` as the tie compares with it (the cursor's tie is text).
    fn tie_value(self, n: usize) -> String {
        match self {
            Source::Clients | Source::Narrow => format!("${n}"),
            Source::Trigrams => format!("CAST(${n} AS INTEGER)"),
        }
    }

    /// The cursor client's place in the order: its sort key and tie, as text.
    fn cursor(self) -> &'static str {
        match self {
            Source::Clients => "SELECT c.sort_key, c.id FROM clients c WHERE c.id = $1",
            Source::Narrow => "SELECT c.sort_key, c.id FROM client_search_order c WHERE c.id = $1",
            Source::Trigrams => {
                "SELECT o.sort_key, CAST(o.rowid AS TEXT) FROM client_search_keys k
                 JOIN client_search_order o ON o.rowid = k.rowid JOIN clients c ON c.id = k.id WHERE k.id = $1"
            }
        }
    }

    /// How a page's ties reach the clients' rows.
    fn rows(self) -> &'static str {
        match self {
            Source::Clients | Source::Narrow => "clients c ON c.id = page.tie",
            Source::Trigrams => "client_search_keys k ON k.rowid = page.tie JOIN clients c ON c.id = k.id",
        }
    }
}

fn search(engine: Engine, q: &str, small_scope: bool, n: usize) -> Search {
    let folded = domain::text::fold(q);
    // A disposed client's search text is empty, so only the plain list needs telling.
    let plain = |filter: String, values: Vec<String>| Search { source: Source::Clients, filter: format!(" AND c.disposed_at IS NULL{filter}"), values };
    match folded.chars().count() {
        0 => plain(String::new(), Vec::new()),
        1 | 2 => {
            // Keys are two digits a letter, so every key that starts with the prefix's
            // sorts before the prefix followed by '~'.
            let key = domain::collation::sort_key(&folded);
            plain(format!(" AND c.sort_key >= ${n} AND c.sort_key < ${}", n + 1), vec![key.clone(), format!("{key}~")])
        }
        _ if engine == Engine::Sqlite && !small_scope => {
            let phrase = format!("\"{}\"", folded.replace('"', "\"\""));
            Search { source: Source::Trigrams, filter: format!(" AND clients_search MATCH ${n}"), values: vec![phrase] }
        }
        _ => {
            let like = format!(" AND c.search_text LIKE ${n} ESCAPE '\\'");
            let values = vec![like_pattern(&folded)];
            if small_scope { plain(like, values) } else { Search { source: Source::Narrow, filter: like, values } }
        }
    }
}

/// One line of the client list as stored; a value that does not decode is an error,
/// never a silently shorter list.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: String,
    partnership_id: String,
    kind: String,
    display_name: String,
    pesel: Option<String>,
    birth_date: String,
    city: String,
    work_form: String,
    key_consultant_id: Option<String>,
    key_consultant_name: Option<String>,
    status: String,
}

impl SummaryRow {
    fn summary(self) -> Result<ClientSummary, AppError> {
        let unknown = |what: &str, v: &str| AppError::Internal(format!("unknown {what} {v} in the client table"));
        Ok(ClientSummary {
            id: Uuid::parse_str(&self.id).map_err(internal)?,
            partnership_id: Uuid::parse_str(&self.partnership_id).map_err(internal)?,
            kind: ClientKind::parse(&self.kind).ok_or_else(|| unknown("kind", &self.kind))?,
            display_name: self.display_name,
            pesel: self.pesel.unwrap_or_default(),
            birth_date: self.birth_date,
            city: self.city,
            work_form: WorkForm::parse(&self.work_form).ok_or_else(|| unknown("work form", &self.work_form))?,
            key_consultant_id: self.key_consultant_id.as_deref().map(Uuid::parse_str).transpose().map_err(internal)?,
            key_consultant_name: self.key_consultant_name.unwrap_or_default(),
            status: self.status,
        })
    }
}

#[utoipa::path(get, path = "/api/v1/clients", tag = "clients", params(ListQuery),
    responses((status = 200, body = ClientPage), (status = 401, body = Problem)))]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ListQuery>,
) -> ApiResult<ClientPage> {
    let scope: Vec<Uuid> = match query.partnership_id.trim() {
        "" => user.partnership_ids(),
        p => {
            let id = Uuid::parse_str(p).map_err(|_| AppError::BadRequest("partnership_id is not a UUID".into()))?;
            user.role_in(id)?;
            vec![id]
        }
    };
    let limit = query.limit.unwrap_or(50).clamp(1, MAX_PAGE);
    if scope.is_empty() {
        return Ok(ApiJson(ClientPage { items: Vec::new(), total: 0, total_capped: false, limit, next: None }));
    }
    let scope_ids: Vec<String> = scope.iter().map(Uuid::to_string).collect();
    let (scope_list, mut binds) = one_of(state.db.engine, 1, &scope_ids);
    let mut n = binds.len();
    // PostgreSQL reads a small part through the partnerships' index only when it knows
    // how few they are (`one_of`); past that its trigram index is the faster way.
    let small_scope = query.mine
        || (query.q.trim().chars().count() >= 3 && (state.db.engine == Engine::Sqlite || scope.len() <= FEW) && {
            let partnerships: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM partnerships").fetch_one(&state.db.pool).await?;
            i64::try_from(scope.len()).unwrap_or(i64::MAX).saturating_mul(4) < partnerships
        });
    let search = search(state.db.engine, &query.q, small_scope, n + 1);
    let source = search.source;
    let mut filter = format!("{}{}", source.scope(&scope_list), search.filter);
    n += search.values.len();
    binds.extend(search.values);
    if query.mine {
        n += 1;
        filter.push_str(&format!(" AND c.key_consultant_id = ${n}"));
        binds.push(user.id.to_string());
    }
    match query.status.as_str() {
        "" => {}
        s @ ("active" | "closed") => {
            n += 1;
            filter.push_str(&format!(" AND c.status = ${n}"));
            binds.push(s.to_string());
        }
        _ => return Err(AppError::BadRequest("status must be active or closed".into())),
    }

    // A search counts its matches up to the cap and no further: three letters over a
    // region match thousands, each one more lookup ("kowal" over 100,000 clients: 5,556,
    // 6.3 ms of SQLite counting them, 1.3 ms counting to 1,001). The plain list counts
    // exactly: its total is a caseload or a partnership's register.
    let searching = !query.q.trim().is_empty();
    let count_sql = if searching {
        format!("SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {filter} LIMIT {}) matches", source.from(), SEARCH_COUNT_CAP + 1)
    } else {
        format!("SELECT COUNT(*) FROM {} WHERE {filter}", source.from())
    };
    let mut count = sqlx::query_scalar::<_, i64>(&count_sql);
    for b in &binds {
        count = count.bind(b);
    }
    let counted = count.fetch_one(&state.db.pool).await?;
    let total_capped = searching && counted > SEARCH_COUNT_CAP;
    let total = if total_capped { SEARCH_COUNT_CAP } else { counted };

    // Keyset paging: the page starts after the cursor's place in the order, so a deep
    // page costs what the first does (OFFSET would read and drop every row before it).
    let tie = source.tie();
    let mut page_filter = filter;
    let mut page_binds = binds;
    if !query.after.trim().is_empty() {
        let cursor_id = Uuid::parse_str(query.after.trim()).map_err(|_| AppError::BadRequest("after is not a UUID".into()))?;
        let (cursor_scope, cursor_binds) = one_of(state.db.engine, 2, &scope_ids);
        let cursor_sql = format!("{} AND c.partnership_id IN {cursor_scope}", source.cursor());
        let mut cursor = sqlx::query_as::<_, (String, String)>(&cursor_sql).bind(cursor_id.to_string());
        for b in &cursor_binds {
            cursor = cursor.bind(b);
        }
        let (sort_key, tie_at) = cursor
            .fetch_optional(&state.db.pool)
            .await?
            .ok_or_else(|| AppError::BadRequest("after names no client of this list; start again from the first page".into()))?;
        let tie_value = source.tie_value(n + 2);
        page_filter.push_str(&format!(" AND (c.sort_key, {tie}) > (${}, {tie_value})", n + 1));
        page_binds.push(sort_key);
        page_binds.push(tie_at);
    }
    // The page's places in the order first, then their clients: sorting the matches
    // needs only the sort key and the tie, and only the page's clients are read whole.
    // (The count beside the page in one statement, as a window, was slower: p50 10 →
    // 13 ms for "kowal" over a region, SQLite materialising every match.)
    let page_sql = format!(
        "SELECT c.id, c.partnership_id, c.kind, c.display_name, c.pesel, c.birth_date, c.city, c.work_form,
                c.key_consultant_id, u.display_name AS key_consultant_name, c.status
         FROM (SELECT {tie} AS tie, c.sort_key FROM {from} WHERE {page_filter} ORDER BY c.sort_key, {tie} LIMIT {limit}) page
         JOIN {rows} LEFT JOIN users u ON u.id = c.key_consultant_id
         ORDER BY page.sort_key, page.tie",
        from = source.from(),
        rows = source.rows(),
        limit = limit + 1
    );
    let mut page = sqlx::query_as::<_, SummaryRow>(&page_sql);
    for b in &page_binds {
        page = page.bind(b);
    }
    let mut rows = page.fetch_all(&state.db.pool).await?;
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    let items = rows.into_iter().map(SummaryRow::summary).collect::<Result<Vec<_>, AppError>>()?;
    let next = if more { items.last().map(|c| c.id) } else { None };

    // One entry for each partnership whose clients the page shows, in one statement: a
    // list spanning a region's 500 partnerships wrote 500 entries, each synced to disk
    // on its own, for a page that shows a few of them. (Counting and reading the page
    // side by side on two connections was tried: slower, p50 13 → 20 ms.)
    let mut shown: Vec<Uuid> = items.iter().map(|c| c.partnership_id).collect();
    shown.sort_unstable();
    shown.dedup();
    if !shown.is_empty() {
        let detail = if query.q.trim().is_empty() { String::new() } else { format!("q={}", query.q.trim()) };
        let mut conn = state.db.pool.acquire().await?;
        audit::record_each(&mut conn, &user, &shown, Action::List, &detail).await?;
    }
    Ok(ApiJson(ClientPage { items, total, total_capped, limit, next }))
}

#[utoipa::path(post, path = "/api/v1/clients", tag = "clients", request_body = ClientInput,
    responses((status = 201, body = ClientRecord), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    ApiJson(input): ApiJson<ClientInput>,
) -> Result<(StatusCode, ApiJson<ClientRecord>), AppError> {
    let id = Uuid::now_v7();
    let mut conn = state.db.pool.acquire().await?;
    let mut tx = conn.begin().await?;
    create_in(&mut tx, &user, lang, id, &input, Origin::default()).await?;
    tx.commit().await?;
    let record = load(&mut conn, &user, id).await?;
    Ok((StatusCode::CREATED, ApiJson(record)))
}

#[utoipa::path(get, path = "/api/v1/clients/{id}", tag = "clients", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = ClientRecord), (status = 404, body = Problem)))]
pub async fn get(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> Result<(HeaderMap, ApiJson<ClientRecord>), AppError> {
    let mut conn = state.db.pool.acquire().await?;
    let record = load(&mut conn, &user, id).await?;
    audit::read_client(&mut conn, &user, record.data.partnership_id, id, "", opening).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = format!("\"{}\"", record.version).parse() {
        headers.insert(header::ETAG, v);
    }
    Ok((headers, ApiJson(record)))
}

/// The version a replacement was made from (`If-Match: "N"`): without it nobody's
/// edit could be told from a stale one.
pub(crate) fn if_match_version(headers: &HeaderMap) -> Result<i64, AppError> {
    let v = headers.get(header::IF_MATCH).ok_or(AppError::PreconditionRequired)?;
    v.to_str().ok().and_then(|s| s.trim().trim_matches('"').parse().ok()).ok_or_else(|| AppError::BadRequest("If-Match must be a version number".into()))
}

#[utoipa::path(put, path = "/api/v1/clients/{id}", tag = "clients", request_body = ClientInput,
    params(("id" = Uuid, Path, description = "client"), ("If-Match" = String, Header, description = "the version edited")),
    responses((status = 200, body = ClientRecord), (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem), (status = 428, body = Problem)))]
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    RequestLang(lang): RequestLang,
    Path(id): Path<Uuid>,
    headers: HeaderMap,
    ApiJson(input): ApiJson<ClientInput>,
) -> ApiResult<ClientRecord> {
    let mut conn = state.db.pool.acquire().await?;
    let expected = if_match_version(&headers)?;
    let mut tx = conn.begin().await?;
    let current = lock_and_load(&mut tx, &user, id).await?;
    if current.version != expected {
        return Err(AppError::Conflict(lang.pick("Dane klienta zmieniły się od chwili, gdy je otwarto: otwórz je ponownie.", "The client was changed since you opened it: open it again.")));
    }
    save_edit(&mut tx, &user, lang, &current, &input, Origin::default()).await?;
    tx.commit().await?;
    Ok(ApiJson(load(&mut conn, &user, id).await?))
}

const MAX_PAGE: i64 = 200;

#[utoipa::path(get, path = "/api/v1/clients/{id}/history", tag = "sync", params(("id" = Uuid, Path, description = "client")),
    responses((status = 200, body = Vec<Version>), (status = 404, body = Problem)))]
pub async fn client_history(State(state): State<AppState>, user: CurrentUser, Opening(opening): Opening, Path(id): Path<Uuid>) -> ApiResult<Vec<Version>> {
    let mut conn = state.db.pool.acquire().await?;
    let client = crate::store::client::load(&mut conn, &user, id).await?;
    let versions = versions(&mut conn, id).await?;
    audit::read_client(&mut conn, &user, client.data.partnership_id, id, "history", opening).await?;
    Ok(ApiJson(versions))
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(client_history))
}
