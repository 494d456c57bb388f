//! Configuration, read once from the environment and an optional `KEY=value` file
//! (`SCIEZKA_CONFIG`, default `./sciezka.env` when it exists).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Requests larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Config {
    /// `sqlite://path` (default: `data/sciezka.db`) or `postgres://…`.
    pub database_url: String,
    /// `SCIEZKA_BIND`, default `127.0.0.1:3000`.
    pub bind: SocketAddr,
    /// `SCIEZKA_SECURE_COOKIES=true` when served over HTTPS (marks cookies `Secure`).
    pub secure_cookies: bool,
    /// Minutes of inactivity after which a session ends (`SCIEZKA_IDLE_MINUTES`, default 30).
    pub idle_timeout_secs: i64,
    /// Hours after which a session ends regardless of activity (default 12).
    pub absolute_timeout_secs: i64,
    /// Minutes without input after which drafts on a device lock (`SCIEZKA_DRAFT_LOCK_MINUTES`, default 15).
    pub draft_lock_minutes: u32,
    /// Where cargo-leptos put the built site (`LEPTOS_SITE_ROOT`, default `target/site`).
    pub site_root: PathBuf,
    /// Survey answers taken per minute from one address (`SCIEZKA_SURVEY_PER_MINUTE`, default 60).
    pub survey_per_minute: u32,
    /// Hours between the online backups `serve` takes of an SQLite database
    /// (`SCIEZKA_BACKUP_HOURS`, default 24; 0 takes none).
    pub backup_hours: u64,
    /// How many scheduled backups are kept (`SCIEZKA_BACKUP_KEEP`, default 7).
    pub backup_keep: usize,
    /// Where they go (`SCIEZKA_BACKUP_DIR`, default `backups/` beside the database).
    pub backup_dir: Option<PathBuf>,
    /// Who runs this installation and answers for its accessibility, as the
    /// accessibility statement names them (`SCIEZKA_OPERATOR`,
    /// `SCIEZKA_ACCESSIBILITY_CONTACT`, `_EMAIL`, `_PHONE`).
    pub accessibility: domain::api::AccessibilityContact,
    /// The secret of this process's first-run link, made at start and printed by
    /// `serve` while the installation has nobody: the first-run page answers only
    /// with it, so a request relayed from elsewhere (a proxy on the same machine that
    /// adds no forwarding header) cannot make itself the administrator.
    pub setup_token: String,
    /// Where e-mail goes (`SCIEZKA_SMTP_URL`, e.g. `smtps://user:password@smtp.example.pl`
    /// or `smtp://127.0.0.1:2525`); none: invitation and reset links are shown once to
    /// the person who made them, to hand over.
    pub smtp_url: Option<String>,
    /// The sender of that e-mail (`SCIEZKA_MAIL_FROM`).
    pub mail_from: String,
    /// The address people open Ścieżka at (`SCIEZKA_PUBLIC_URL`, e.g.
    /// `https://sciezka.mops.kielce.pl`), for the links in e-mail; never taken from a
    /// request, whose Host header anyone can write. Required with SMTP; otherwise
    /// `http://` and the bind address.
    pub public_url: String,
    /// For tests only (`SCIEZKA_TEST_TODAY`, an ISO date): the day the retention rules
    /// are judged on, so a test can reach a disposal date years away. Nothing else moves.
    pub retention_today: Option<time::Date>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{name} has an invalid value {value:?}: {why}")]
    Invalid { name: &'static str, value: String, why: String },
    #[error("cannot read the configuration file {path}: {source}")]
    File { path: String, source: dotenvy::Error },
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn parse<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError>
where
    T::Err: std::fmt::Display,
{
    match var(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid { name, value: v, why: e.to_string() }),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        let file = var("SCIEZKA_CONFIG").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("sciezka.env"));
        if file.exists() {
            dotenvy::from_path(&file).map_err(|source| ConfigError::File { path: file.display().to_string(), source })?;
        }
        let bind = parse("SCIEZKA_BIND", SocketAddr::from(([127, 0, 0, 1], 3000)))?;
        let smtp_url = var("SCIEZKA_SMTP_URL");
        if let Some(url) = &smtp_url {
            crate::mail::check_url(url).map_err(|why| ConfigError::Invalid { name: "SCIEZKA_SMTP_URL", value: crate::mail::without_password(url), why })?;
        }
        // A link in an e-mail must open where people reach the server, which the bind
        // address (often 127.0.0.1 behind a proxy) is not.
        if smtp_url.is_some() && var("SCIEZKA_PUBLIC_URL").is_none() {
            return Err(ConfigError::Invalid { name: "SCIEZKA_PUBLIC_URL", value: String::new(), why: "it is needed with SCIEZKA_SMTP_URL: the address people open Ścieżka at, for the links in e-mail".into() });
        }
        let mail_from = var("SCIEZKA_MAIL_FROM").unwrap_or_else(|| crate::mail::DEFAULT_FROM.into());
        crate::mail::check_from(&mail_from).map_err(|why| ConfigError::Invalid { name: "SCIEZKA_MAIL_FROM", value: mail_from.clone(), why })?;
        Ok(Config {
            database_url: var("DATABASE_URL").unwrap_or_else(|| "sqlite://data/sciezka.db".into()),
            bind,
            secure_cookies: parse("SCIEZKA_SECURE_COOKIES", false)?,
            idle_timeout_secs: parse::<i64>("SCIEZKA_IDLE_MINUTES", 30)? * 60,
            absolute_timeout_secs: parse::<i64>("SCIEZKA_SESSION_HOURS", 12)? * 3600,
            draft_lock_minutes: parse("SCIEZKA_DRAFT_LOCK_MINUTES", 15)?,
            site_root: PathBuf::from(var("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".into())),
            survey_per_minute: parse("SCIEZKA_SURVEY_PER_MINUTE", 60)?,
            backup_hours: parse("SCIEZKA_BACKUP_HOURS", 24)?,
            backup_keep: parse("SCIEZKA_BACKUP_KEEP", 7)?,
            backup_dir: var("SCIEZKA_BACKUP_DIR").map(PathBuf::from),
            accessibility: domain::api::AccessibilityContact {
                operator: var("SCIEZKA_OPERATOR").unwrap_or_default(),
                contact: var("SCIEZKA_ACCESSIBILITY_CONTACT").unwrap_or_default(),
                email: var("SCIEZKA_ACCESSIBILITY_EMAIL").unwrap_or_default(),
                phone: var("SCIEZKA_ACCESSIBILITY_PHONE").unwrap_or_default(),
            },
            setup_token: crate::token::random_token(),
            smtp_url,
            mail_from,
            public_url: var("SCIEZKA_PUBLIC_URL").map(|u| u.trim_end_matches('/').to_string()).unwrap_or_else(|| format!("http://{bind}")),
            retention_today: match var("SCIEZKA_TEST_TODAY") {
                None => None,
                Some(v) => Some(domain::validation::parse_iso_date(v.trim()).ok_or(ConfigError::Invalid { name: "SCIEZKA_TEST_TODAY", value: v, why: "a date as YYYY-MM-DD".into() })?),
            },
        })
    }

    /// A configuration for tests and tools: everything default but the database.
    pub fn for_database(database_url: &str) -> Config {
        Config {
            database_url: database_url.to_string(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            secure_cookies: false,
            idle_timeout_secs: 30 * 60,
            absolute_timeout_secs: 12 * 3600,
            draft_lock_minutes: 15,
            site_root: PathBuf::from("target/site"),
            survey_per_minute: 60,
            backup_hours: 0,
            backup_keep: 7,
            backup_dir: None,
            accessibility: Default::default(),
            setup_token: crate::token::random_token(),
            smtp_url: None,
            mail_from: crate::mail::DEFAULT_FROM.into(),
            public_url: "http://127.0.0.1".into(),
            retention_today: None,
        }
    }

    /// The day retention rules are judged on: today, unless a test set another.
    pub fn retention_today(&self) -> time::Date {
        self.retention_today.unwrap_or_else(crate::today)
    }

    /// The backup schedule of `serve`, for an SQLite database with backups switched on.
    pub fn backup_schedule(&self) -> Option<crate::backup::Schedule> {
        let db = crate::backup::sqlite_path(&self.database_url)?;
        (self.backup_hours > 0).then(|| crate::backup::Schedule {
            dir: self.backup_dir.clone().unwrap_or_else(|| db.parent().unwrap_or(std::path::Path::new(".")).join("backups")),
            every: std::time::Duration::from_secs(self.backup_hours.saturating_mul(3600)),
            keep: self.backup_keep,
        })
    }
}
