//! A device syncing 10,000 changes while its server is killed (SIGKILL) at random
//! moments, three times, and started again on the same address: the device sends each
//! unanswered batch again, and every change is applied exactly once.

use std::time::Duration;

use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::process::{free_port, sign_in, start_on, try_request};

fn notes_for(client: Uuid, n: usize) -> Vec<Value> {
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    (0..n)
        .map(|i| json!({"id": Uuid::now_v7(), "written_at": now - 20_000 + i as i64, "op": "add_note", "note_id": Uuid::now_v7(),
            "client_id": client, "text": format!("zmiana {i:05}")}))
        .collect()
}

async fn count_notes(app: &TestApp, client: Uuid) -> (i64, i64) {
    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes WHERE client_id = $1").bind(client.to_string()).fetch_one(&app.db.pool).await.expect("notes");
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT text) FROM notes WHERE client_id = $1").bind(client.to_string()).fetch_one(&app.db.pool).await.expect("distinct");
    (notes, distinct)
}

/// Pushes every batch until the server answers it; returns each mutation's outcome.
async fn device(port: u16, headers: Vec<(String, String)>, device: Uuid, mutations: Vec<Value>) -> Vec<String> {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut outcomes = Vec::new();
    for batch in mutations.chunks(domain::sync::MAX_BATCH) {
        loop {
            let body = json!({"device_id": device, "mutations": batch});
            match try_request(port, "POST", "/api/v1/sync/push", &headers, Some(&body)).await {
                Ok((200, _, answer)) => {
                    let results = answer["results"].as_array().expect("results");
                    outcomes.extend(results.iter().map(|r| r["outcome"]["status"].as_str().unwrap_or("").to_string()));
                    break;
                }
                // Gone, cut off half-way, or starting: the batch is kept and sent again.
                _ => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
    }
    outcomes
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_killed_three_times_during_a_10000_change_sync_applies_every_change_exactly_once() {
    let app = TestApp::spawn().await;
    let client = app.insert_client(&app.person(70, Some(app.consultant_a))).await;
    let dir = std::env::temp_dir().join(format!("sciezka-faults-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let log = dir.join("server.log");
    let port = free_port();
    let mut server = start_on(&app.url, &log, port).await;

    let headers = sign_in(port, "consultant.a@test").await;
    let pushing = tokio::spawn(device(port, headers, Uuid::now_v7(), notes_for(client, 10_000)));

    // Each kill comes when a random share of the changes is stored: mid-sync by
    // construction, whatever the machine's speed.
    let mut mid_sync = 0;
    for range in [500..3000, 3500..6000, 6500..9000] {
        let at = rand::thread_rng().gen_range(range);
        let waited = std::time::Instant::now();
        while count_notes(&app, client).await.0 < at && !pushing.is_finished() {
            assert!(waited.elapsed() < Duration::from_secs(120), "the sync stalled");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        if !pushing.is_finished() {
            mid_sync += 1;
        }
        server.child.kill().expect("SIGKILL");
        server.child.wait().expect("wait");
        tokio::time::sleep(Duration::from_millis(200)).await;
        server = start_on(&app.url, &log, port).await;
    }
    let outcomes = tokio::time::timeout(Duration::from_secs(300), pushing).await.expect("the sync finished").expect("device");
    assert_eq!(mid_sync, 3, "the kills came after the sync: the test proves nothing");
    assert_eq!(outcomes.len(), 10_000);
    assert!(outcomes.iter().all(|o| o == "applied"), "{:?}", outcomes.iter().find(|o| *o != "applied"));

    let (notes, distinct) = count_notes(&app, client).await;
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_mutations").fetch_one(&app.db.pool).await.expect("mutations");
    assert_eq!((notes, distinct, recorded), (10_000, 10_000, 10_000), "every change exactly once");
    if app.url.starts_with("sqlite") {
        let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&app.db.pool).await.expect("integrity");
        assert_eq!(check, ["ok"]);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

/// PostgreSQL restarted twice, as after a crash, while a device syncs and a coordinator
/// reads the dashboard: the server recovers by itself, the device's retries apply every
/// change exactly once, and the dashboard answers again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_restarted_during_sync_and_dashboard_reads_the_server_recovers_by_itself() {
    let Ok(restart) = std::env::var("TEST_PG_RESTART") else { return };
    let app = TestApp::spawn().await;
    if !app.url.starts_with("postgres") {
        return;
    }
    let client = app.insert_client(&app.person(71, Some(app.consultant_a))).await;
    let dir = std::env::temp_dir().join(format!("sciezka-pgfaults-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let port = free_port();
    let server = start_on(&app.url, &dir.join("server.log"), port).await;
    let consultant = sign_in(port, "consultant.a@test").await;
    let coordinator = sign_in(port, "coord.a@test").await;
    let pushing = tokio::spawn(device(port, consultant, Uuid::now_v7(), notes_for(client, 5_000)));
    let dashboard = format!("/api/v1/partnerships/{}/dashboard", app.partnership_a);
    let reading = {
        let (dashboard, coordinator) = (dashboard.clone(), coordinator.clone());
        tokio::spawn(async move {
            let headers: Vec<(&str, &str)> = coordinator.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let mut statuses = Vec::new();
            for _ in 0..200 {
                statuses.push(try_request(port, "GET", &dashboard, &headers, None).await.map(|r| r.0).unwrap_or(0));
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            statuses
        })
    };
    let mut mid_sync = 0;
    for _ in 0..2 {
        let wait = rand::thread_rng().gen_range(200..800);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        if !pushing.is_finished() {
            mid_sync += 1;
        }
        let restarted = tokio::task::spawn_blocking({
            let restart = restart.clone();
            move || std::process::Command::new(restart).status().expect("restart PostgreSQL").success()
        })
        .await
        .expect("restart");
        assert!(restarted, "PostgreSQL did not restart");
    }
    let outcomes = tokio::time::timeout(Duration::from_secs(300), pushing).await.expect("the sync finished").expect("device");
    assert!(mid_sync >= 1, "the restarts came after the sync");
    assert!(outcomes.iter().all(|o| o == "applied"));
    assert_eq!(count_notes(&app, client).await, (5_000, 5_000), "every change exactly once");
    let statuses = reading.await.expect("reader");
    assert!(statuses.iter().all(|s| [200, 500, 503].contains(s) || *s == 0), "{statuses:?}");
    // Recovered: the dashboard answers again without the server being touched.
    let headers: Vec<(&str, &str)> = coordinator.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut last = 0;
    for _ in 0..50 {
        last = try_request(port, "GET", &dashboard, &headers, None).await.map(|r| r.0).unwrap_or(0);
        if last == 200 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(last, 200);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
