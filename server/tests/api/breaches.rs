//! The register of personal-data breaches (issue 20, GDPR art. 33(5)): recorded and
//! updated by a partnership's coordinator or its data protection officer, the
//! 72-hour deadline counted, closing refused until every duty is met or explained,
//! updates guarded by version, every change in the access log, entries never deleted,
//! and nothing for a consultant or another partnership.

use axum::http::{Method, StatusCode};
use domain::org::Role;
use domain::validation::warsaw_minute;
use serde_json::{json, Value};

use crate::helpers::{Response, Session, TestApp, PASSWORD};

fn breach(found_hours_ago: i64) -> Value {
    json!({
        // Half an hour more, so the whole hours left do not depend on the second the test runs.
        "found_at": warsaw_minute(server::now() - found_hours_ago * 3600 - 1800),
        "what_happened": "Zgubiony pendrive z listą uczestników",
        "data": "Imiona, nazwiska i adresy klientów, informacja o niepełnosprawności",
        "people": 12,
        "risk": "risk",
    })
}

/// A replacement of an entry from the version `version`.
async fn put(app: &TestApp, s: &Session, path: String, body: Value, version: i64) -> Response {
    let req = axum::http::Request::builder()
        .method(Method::PUT)
        .uri(&path)
        .header("cookie", &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header("if-match", format!("\"{version}\""))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    app.raw(req).await
}

#[tokio::test]
async fn a_breach_is_recorded_counted_down_to_its_deadline_and_closed_once_reported() {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/breaches", app.partnership_a);

    let r = app.post(&path, &json!({"found_at": "", "what_happened": "", "data": "", "risk": "risk"}), &coordinator).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["errors"].as_array().expect("errors").iter().filter_map(|e| e["pointer"].as_str().map(String::from)).collect();
    assert_eq!(fields, ["/found_at", "/what_happened", "/data"]);

    let r = app.post(&path, &breach(2), &coordinator).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let first = r.json();
    assert_eq!((first["number"].as_i64(), first["hours_left"].as_i64(), first["version"].as_i64()), (Some(1), Some(69), Some(1)), "{first}");
    assert_eq!(first["recorded_by"], "Koordynator A");
    let second = app.post(&path, &breach(80), &coordinator).await.json();
    assert_eq!((second["number"].as_i64(), second["hours_left"].as_i64()), (Some(2), Some(-9)), "overdue: {second}");
    let list = app.get(&path, &coordinator).await.json();
    let numbers: Vec<i64> = list.as_array().expect("list").iter().filter_map(|b| b["number"].as_i64()).collect();
    assert_eq!(numbers, [2, 1], "newest first");

    // Closing asks for what was done and the report to UODO.
    let id = first["id"].as_str().expect("id");
    let entry = format!("{path}/{id}");
    let replace = |body: Value, version: i64| put(&app, &coordinator, entry.clone(), body, version);
    let mut closing = breach(2);
    closing["closed"] = json!(true);
    let r = replace(closing.clone(), 1).await;
    let codes: Vec<String> = r.json()["errors"].as_array().expect("errors").iter().map(|e| format!("{}:{}", e["pointer"].as_str().unwrap_or(""), e["code"].as_str().unwrap_or(""))).collect();
    assert_eq!(codes, ["/measures:to_close", "/reported_at:to_close"], "{}", r.text);
    closing["measures"] = json!("Zmienione hasła, zawiadomieni klienci");
    closing["reported_at"] = json!(warsaw_minute(server::now() - 600));
    let r = replace(closing.clone(), 1).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let closed = r.json();
    assert_eq!((closed["input"]["closed"].clone(), closed["hours_left"].clone(), closed["version"].as_i64()), (json!(true), Value::Null, Some(2)));
    // An update from the version someone else already replaced is refused; none at all asks for one.
    assert_eq!(replace(closing.clone(), 1).await.status, StatusCode::CONFLICT);
    assert_eq!(app.request(Method::PUT, &entry, Some(&closing), Some(&coordinator)).await.status, StatusCode::PRECONDITION_REQUIRED);
    let unknown = format!("{path}/{}", uuid::Uuid::now_v7());
    assert_eq!(put(&app, &coordinator, unknown, closing.clone(), 1).await.status, StatusCode::NOT_FOUND);

    // Every change is in the access log; the register keeps its entries.
    let log = app.get(&format!("/api/v1/partnerships/{}/audit?action=update", app.partnership_a), &coordinator).await.json();
    // What changed, old and new, is in the log: a register corrected is never rewritten silently.
    assert!(
        log["items"].as_array().expect("items").iter().any(|e| e["detail"].as_str().is_some_and(|d| d.starts_with("breach 1 updated: closed; reported_at '' -> '")
            && d.contains("measures changed")
            && d.ends_with("; closed"))),
        "{log}"
    );
    let log = app.get(&format!("/api/v1/partnerships/{}/audit?action=create", app.partnership_a), &coordinator).await.json();
    assert!(log["items"].as_array().expect("items").iter().any(|e| e["detail"].as_str().is_some_and(|d| d.starts_with("breach 2 recorded"))), "{log}");
    // Reopened, it keeps its report and counts down nothing; the log says so.
    let mut reopened = closing.clone();
    reopened["closed"] = json!(false);
    let r = replace(reopened, 2).await;
    assert_eq!((r.status, r.json()["input"]["closed"].clone(), r.json()["hours_left"].clone()), (StatusCode::OK, json!(false), Value::Null), "{}", r.text);
    let log = app.get(&format!("/api/v1/partnerships/{}/audit?action=update", app.partnership_a), &coordinator).await.json();
    assert!(log["items"].as_array().expect("items").iter().any(|e| e["detail"] == "breach 1 updated: reported; reopened"), "{log}");
    let deleted = sqlx::query("DELETE FROM breaches").execute(&app.db.pool).await;
    assert!(deleted.is_err(), "the register keeps every entry");
}

#[tokio::test]
async fn the_data_protection_officer_keeps_the_register_and_nobody_else_reads_it() {
    let app = TestApp::spawn().await;
    let ops: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1").bind(app.coordinator_a.to_string()).fetch_one(&app.db.pool).await.expect("org");
    let iod = server::seed::user(&app.db, "iod@test", "Inspektor Danych", ops.parse().expect("uuid"), PASSWORD).await.expect("user");
    server::seed::grant(&app.db, iod, app.partnership_a, Role::DataProtectionOfficer).await.expect("grant");
    let iod = app.login("iod@test").await;
    let path = format!("/api/v1/partnerships/{}/breaches", app.partnership_a);
    let r = app.post(&path, &breach(1), &iod).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["recorded_by"], "Inspektor Danych");
    assert_eq!(app.get(&path, &iod).await.json().as_array().map(Vec::len), Some(1));
    // A consultant of the partnership is refused; someone of another gets nothing.
    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.get(&path, &consultant).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&path, &breach(1), &consultant).await.status, StatusCode::FORBIDDEN);
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.get(&path, &outsider).await.status, StatusCode::NOT_FOUND);
    // The officer writes the next steps; a consultant may not.
    let entry = app.get(&path, &iod).await.json()[0].clone();
    let at = format!("{path}/{}", entry["id"].as_str().expect("id"));
    let mut next = entry["input"].clone();
    next["reported_at"] = json!(warsaw_minute(server::now() - 60));
    assert_eq!(put(&app, &consultant, at.clone(), next.clone(), 1).await.status, StatusCode::FORBIDDEN);
    let r = put(&app, &iod, at.clone(), next.clone(), 1).await;
    assert_eq!((r.status, r.json()["updated_by"].clone()), (StatusCode::OK, json!("Inspektor Danych")), "{}", r.text);
    // A coordinator of another partnership reaches no entry of this one, also through
    // their own partnership's address.
    let ngo: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1").bind(app.consultant_b.to_string()).fetch_one(&app.db.pool).await.expect("org");
    let b: String = sqlx::query_scalar("SELECT id FROM partnerships WHERE name = 'Partnerstwo B'").fetch_one(&app.db.pool).await.expect("b");
    let coord_b = server::seed::user(&app.db, "coord.b@test", "Koordynator B", ngo.parse().expect("uuid"), PASSWORD).await.expect("user");
    server::seed::grant(&app.db, coord_b, b.parse().expect("uuid"), Role::Coordinator).await.expect("grant");
    let coord_b = app.login("coord.b@test").await;
    let through_b = format!("/api/v1/partnerships/{b}/breaches/{}", entry["id"].as_str().expect("id"));
    assert_eq!(put(&app, &coord_b, through_b, next.clone(), 2).await.status, StatusCode::NOT_FOUND);
    assert_eq!(put(&app, &coord_b, at, next, 2).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/partnerships/{b}/breaches"), &coord_b).await.json(), json!([]));
    // A time not yet come, or no time, is refused at its field.
    let mut future = breach(-5);
    future["reported_at"] = json!("jutro");
    let r = app.post(&path, &future, &iod).await;
    let codes: Vec<String> = r.json()["errors"].as_array().expect("errors").iter().filter_map(|e| e["code"].as_str().map(String::from)).collect();
    assert_eq!(codes, ["future", "datetime"], "{}", r.text);
}

#[tokio::test]
async fn breaches_recorded_at_once_get_consecutive_numbers() {
    let app = TestApp::spawn().await;
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/breaches", app.partnership_a);
    let body = breach(1);
    let sends = (0..8).map(|_| app.post(&path, &body, &coordinator));
    let answers = futures::future::join_all(sends).await;
    let mut numbers: Vec<i64> = answers
        .iter()
        .map(|r| {
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
            r.json()["number"].as_i64().expect("number")
        })
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=8).collect::<Vec<_>>());
}
