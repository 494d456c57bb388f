//! The access log as a tool (issue 19): filters by person, client, action and days,
//! keyset pages that neither skip nor repeat, exports of the filtered view, and one
//! client's "who saw my data"; reading the log is itself logged.

use axum::http::StatusCode;
use calamine::{Reader, Xlsx};
use serde_json::Value;

use crate::helpers::{Session, TestApp};

fn log(app: &TestApp, query: &str) -> String {
    format!("/api/v1/partnerships/{}/audit?{query}", app.partnership_a)
}

async fn items(app: &TestApp, s: &Session, query: &str) -> Vec<Value> {
    let r = app.get(&log(app, query), s).await;
    assert_eq!(r.status, StatusCode::OK, "{query}: {}", r.text);
    r.json()["items"].as_array().expect("items").clone()
}

#[tokio::test]
async fn the_access_log_filters_pages_and_exports_and_answers_who_saw_one_client() {
    let app = TestApp::spawn().await;
    let anna = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let first = app.post("/api/v1/clients", &app.person(1, None), &anna).await.json()["id"].as_str().expect("id").to_string();
    let second = app.post("/api/v1/clients", &app.person(2, None), &anna).await.json()["id"].as_str().expect("id").to_string();
    for _ in 0..3 {
        app.get(&format!("/api/v1/clients/{first}"), &anna).await;
    }
    app.get(&format!("/api/v1/clients/{second}"), &anna).await;
    app.get(&format!("/api/v1/clients/{first}"), &coord).await;

    // One client: who saw them, and nothing about anyone else.
    let about_first = items(&app, &coord, &format!("client={first}")).await;
    assert_eq!(about_first.len(), 5, "{about_first:?}");
    assert!(about_first.iter().all(|e| e["client_id"] == first.as_str()));
    assert_eq!(about_first[0]["user_name"], "Koordynator A");
    assert_eq!(about_first.last().map(|e| e["action"].clone()), Some("create".into()));
    // By person, by action, by days.
    assert!(items(&app, &coord, &format!("person={}", app.consultant_a)).await.iter().all(|e| e["user_name"] == "Konsultant A"));
    assert_eq!(items(&app, &coord, "action=create").await.len(), 2);
    let today = server::today();
    assert_eq!(items(&app, &coord, &format!("action=create&from={today}&to={today}")).await.len(), 2);
    let yesterday = today - time::Duration::days(1);
    assert_eq!(items(&app, &coord, &format!("action=create&to={yesterday}")).await.len(), 0);
    // Refused filters say why, as problems.
    for bad in ["action=peeked", "from=30.11.2026", "to=2026-13-01", "nonsense=1"] {
        let r = app.get(&log(&app, bad), &coord).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(r.headers["content-type"], "application/problem+json", "{bad}");
    }
    // Consultants do not read the log.
    assert_eq!(app.get(&log(&app, ""), &anna).await.status, StatusCode::FORBIDDEN);

    // Pages of two, newest first: together they are the whole log once, in order.
    let whole = items(&app, &coord, "limit=500").await;
    let mut walked = Vec::new();
    let mut query = "limit=2".to_string();
    loop {
        let page = app.get(&log(&app, &query), &coord).await.json();
        walked.extend(page["items"].as_array().expect("items").iter().map(|e| e["id"].as_i64().expect("id")));
        match page["next"].as_i64() {
            Some(n) => query = format!("limit=2&before={n}"),
            None => break,
        }
    }
    // The walk's first page added its own entry (reading the log is logged).
    let ids: Vec<i64> = whole.iter().map(|e| e["id"].as_i64().expect("id")).collect();
    assert_eq!(walked[1..], ids[..], "no entry skipped or repeated");
    assert!(walked.windows(2).all(|w| w[0] > w[1]), "newest first");
    assert!(whole.iter().any(|e| e["detail"].as_str().is_some_and(|d| d.starts_with("access log client="))), "reading the log is in the log");

    // The filtered view as files: the same entries, in the request's language.
    let csv = app.get(&format!("/api/v1/partnerships/{}/audit/export.csv?client={first}", app.partnership_a), &coord).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let text = csv.text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Kiedy,Kto,Czynność,Klient,Szczegóły");
    assert!(lines[1..].iter().all(|l| l.contains("Nowak1 Anna")), "{text}");
    let xlsx = app.get(&format!("/api/v1/partnerships/{}/audit/export.xlsx?person={}", app.partnership_a, app.consultant_a), &coord).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).expect("xlsx");
    let range = book.worksheet_range("log").expect("sheet");
    let who: Vec<String> = range.rows().skip(1).map(|r| r[1].to_string()).collect();
    assert!(!who.is_empty() && who.iter().all(|w| w == "Konsultant A"), "{who:?}");
    let exported: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%exported as %'").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(exported, 2, "every export is logged");
}

#[tokio::test]
async fn the_access_log_leaves_locked_with_a_password_when_asked() {
    use std::io::Read;
    let app = TestApp::spawn().await;
    let mut person = app.person(7, Some(app.consultant_a));
    person["surname"] = serde_json::json!("Zamknięta");
    let client = app.insert_client(&person).await;
    let anna = app.login("consultant.a@test").await;
    assert_eq!(app.get(&format!("/api/v1/clients/{client}"), &anna).await.status, StatusCode::OK);
    let coord = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/audit/export.zip?client={client}", app.partnership_a);

    let r = app.post(&path, &serde_json::json!({"password": "za-krotkie"}), &coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.post(&path, &serde_json::json!({"password": "zielony-parasol-2026"}), &anna).await.status, StatusCode::FORBIDDEN);
    let r = app.post(&path, &serde_json::json!({"password": "zielony-parasol-2026"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(!r.bytes.windows(5).any(|w| w == b"Zamkn"), "the client's name is not readable in the archive");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(r.bytes.clone())).expect("zip");
    assert_eq!(archive.len(), 2);
    assert!(archive.by_index(0).is_err(), "it opens only with the password");
    let csv_at = (0..archive.len()).find(|&i| archive.name_for_index(i).is_some_and(|n| n.is_ok_and(|n| n.ends_with(".csv")))).expect("csv");
    let mut csv = String::new();
    archive.by_index_decrypt(csv_at, b"zielony-parasol-2026").expect("password").read_to_string(&mut csv).expect("read");
    assert!(csv.contains("Zamknięta") && csv.contains("Konsultant A"), "{csv}");
    // An export is recorded also when asked as a later page would be.
    let r = app.get(&format!("/api/v1/partnerships/{}/audit/export.csv?client={client}&before=999999999", app.partnership_a), &coord).await;
    assert_eq!(r.status, StatusCode::OK);
    let log = items(&app, &coord, &format!("client={client}")).await;
    assert!(log.iter().any(|e| e["detail"].as_str().is_some_and(|d| d.ends_with("exported as a ZIP archive locked with a password"))), "{log:?}");
    assert!(log.iter().any(|e| e["detail"].as_str().is_some_and(|d| d.ends_with("exported as CSV"))), "{log:?}");
}
