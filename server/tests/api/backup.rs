//! Backup and restore of the embedded database, as an operator runs them: an online
//! backup taken while the server writes, `sciezka restore` into a new place, every
//! table equal to the backup, a restore refused while a server uses the database or
//! when the file is damaged, and scheduled backups keeping their number.

use std::path::Path;
use std::process::Command;

use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row};

use crate::helpers::TestApp;

/// Every table's row count and a checksum of its rows, in a stable order.
async fn fingerprint(file: &Path) -> Vec<(String, i64, String)> {
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=ro", file.display())).await.expect("open");
    // `data_fixes` records what this binary fixed after restoring: bookkeeping, not data.
    let tables: Vec<String> = sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'data_fixes' ORDER BY name")
        .fetch_all(&mut conn)
        .await
        .expect("tables");
    let mut out = Vec::new();
    for t in tables {
        let cols: Vec<String> = sqlx::query_scalar(&format!("SELECT name FROM pragma_table_info('{t}')")).fetch_all(&mut conn).await.expect("cols");
        let row = cols.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join(" || ',' || ");
        let rows: Vec<String> = sqlx::query(&format!("SELECT {row} AS r FROM \"{t}\" ORDER BY r"))
            .fetch_all(&mut conn)
            .await
            .expect("rows")
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
        let digest = Sha256::digest(rows.join("\n").as_bytes()).iter().map(|b| format!("{b:02x}")).collect();
        out.push((t, i64::try_from(rows.len()).expect("n"), digest));
    }
    conn.close().await.expect("close");
    out
}

/// 150 notes "notatka 000"…, one after another, each its own sync push: the write load
/// a backup is taken under.
async fn write_notes(app: &TestApp, s: &crate::helpers::Session, client: uuid::Uuid) {
    for i in 0..150 {
        let note = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(),
            "written_at": time::OffsetDateTime::now_utc().unix_timestamp() * 1000, "op": "add_note",
            "note_id": uuid::Uuid::now_v7(), "client_id": client, "text": format!("notatka {i:03}")}]});
        assert_eq!(app.post("/api/v1/sync/push", &note, s).await.json()["results"][0]["outcome"]["status"], "applied");
    }
}

fn restore(url: &str, file: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sciezka"))
        .args(["restore", &file.display().to_string()])
        .env("DATABASE_URL", url)
        .env("SCIEZKA_CONFIG", "/nonexistent/sciezka.env")
        .output()
        .expect("run sciezka restore")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_load_restores_into_a_database_equal_to_it_and_a_restore_refuses_what_it_should() {
    let app = TestApp::spawn().await;
    if !app.url.starts_with("sqlite") {
        return; // PostgreSQL is backed up with pg_dump; the README has the procedure.
    }
    let client = app.insert_client(&app.person(61, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let dir = std::env::temp_dir().join(format!("sciezka-drill-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let backup = dir.join("backup.db");

    // Notes keep arriving, one after another, while the backup is taken.
    let writes = write_notes(&app, &s, client);
    let take = async {
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
        app.db.backup(&backup).await.expect("backup");
    };
    tokio::join!(writes, take);

    let url = format!("sqlite://{}/restored/sciezka.db", dir.display());
    let out = restore(&url, &backup);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let restored = dir.join("restored/sciezka.db");
    // Every table, its rows and their contents: the restored database is the backup.
    let (a, b) = (fingerprint(&backup).await, fingerprint(&restored).await);
    assert_eq!(a, b);
    assert!(a.iter().any(|(t, n, _)| t == "clients" && *n >= 1));
    // A consistent moment: the notes present are the first k written, none missing.
    let db = server::Db::connect(&url).await.expect("open restored");
    let texts: Vec<String> = sqlx::query_scalar("SELECT text FROM notes ORDER BY text").fetch_all(&db.pool).await.expect("notes");
    let expected: Vec<String> = (0..texts.len()).map(|i| format!("notatka {i:03}")).collect();
    assert_eq!(texts, expected);
    db.pool.close().await;

    // A server is running on the database: the restore is refused and nothing changes.
    let running = crate::process::start(&url, &dir.join("server.log")).await;
    let out = restore(&url, &backup);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("stop it first"), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(fingerprint(&restored).await, a, "the database changed under a running server");
    // Nor can a second server take the same file.
    let second = Command::new(env!("CARGO_BIN_EXE_sciezka")).arg("serve").env("DATABASE_URL", &url)
        .env("SCIEZKA_BIND", format!("127.0.0.1:{}", crate::process::free_port())).env("SCIEZKA_CONFIG", "/nonexistent/sciezka.env")
        .output().expect("second serve");
    assert!(!second.status.success() && String::from_utf8_lossy(&second.stderr).contains("stop it first"));
    drop(running);

    // A damaged file is refused; the database stays as it was.
    let damaged = dir.join("damaged.db");
    let mut bytes = std::fs::read(&backup).expect("read");
    for b in bytes.iter_mut().skip(4096).take(8192) {
        *b = 0x5a;
    }
    std::fs::write(&damaged, bytes).expect("write");
    let out = restore(&url, &damaged);
    assert!(!out.status.success(), "a damaged backup was restored");
    assert_eq!(fingerprint(&restored).await, a);

    // Restored over an existing database: the one replaced is kept aside.
    let out = restore(&url, &backup);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("before-restore"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn scheduled_backups_keep_their_number() {
    let app = TestApp::spawn().await;
    if !app.url.starts_with("sqlite") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("sciezka-backups-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    for old in ["sciezka-20200101-000000.db", "sciezka-20200102-000000.db", "sciezka-20200103-000000.db"] {
        std::fs::write(dir.join(old), b"old").expect("old");
    }
    std::fs::write(dir.join("notes.txt"), b"not a backup").expect("other");
    let schedule = server::backup::Schedule { dir: dir.clone(), every: std::time::Duration::from_secs(3600), keep: 2 };
    let taken = server::backup::scheduled(&app.db, &schedule).await.expect("backup");
    let mut left: Vec<String> = std::fs::read_dir(&dir).expect("dir").filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    let name = taken.file_name().expect("name").to_string_lossy().into_owned();
    assert_eq!(left, ["notes.txt".to_string(), "sciezka-20200103-000000.db".to_string(), name]);
    assert!(std::fs::metadata(&taken).expect("taken").len() > 4096);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every table's row count and a digest of its rows, on PostgreSQL.
async fn pg_fingerprint(url: &str) -> Vec<(String, i64, String)> {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'data_fixes' ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .expect("tables");
    let mut out = Vec::new();
    for t in tables {
        let (n, digest): (i64, Option<String>) = sqlx::query_as(&format!("SELECT COUNT(*), md5(string_agg(r::text, E'\\n' ORDER BY r::text)) FROM \"{t}\" r"))
            .fetch_one(&mut conn)
            .await
            .expect("rows");
        out.push((t, n, digest.unwrap_or_default()));
    }
    conn.close().await.expect("close");
    out
}

fn pg_tool(name: &str) -> std::path::PathBuf {
    let mut dirs: Vec<_> = std::fs::read_dir("/usr/lib/postgresql").expect("PostgreSQL installed").filter_map(Result::ok).map(|e| e.path()).collect();
    dirs.sort_by_key(|d| d.file_name().and_then(|n| n.to_str()).and_then(|n| n.parse::<u32>().ok()).unwrap_or(0));
    dirs.last().expect("a PostgreSQL version").join("bin").join(name)
}

/// README's PostgreSQL procedure, run as written: `pg_dump --format=custom` while notes
/// are being written, `pg_restore --no-owner` into a new database, `sciezka migrate`,
/// and a server started on it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_postgresql_procedure_pg_dump_under_load_then_pg_restore_gives_a_database_a_server_runs_on() {
    let app = TestApp::spawn().await;
    if !app.url.starts_with("postgres") {
        return;
    }
    let client = app.insert_client(&app.person(62, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let dir = std::env::temp_dir().join(format!("sciezka-pgdrill-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let dump = dir.join("sciezka.dump");

    let writes = write_notes(&app, &s, client);
    let take = async {
        tokio::time::sleep(std::time::Duration::from_millis(40)).await;
        let (tool, url, file) = (pg_tool("pg_dump"), app.url.clone(), dump.clone());
        let out = tokio::task::spawn_blocking(move || {
            Command::new(tool).args(["--format=custom", &format!("--file={}", file.display()), &url]).output().expect("pg_dump")
        })
        .await
        .expect("join");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    tokio::join!(writes, take);

    let (base, _) = app.url.rsplit_once('/').expect("url");
    let name = format!("restored_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(&app.url).await.expect("connect");
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.expect("create");
    let restored = format!("{base}/{name}");
    let out = Command::new(pg_tool("pg_restore")).args(["--no-owner", &format!("--dbname={restored}"), &dump.display().to_string()]).output().expect("pg_restore");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = Command::new(env!("CARGO_BIN_EXE_sciezka")).arg("migrate").env("DATABASE_URL", &restored).env("SCIEZKA_CONFIG", "/nonexistent/sciezka.env").output().expect("migrate");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    // A consistent moment: the notes in the dump are the first k written, none missing,
    // and every table untouched by the writes equals the source.
    let db = server::Db::connect(&restored).await.expect("open restored");
    let texts: Vec<String> = sqlx::query_scalar("SELECT text FROM notes WHERE client_id = $1 ORDER BY text").bind(client.to_string()).fetch_all(&db.pool).await.expect("notes");
    let expected: Vec<String> = (0..texts.len()).map(|i| format!("notatka {i:03}")).collect();
    assert_eq!(texts, expected);
    db.pool.close().await;
    let written = ["notes", "sync_mutations", "access_log", "audit_log", "sessions", "devices"];
    let (source, copy) = (pg_fingerprint(&app.url).await, pg_fingerprint(&restored).await);
    assert_eq!(source.len(), copy.len());
    for (a, b) in source.iter().zip(&copy) {
        if !written.contains(&a.0.as_str()) {
            assert_eq!(a, b, "table {} differs after pg_restore", a.0);
        }
    }
    assert!(copy.iter().any(|(t, n, _)| t == "clients" && *n >= 1));

    // With the writes over, a second dump restores into an exact copy, every table.
    let out = Command::new(pg_tool("pg_dump")).args(["--format=custom", &format!("--file={}", dump.display()), &app.url]).output().expect("pg_dump");
    assert!(out.status.success());
    let second = format!("restored_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE {second}")).execute(&mut admin).await.expect("create");
    let second = format!("{base}/{second}");
    let out = Command::new(pg_tool("pg_restore")).args(["--no-owner", &format!("--dbname={second}"), &dump.display().to_string()]).output().expect("pg_restore");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(pg_fingerprint(&second).await, pg_fingerprint(&app.url).await);

    // A server runs on the restored database and a person signs in and reads the notes.
    let server = crate::process::start(&restored, &dir.join("server.log")).await;
    let login = json!({"email": "consultant.a@test", "password": crate::helpers::PASSWORD});
    let (status, head, _) = crate::process::try_request(server.port, "POST", "/api/v1/auth/login", &[], Some(&login)).await.expect("login");
    assert_eq!(status, 200);
    let cookie = head.lines().find_map(|l| l.to_ascii_lowercase().starts_with("set-cookie:").then(|| l[11..].split(';').next().unwrap_or("").trim().to_string())).expect("cookie");
    let (status, _, notes) = crate::process::try_request(server.port, "GET", &format!("/api/v1/clients/{client}/notes"), &[("Cookie", &cookie)], None).await.expect("notes");
    assert_eq!(status, 200);
    assert_eq!(notes.as_array().map(Vec::len).or_else(|| notes["notes"].as_array().map(Vec::len)), Some(texts.len()));
    drop(server);
    admin.close().await.expect("close");
    let _ = std::fs::remove_dir_all(&dir);
}
