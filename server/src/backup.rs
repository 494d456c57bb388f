//! Backups of the embedded SQLite database that can be trusted: taken online on a
//! schedule with a number kept, and restored only into a database no server is
//! using, after checking the file. (PostgreSQL: `pg_dump`/`pg_restore`, see the README.)

use std::fs::File;
use std::path::{Path, PathBuf};

use sqlx::Connection;

use crate::db::{Db, DbError};

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("backups and restores here are for the embedded SQLite database; for PostgreSQL use pg_dump and pg_restore (see the README)")]
    NotSqlite,
    #[error("a Ścieżka server is using {0}: stop it first (it cannot be restored, nor served twice, while one runs)")]
    InUse(String),
    #[error("{0} has a write-ahead log beside it ({0}-wal): copy the backup whole, or take it with `sciezka backup`")]
    LogBeside(String),
    #[error("{0} does not exist")]
    Missing(String),
    #[error("{path} is damaged: {report}")]
    Damaged { path: String, report: String },
    #[error("{0} is not a Ścieżka database")]
    Foreign(String),
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io { path: path.display().to_string(), source }
}

/// The file of an SQLite database URL.
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// An exclusive lock on a database file held by `serve` for as long as it runs, so
/// that a restore cannot replace the file under it. Released when dropped (or when
/// the process ends, however it ends).
pub struct ServeLock(#[allow(dead_code)] File);

pub fn lock(db_file: &Path) -> Result<ServeLock, BackupError> {
    let path = PathBuf::from(format!("{}.lock", db_file.display()));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(io(&path))?;
    match file.try_lock() {
        Ok(()) => Ok(ServeLock(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(BackupError::InUse(db_file.display().to_string())),
        Err(std::fs::TryLockError::Error(e)) => Err(io(&path)(e)),
    }
}

async fn integrity(path: &Path) -> Result<(), BackupError> {
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await?;
    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut conn).await?;
    if report != ["ok"] {
        return Err(BackupError::Damaged { path: path.display().to_string(), report: report.join("; ") });
    }
    let ours: Option<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'clients'").fetch_optional(&mut conn).await?;
    if ours.is_none() {
        return Err(BackupError::Foreign(path.display().to_string()));
    }
    conn.close().await?;
    Ok(())
}

/// What a restore did.
pub struct Restored {
    /// Where the database that was replaced now is (nothing is deleted).
    pub previous: Option<PathBuf>,
}

/// Restores `backup` as the database at `url`: refused while a server uses it, or if
/// the file is damaged or not Ścieżka's; the current database is moved aside, never
/// deleted; the restored one is migrated to this binary.
pub async fn restore(url: &str, backup: &Path) -> Result<Restored, BackupError> {
    let target = sqlite_path(url).ok_or(BackupError::NotSqlite)?;
    if !backup.exists() {
        return Err(BackupError::Missing(backup.display().to_string()));
    }
    let _lock = lock(&target)?;
    if PathBuf::from(format!("{}-wal", backup.display())).exists() {
        return Err(BackupError::LogBeside(backup.display().to_string()));
    }
    integrity(backup).await?;
    // The copy is made beside the target under another name, written out, and only
    // then put in place, so a failure half-way leaves the current database as it was.
    let incoming = PathBuf::from(format!("{}.restoring", target.display()));
    std::fs::copy(backup, &incoming).map_err(io(&incoming))?;
    let mut permissions = std::fs::metadata(&incoming).map_err(io(&incoming))?.permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    permissions.set_readonly(false);
    std::fs::set_permissions(&incoming, permissions).map_err(io(&incoming))?;
    File::open(&incoming).and_then(|f| f.sync_all()).map_err(io(&incoming))?;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let aside = PathBuf::from(format!("{}.before-restore-{stamp}", target.display()));
    let mut moved = Vec::new();
    // The write-ahead log and its index go with the file they belong to.
    for suffix in ["", "-wal", "-shm"] {
        let from = PathBuf::from(format!("{}{suffix}", target.display()));
        if from.exists() {
            let to = PathBuf::from(format!("{}{suffix}", aside.display()));
            std::fs::rename(&from, &to).map_err(io(&from))?;
            moved.push((to, from));
        }
    }
    let put_back = |moved: &[(PathBuf, PathBuf)]| {
        for (to, from) in moved {
            let _ = std::fs::rename(to, from);
        }
    };
    if let Err(e) = std::fs::rename(&incoming, &target) {
        put_back(&moved);
        return Err(io(&target)(e));
    }
    let settled = async {
        let db = Db::connect(url).await?;
        db.migrate().await?;
        crate::store::fixes::run(&db).await.map_err(|e| BackupError::Damaged { path: target.display().to_string(), report: e.to_string() })?;
        db.pool.close().await;
        Ok::<(), BackupError>(())
    }
    .await;
    if let Err(e) = settled {
        // The restored copy could not be made current: the previous database returns.
        let _ = std::fs::rename(&target, &incoming);
        put_back(&moved);
        return Err(e);
    }
    Ok(Restored { previous: (!moved.is_empty()).then_some(aside) })
}

/// Where scheduled backups go and how many are kept.
#[derive(Debug, Clone)]
pub struct Schedule {
    pub dir: PathBuf,
    pub every: std::time::Duration,
    pub keep: usize,
}

/// The scheduled backups in `dir`, oldest first (their names sort by time).
fn taken(dir: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let mut taken: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("sciezka-") && n.ends_with(".db")))
        .collect();
    taken.sort();
    Ok(taken)
}

/// Whether the newest scheduled backup is younger than the interval: a server that
/// restarts often does not replace the week's backups with copies of the same hour.
pub fn recent(schedule: &Schedule) -> bool {
    taken(&schedule.dir)
        .ok()
        .and_then(|t| t.last().cloned())
        .and_then(|p| std::fs::metadata(p).ok()?.modified().ok()?.elapsed().ok())
        .is_some_and(|age| age < schedule.every)
}

/// Takes one scheduled backup and deletes the oldest beyond `keep`; returns its path.
/// The copy is written under a temporary name and renamed when whole, so a crash
/// during a backup never leaves a broken file counted among the kept ones.
pub async fn scheduled(db: &Db, schedule: &Schedule) -> Result<PathBuf, BackupError> {
    std::fs::create_dir_all(&schedule.dir).map_err(io(&schedule.dir))?;
    let now = time::OffsetDateTime::now_utc();
    let name = format!(
        "sciezka-{:04}{:02}{:02}-{:02}{:02}{:02}.db",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    );
    let path = schedule.dir.join(&name);
    if !path.exists() {
        let partial = schedule.dir.join(format!("{name}.partial"));
        let _ = std::fs::remove_file(&partial);
        db.backup(&partial).await?;
        std::fs::rename(&partial, &path).map_err(io(&path))?;
    }
    let taken = taken(&schedule.dir)?;
    let surplus = taken.len().saturating_sub(schedule.keep.max(1));
    for old in taken.into_iter().take(surplus) {
        std::fs::remove_file(&old).map_err(io(&old))?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_of_a_database_url() {
        assert_eq!(sqlite_path("sqlite://data/sciezka.db"), Some(PathBuf::from("data/sciezka.db")));
        assert_eq!(sqlite_path("sqlite:///tmp/x.db?mode=rwc"), Some(PathBuf::from("/tmp/x.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://u@h/db"), None);
    }

    #[test]
    fn a_second_lock_on_one_database_is_refused() {
        let dir = std::env::temp_dir().join(format!("sciezka-lock-{}", uuid::Uuid::new_v4()));
        let db = dir.join("x.db");
        let first = lock(&db).expect("first");
        assert!(matches!(lock(&db), Err(BackupError::InUse(_))));
        drop(first);
        assert!(lock(&db).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
