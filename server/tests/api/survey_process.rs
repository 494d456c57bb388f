//! The survey against the real `sciezka serve` process: killed (SIGKILL) with answers
//! in its memory and started again, the devices sending their sealed copies again;
//! a round closed by another process; and the process's whole output, with
//! `RUST_LOG=trace`, searched for the respondents' ports, browsers and submissions.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::process::{get, post, start};

async fn counted(app: &TestApp, round: &str) -> i64 {
    sqlx::query_scalar("SELECT n FROM survey_counters WHERE survey_id = $1 AND question = '*' AND choice = '*'")
        .bind(round)
        .fetch_one(&app.db.pool)
        .await
        .expect("counter")
}

/// Whatever the log holds must say nothing of a respondent or a submission.
fn assert_says_nothing(log: &str, ports: &[u16], token: &str) {
    for port in ports {
        assert!(!log.contains(&format!(":{port}")) && !log.contains(&format!("port: {port}")), "the log holds a respondent's port {port}");
    }
    for needle in ["Respondent-UA", token, "/api/v1/survey", "survey_", "sealed"] {
        assert!(!log.contains(needle), "the log holds {needle:?}:\n{}", log.lines().filter(|l| l.contains(needle)).take(5).collect::<Vec<_>>().join("\n"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_acknowledged_answer_and_its_trace_log_says_nothing_of_the_respondents() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = app.login("coord.a@test").await;
    let round = app.post(&format!("/api/v1/partnerships/{}/surveys", app.partnership_a), &json!({"period": "2026-11"}), &coord).await.json();
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("token").to_string());
    let key = app.request(axum::http::Method::GET, &format!("/api/v1/survey/{token}"), None, None).await.json()["kiosk_key"].as_str().expect("key").to_string();
    // Twelve answers as kiosks and phones keep them: sealed, each with its own id.
    let sealed: Vec<Value> = (0..12)
        .map(|i| {
            let sub = domain::survey::api::Submission {
                answer: serde_json::from_value(json!({"choices": {"q1": ["yes"], "q2": ["over10"], "q12": [if i % 2 == 0 { "def_yes" } else { "rather_no" }]},
                    "texts": {"q8": format!("Oczekiwanie-{i:02}")}}))
                .expect("answer"),
                code: None,
                id: Some(uuid::Uuid::new_v4().to_string()),
            };
            serde_json::to_value(server::store::survey::kiosk::seal(&key, &sub).expect("seal")).expect("json")
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("sciezka-process-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = format!("/api/v1/survey/{token}/sealed");

    let first = start(&app.url, &dir.join("first.log")).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = std::fs::metadata(&first.log).expect("log").len();
    let mut ports = Vec::new();
    for (i, one) in sealed.iter().enumerate() {
        let (port, status, body) = post(first.port, &path, &json!({"answers": [one]}), &format!("Respondent-UA-{i:02}")).await;
        assert_eq!(status, 200, "{body}");
        assert!(["received", "counted"].contains(&body["fates"][0]["status"].as_str().unwrap_or("")), "{body}");
        ports.push(port);
    }
    // Not one line was written while only respondents were served, at trace level.
    assert_eq!(std::fs::metadata(&first.log).expect("log").len(), before, "the log grew while respondents answered");
    // Ten waited, so a batch of 5 is stored; seven are only in the process's memory.
    assert_eq!(counted(&app, &id).await, 5);
    let mut first = first;
    // A request of someone signed in is logged at this level, by its route.
    let (_, status, _) = get(first.port, "/api/v1/auth/me").await;
    assert_eq!(status, 401);
    first.child.kill().expect("SIGKILL");
    first.child.wait().expect("wait");
    let log = std::fs::read_to_string(&first.log).expect("log");
    assert!(log.contains("DEBUG") && log.contains("/api/v1/auth/me"), "the server logs requests at this level: {}", &log[..log.len().min(500)]);
    assert_says_nothing(&log, &ports, &token);

    // Started again: the devices send all they keep; what was counted is recognised.
    let second = start(&app.url, &dir.join("second.log")).await;
    let (port, status, body) = post(second.port, &path, &json!({"answers": sealed}), "Respondent-UA-99").await;
    ports.push(port);
    assert_eq!(status, 200, "{body}");
    let fates: Vec<&str> = body["fates"].as_array().expect("fates").iter().map(|f| f["status"].as_str().unwrap_or("")).collect();
    assert_eq!(fates.iter().filter(|f| **f == "counted").count(), 5, "{fates:?}");
    assert_eq!(fates.iter().filter(|f| **f == "received").count(), 7, "{fates:?}");
    assert_eq!(counted(&app, &id).await, 5);

    // Another process closes the round: the serving process settles its seven within seconds.
    let closed = app.post(&format!("/api/v1/surveys/{id}/close"), &json!({}), &coord).await;
    assert_eq!(closed.status, axum::http::StatusCode::OK, "{}", closed.text);
    let waited = Instant::now();
    while counted(&app, &id).await != 12 {
        assert!(waited.elapsed() < Duration::from_secs(30), "the seven held answers were not counted at the close");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let (port, _, body) = post(second.port, &path, &json!({"answers": [sealed[0]]}), "Respondent-UA-98").await;
    ports.push(port);
    assert_eq!(body["fates"][0]["status"], "closed");
    drop(second);
    let log = std::fs::read_to_string(dir.join("second.log")).expect("log");
    assert_says_nothing(&log, &ports, &token);
    let _ = std::fs::remove_dir_all(&dir);
}
