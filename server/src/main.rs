//! `sciezka`: serve, migrate, seed-demo, create-user, create-admin, backup.

use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use domain::org::{OrgType, Role};
use leptos::config::LeptosOptions;
use server::{build_app, seed, AppState, Config, Db};
use tracing::Instrument;

#[derive(Parser)]
#[command(name = "sciezka", version, about = "Ścieżka — case work for social and vocational integration")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Migrate the database and serve the app.
    Serve,
    /// Apply pending database migrations.
    Migrate,
    /// Load the fictional demo partnership, OWES, users and clients (once), with three
    /// months of case work.
    SeedDemo {
        /// Only the people and clients, with empty case files (for tests that write
        /// a client's documents from nothing).
        #[arg(long)]
        without_casework: bool,
    },
    /// Create a user; the password is asked for, never taken from the command line.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the organisation (created when it does not exist).
        #[arg(long)]
        organisation: String,
        /// For a new organisation: ops, pup, ngo, owes or other.
        #[arg(long, default_value = "other")]
        org_type: String,
        /// For a new organisation: its KRS number, if any (validated).
        #[arg(long, default_value = "")]
        krs: String,
        /// For a new organisation: its REGON, 9 or 14 digits, if any (validated).
        #[arg(long, default_value = "")]
        regon: String,
        /// Partnership to grant a role in (its exact name).
        #[arg(long)]
        partnership: Option<String>,
        #[arg(long, default_value = "key_consultant")]
        role: String,
    },
    /// Create an installation administrator (registers organisations and creates
    /// partnerships on /admin; reads no client); the password is asked for. Their
    /// organisation is created when it does not exist.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the organisation they work for.
        #[arg(long)]
        organisation: String,
        /// For a new organisation: ops, pup, ngo, owes or other.
        #[arg(long, default_value = "other")]
        org_type: String,
    },
    /// Reset an account's second factor (a lost phone and lost recovery codes) where no
    /// coordinator can: an installation administrator's. Its sessions end and its next
    /// sign-in adds a new authenticator app.
    ResetSecondFactor {
        #[arg(long)]
        email: String,
    },
    /// Benchmark data: a partnership with many fictional clients and the user bench@demo.
    #[command(hide = true)]
    SeedBench {
        #[arg(long, default_value_t = 10_000)]
        clients: usize,
    },
    /// Region-scale benchmark data (issue 7): partnerships, clients, documents, notes.
    #[command(hide = true)]
    SeedRegion {
        #[arg(long, default_value_t = 500)]
        partnerships: usize,
        #[arg(long, default_value_t = 100_000)]
        clients: usize,
        #[arg(long, default_value_t = 1_500_000)]
        notes: usize,
        /// Access-log entries: reads, changes, lists and syncs over the last year.
        #[arg(long, default_value_t = 2_000_000)]
        access_log: usize,
    },
    /// Write an online backup of the SQLite database to a file.
    Backup { target: std::path::PathBuf },
    /// Replace the SQLite database with a backup: refused while a server uses it or if
    /// the file is damaged; the current database is moved aside, not deleted.
    Restore { file: std::path::PathBuf },
}

/// glibc's allocator kept every large buffer it had ever freed (argon2's 19 MiB, big
/// responses) in per-thread arenas: the server sat at 250 MiB after a minute of load
/// and kept growing. mimalloc returns freed pages to the system: 35 MiB under the same
/// soak (README, "Memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() {
    let directives = std::env::var("RUST_LOG").unwrap_or_else(|_| "info,sqlx=warn".into());
    tracing_subscriber::util::SubscriberInitExt::init(server::logging::subscriber(&directives, std::io::stdout, std::io::IsTerminal::is_terminal(&std::io::stdout())));
    if let Err(e) = run(Cli::parse()).await {
        eprintln!("sciezka: {e}");
        std::process::exit(1);
    }
}

fn leptos_options(config: &Config) -> LeptosOptions {
    let hash_file_exists = std::env::current_exe().map(|e| e.with_file_name("hash.txt").exists()).unwrap_or(false);
    LeptosOptions::builder()
        .output_name(std::env::var("LEPTOS_OUTPUT_NAME").unwrap_or_else(|_| "sciezka".into()))
        .site_root(config.site_root.display().to_string())
        .site_pkg_dir("pkg")
        .site_addr(config.bind)
        .hash_files(hash_file_exists)
        .build()
}

async fn open(config: &Config) -> Result<Db, Box<dyn std::error::Error>> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    server::store::fixes::run(&db).await?;
    Ok(db)
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    match cli.command {
        Command::Migrate => {
            open(&config).await?;
            println!("Database is up to date.");
        }
        Command::SeedDemo { without_casework } => {
            let db = open(&config).await?;
            if seed::demo_with(&db, !without_casework).await? {
                println!("Demo data loaded.");
            } else {
                println!("Demo data is already there.");
            }
            print!("{}", seed::demo_logins());
        }
        Command::CreateUser { email, name, organisation, org_type, krs, regon, partnership, role } => {
            let org_type = OrgType::parse(&org_type).ok_or_else(|| format!("unknown organisation type {org_type:?}"))?;
            let role = Role::parse(&role).ok_or_else(|| format!("unknown role {role:?}; one of: {}", Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ")))?;
            let db = open(&config).await?;
            print!("Password for {email} (at least 12 characters): ");
            std::io::stdout().flush()?;
            let password = rpassword::read_password()?;
            if password.chars().count() < server::auth::password::MIN_LENGTH {
                return Err("the password is too short".into());
            }
            let org: Option<String> = sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1").bind(&organisation).fetch_optional(&db.pool).await?;
            let org = match org {
                Some(id) => uuid::Uuid::parse_str(&id)?,
                None => seed::registered_organisation(&db, &organisation, org_type, "", &krs, &regon)
                    .await
                    .map_err(|e| match e {
                        server::error::AppError::Invalid { errors, .. } => {
                            errors.iter().map(|f| format!("{}: {}", &f.pointer[1..], f.message)).collect::<Vec<_>>().join("; ")
                        }
                        other => other.to_string(),
                    })?,
            };
            let user = seed::user(&db, &email, &name, org, &password).await?;
            if let Some(p) = partnership {
                let pid: String = sqlx::query_scalar("SELECT id FROM partnerships WHERE name = $1")
                    .bind(&p)
                    .fetch_optional(&db.pool)
                    .await?
                    .ok_or_else(|| format!("no partnership named {p:?}"))?;
                seed::grant(&db, user, uuid::Uuid::parse_str(&pid)?, role).await?;
            }
            println!("User {email} created.");
        }
        Command::ResetSecondFactor { email } => {
            let db = open(&config).await?;
            let email = email.trim().to_lowercase();
            let mut conn = db.pool.acquire().await?;
            if !server::store::second_factor::reset_on_the_server(&mut conn, &email).await? {
                return Err(format!("there is no account {email}").into());
            }
            println!("The second factor of {email} is reset: its sessions ended, and its next sign-in adds an authenticator app.");
        }
        Command::CreateAdmin { email, name, organisation, org_type } => {
            let org_type = OrgType::parse(&org_type).ok_or_else(|| format!("unknown organisation type {org_type:?}"))?;
            let db = open(&config).await?;
            let lang = domain::Lang::En;
            let email = email.trim().to_lowercase();
            print!("Password for {email} (at least {} characters): ", domain::people::MIN_PASSWORD);
            std::io::stdout().flush()?;
            let password = rpassword::read_password()?;
            // The same rules as the first-run page.
            let run = domain::installation::FirstRun {
                organisation: domain::installation::OrganisationInput { name: organisation.clone(), org_type, ..Default::default() },
                display_name: name,
                email,
                password,
                token: String::new(),
            }
            .validate(lang)
            .map_err(|errors| errors.iter().map(|f| format!("{}: {}", &f.pointer[1..], f.message)).collect::<Vec<_>>().join("; "))?;
            let hash = server::auth::password::hash(run.password.clone()).await?;
            use server::store::installation as store;
            use sqlx::Acquire;
            let mut conn = db.pool.acquire().await?;
            let mut tx = conn.begin().await?;
            let existing: Option<String> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(&run.email).fetch_optional(&mut *tx).await?;
            if existing.is_some() {
                return Err(format!("an account {} exists already", run.email).into());
            }
            let org: Option<String> =
                sqlx::query_scalar("SELECT id FROM organisations WHERE name = $1").bind(&run.organisation.name).fetch_optional(&mut *tx).await?;
            let org = match org {
                Some(id) => uuid::Uuid::parse_str(&id)?,
                None => store::insert_organisation(&mut tx, &run.organisation).await?,
            };
            let admin = store::insert_admin(&mut tx, &run.email, &run.display_name, org, &hash).await?;
            store::log(&mut tx, admin, "create_admin", &format!("administrator {} made on the command line", run.email)).await?;
            tx.commit().await?;
            // The first administrator also closes the first-run page (a later one finds
            // it closed already).
            let _ = store::mark_set_up(&mut conn, admin).await;
            println!("Administrator {} created: sign in and open /admin.", run.email);
        }
        Command::SeedBench { clients } => {
            let db = open(&config).await?;
            seed::bench(&db, clients).await?;
            println!("{clients} benchmark clients loaded.");
        }
        Command::SeedRegion { partnerships, clients, notes, access_log } => {
            let db = open(&config).await?;
            let started = std::time::Instant::now();
            seed::region(&db, partnerships, clients, notes, access_log).await?;
            println!(
                "{partnerships} partnerships, {clients} clients, {notes} notes, {access_log} access-log entries loaded in {:.0} s.",
                started.elapsed().as_secs_f64()
            );
        }
        Command::Backup { target } => {
            let db = open(&config).await?;
            if db.engine != server::db::Engine::Sqlite {
                return Err("backup copies the embedded SQLite database; for PostgreSQL use pg_dump".into());
            }
            if target.exists() {
                return Err(format!("{} already exists", target.display()).into());
            }
            db.backup(&target).await?;
            println!("Backup written to {}.", target.display());
        }
        Command::Restore { file } => {
            let restored = server::backup::restore(&config.database_url, &file).await?;
            match restored.previous {
                Some(p) => println!("Restored from {}; the database it replaced is kept as {}.", file.display(), p.display()),
                None => println!("Restored from {}.", file.display()),
            }
        }
        Command::Serve => {
            // Held while serving, so a restore cannot replace the file under this process.
            let _lock = match server::backup::sqlite_path(&config.database_url) {
                Some(path) => Some(server::backup::lock(&path)?),
                None => None,
            };
            let db = open(&config).await?;
            let addr = config.bind;
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| match e.kind() {
                std::io::ErrorKind::AddrInUse => format!("the address {addr} is already in use: stop the other server or set SCIEZKA_BIND"),
                _ => format!("cannot listen on {addr}: {e}"),
            })?;
            let state = AppState { leptos: leptos_options(&config), config: Arc::new(config), db, survey: Default::default() };
            state.survey.adopt_legacy(&state.db).instrument(server::logging::quiet_span()).await?;
            // Answers this process holds for a round another process closed are settled
            // within a few seconds.
            let sweeping = state.clone();
            tokio::spawn(
                async move {
                    let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
                    loop {
                        every.tick().await;
                        let _ = sweeping.survey.sweep(&sweeping.db).await;
                    }
                }
                .instrument(server::logging::quiet_span()),
            );
            if let Some(schedule) = state.config.backup_schedule() {
                let db = state.db.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(schedule.every);
                    // The first tick is at once: a backup when the server starts, unless
                    // the newest is younger than the interval.
                    let mut first = true;
                    loop {
                        every.tick().await;
                        if std::mem::take(&mut first) && server::backup::recent(&schedule) {
                            continue;
                        }
                        match server::backup::scheduled(&db, &schedule).await {
                            Ok(path) => tracing::info!(path = %path.display(), "backup written"),
                            Err(e) => tracing::error!(error = %e, "scheduled backup failed"),
                        }
                    }
                });
            }
            let first_run = {
                let mut conn = state.db.pool.acquire().await?;
                server::store::installation::needs_first_admin(&mut conn).await?
            };
            let token = state.config.setup_token.clone();
            let app = build_app(state);
            println!("Ścieżka is running at http://{addr}/");
            if first_run {
                // Only someone who sees this process's output can make the administrator.
                println!("First run: on this machine open http://{addr}/setup?token={token}");
                println!("(or stop the server and run `sciezka create-admin`)");
            }
            axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await?;
        }
    }
    Ok(())
}
