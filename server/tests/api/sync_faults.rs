//! A device syncing 10,000 changes while its server is killed (SIGKILL) at random
//! moments, three times, and started again on the same address: the device sends each
//! unanswered batch again, and every change is applied exactly once.

use std::time::Duration;

use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{TestApp, PASSWORD};
use crate::process::{free_port, start_on, try_request};

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

    let login = json!({"email": "consultant.a@test", "password": PASSWORD});
    let (status, head, body) = try_request(port, "POST", "/api/v1/auth/login", &[], Some(&login)).await.expect("login");
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = body["csrf_token"].as_str().expect("csrf").to_string();
    let headers = vec![("Cookie".to_string(), cookie), ("X-CSRF-Token".to_string(), csrf)];

    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let mutations: Vec<Value> = (0..10_000)
        .map(|i| json!({"id": Uuid::now_v7(), "written_at": now - 20_000 + i, "op": "add_note", "note_id": Uuid::now_v7(),
            "client_id": client, "text": format!("zmiana {i:05}")}))
        .collect();
    let pushing = tokio::spawn(device(port, headers, Uuid::now_v7(), mutations));

    let mut mid_sync = 0;
    for _ in 0..3 {
        let wait = rand::thread_rng().gen_range(300..1500);
        tokio::time::sleep(Duration::from_millis(wait)).await;
        if !pushing.is_finished() {
            mid_sync += 1;
        }
        server.child.kill().expect("SIGKILL");
        server.child.wait().expect("wait");
        tokio::time::sleep(Duration::from_millis(200)).await;
        server = start_on(&app.url, &log, port).await;
    }
    let outcomes = tokio::time::timeout(Duration::from_secs(300), pushing).await.expect("the sync finished").expect("device");
    assert!(mid_sync >= 2, "the kills came after the sync: the test proves nothing ({mid_sync})");
    assert_eq!(outcomes.len(), 10_000);
    assert!(outcomes.iter().all(|o| o == "applied"), "{:?}", outcomes.iter().find(|o| *o != "applied"));

    let notes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes WHERE client_id = $1").bind(client.to_string()).fetch_one(&app.db.pool).await.expect("notes");
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT text) FROM notes WHERE client_id = $1").bind(client.to_string()).fetch_one(&app.db.pool).await.expect("distinct");
    let recorded: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_mutations").fetch_one(&app.db.pool).await.expect("mutations");
    assert_eq!((notes, distinct, recorded), (10_000, 10_000, 10_000), "every change exactly once");
    if app.url.starts_with("sqlite") {
        let check: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&app.db.pool).await.expect("integrity");
        assert_eq!(check, ["ok"]);
    }
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
