//! One code base, two databases. Queries go through sqlx's `Any` driver with `$N`
//! placeholders, which both SQLite and PostgreSQL accept; identifiers are UUID text
//! and times Unix seconds so no engine-specific type crosses the driver. Each engine
//! keeps its own migrations because their DDL differs (identity columns, triggers).

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, ConnectOptions, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The page cache of each SQLite connection: 256 KiB (negative: KiB, not pages).
const SQLITE_CACHE: &str = "PRAGMA cache_size = -256";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Clone)]
pub struct Db {
    pub pool: AnyPool,
    pub engine: Engine,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite:// or postgres://, got {0:?}")]
    UnknownEngine(String),
    #[error("cannot create the data directory {path}: {source}")]
    DataDir { path: String, source: std::io::Error },
    #[error("cannot open the database {url}: {source}")]
    Open { url: String, source: sqlx::Error },
    #[error("the database was migrated by a newer Ścieżka (migration {version} is unknown to this binary); upgrade the binary or restore a backup")]
    NewerThanBinary { version: i64 },
    #[error("migrating the database failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

/// Hides the password in a database URL for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

impl Db {
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let engine = if url.starts_with("sqlite:") {
            Engine::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Engine::Postgres
        } else {
            return Err(DbError::UnknownEngine(url.to_string()));
        };
        let mut url = url.to_string();
        if engine == Engine::Sqlite {
            let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
            let path = path.split('?').next().unwrap_or("").to_string();
            if path != ":memory:" {
                if let Some(dir) = std::path::Path::new(&path).parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir).map_err(|source| DbError::DataDir { path: dir.display().to_string(), source })?;
                }
            }
            if !url.contains("mode=") {
                url.push_str(if url.contains('?') { "&mode=rwc" } else { "?mode=rwc" });
            }
        }
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|source| DbError::Open { url: redact(&url), source })?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(if engine == Engine::Sqlite { 8 } else { 16 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if engine == Engine::Sqlite {
                        // Field work is written once and must survive a power cut: WAL for
                        // concurrent readers, FULL sync for durability, enforced foreign keys.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                        // Deleted rows are overwritten with zeros, not left in free pages:
                        // erased personal data does not linger.
                        conn.execute("PRAGMA secure_delete = ON").await?;
                        // Each of the pool's connections keeps its own page cache, which
                        // fills as the database grows: at SQLite's default of 2 MiB, eight
                        // copies made the soak's resident memory climb for minutes. The
                        // kernel caches the file once for all of them, so a small cache
                        // each costs no measurable time (soak p95 unchanged).
                        conn.execute(SQLITE_CACHE).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|source| DbError::Open { url: redact(&url), source })?;
        Ok(Db { pool, engine })
    }

    fn migrator(&self) -> &'static Migrator {
        match self.engine {
            Engine::Sqlite => &SQLITE_MIGRATIONS,
            Engine::Postgres => &POSTGRES_MIGRATIONS,
        }
    }

    /// Applies pending migrations; refuses a database migrated by a newer binary.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = self.migrator();
        let known: Vec<i64> = migrator.iter().map(|m| m.version).collect();
        let applied: Result<Vec<i64>, _> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations").fetch_all(&self.pool).await;
        if let Ok(applied) = applied {
            if let Some(v) = applied.iter().find(|v| !known.contains(v)) {
                return Err(DbError::NewerThanBinary { version: *v });
            }
        }
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// Online backup of an SQLite database into a new file (`VACUUM INTO`).
    pub async fn backup(&self, target: &std::path::Path) -> Result<(), DbError> {
        let target = target.display().to_string().replace('\'', "''");
        // Survey answers never reach the database whole, so a backup holds none.
        sqlx::query(&format!("VACUUM INTO '{target}'")).execute(&self.pool).await?;
        Ok(())
    }
}

/// A list of text values read as a subquery, `x IN {sql}`, bound from `$n` on: the SQL
/// and the values to bind, in order.
///
/// A long list is one JSON array: PostgreSQL's reusable (generic) plan of `IN ($1, …,
/// $500)` rebuilt the 500 values for every row it tested (a region's search: 85 ms
/// instead of 7), and SQLite's driver binds each placeholder by a search through all
/// of them. A short list stays placeholders: neither planner knows how long a JSON
/// array is (PostgreSQL guesses 100 values), and for the one partnership of most lists
/// they then sorted all its clients (SQLite, 10,000 clients: 5.4 ms instead of 0.1) or
/// walked the whole installation's order (PostgreSQL, a partnership of a region's 500:
/// 136 ms for a first page instead of 1; a search, 313 ms).
pub fn one_of(engine: Engine, n: usize, values: &[String]) -> (String, Vec<String>) {
    if values.len() <= FEW {
        return (format!("({})", placeholders(n, values.len().max(1))), padded(values));
    }
    let json = serde_json::Value::from(values.to_vec()).to_string();
    match engine {
        Engine::Sqlite => (format!("(SELECT value FROM json_each(${n}))"), vec![json]),
        Engine::Postgres => (format!("(SELECT jsonb_array_elements_text(${n}::jsonb))"), vec![json]),
    }
}

/// Up to this many values `one_of` binds one placeholder each.
pub const FEW: usize = 16;

/// An empty list still needs one placeholder (`IN ()` is no SQL): one that matches no
/// id.
fn padded(values: &[String]) -> Vec<String> {
    if values.is_empty() { vec![String::new()] } else { values.to_vec() }
}

/// `$1, $2, …` placeholders starting at `from`, for `IN (…)` lists.
pub fn placeholders(from: usize, count: usize) -> String {
    (from..from + count).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}
