//! The disk under the SQLite database fills up (a small tmpfs the test mounts): writes
//! are refused with a clear problem (507), nothing is half-stored, and once space
//! returns the same changes apply, once, and the database is intact.

use std::path::PathBuf;
use std::process::Command;

use axum::http::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::TestApp;

/// A tmpfs mounted for the test, unmounted when it ends, however it ends.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(megabytes: u32) -> Option<SmallDisk> {
        let dir = std::env::temp_dir().join(format!("sciezka-full-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&dir).ok()?;
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"]).arg(&dir).status().ok()?.success();
        if mounted {
            Some(SmallDisk(dir))
        } else {
            let _ = std::fs::remove_dir(&dir);
            None
        }
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: a connection a failing test left open must not keep it mounted.
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn notes(client: Uuid, from: usize, n: usize) -> Vec<Value> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    (from..from + n)
        .map(|i| json!({"id": Uuid::now_v7(), "written_at": now, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": client,
            "text": format!("notatka {i:04} {}", "x".repeat(8000))}))
        .collect()
}

#[tokio::test]
async fn a_full_disk_refuses_writes_clearly_and_everything_applies_once_space_returns() {
    if std::env::var("TEST_POSTGRES_URL").is_ok_and(|u| !u.is_empty()) {
        return; // The file and its disk are SQLite's.
    }
    let Some(disk) = SmallDisk::mount(6) else {
        eprintln!("SKIPPED: a tmpfs cannot be mounted here (the test needs root); the full-disk behaviour is not checked");
        return;
    };
    let app = TestApp::spawn_on(format!("sqlite://{}/full.db", disk.0.display()), |_| {}).await;
    let client = app.insert_client(&app.person(80, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    // Everything but a little room goes to another file.
    let filler = disk.0.join("filler");
    let free = fs_free(&disk.0);
    std::fs::write(&filler, vec![0u8; free.saturating_sub(200 * 1024)]).expect("fill");

    let device = Uuid::now_v7();
    let batch = notes(client, 0, 60);
    let push = |mutations: Vec<Value>| {
        let body = json!({"device_id": device, "mutations": mutations});
        let app = &app;
        let s = s.clone();
        async move { app.post("/api/v1/sync/push", &body, &s).await }
    };
    let refused = push(batch.clone()).await;
    assert_eq!(refused.status, StatusCode::INSUFFICIENT_STORAGE, "{}", &refused.text[..refused.text.len().min(300)]);
    assert_eq!(refused.headers["content-type"], "application/problem+json");
    assert_eq!(refused.json()["type"], "/problems/storage-full");
    // The device keeps the batch and sends it again once space returns: each change of
    // it is then stored exactly once, whatever part of it made it in before.
    std::fs::remove_file(&filler).expect("free the space");
    let answered = push(batch.clone()).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", &answered.text[..answered.text.len().min(300)]);
    assert!(answered.json()["results"].as_array().expect("results").iter().all(|r| r["outcome"]["status"] == "applied"));
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes").fetch_one(&app.db.pool).await.expect("notes");
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT text) FROM notes").fetch_one(&app.db.pool).await.expect("notes");
    assert_eq!((after, distinct), (60, 60));
    let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&app.db.pool).await.expect("integrity");
    assert_eq!(check, ["ok"]);
    app.db.pool.close().await;
    drop(app);
    drop(disk);
}

/// Bytes free on the file system holding `dir`.
fn fs_free(dir: &std::path::Path) -> usize {
    let out = Command::new("df").args(["--output=avail", "-B1"]).arg(dir).output().expect("df");
    String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap_or(0)
}
