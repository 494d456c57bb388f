//! The monthly monitoring report on seeded fixtures with known answers: a month with
//! known services, endings and a restart gives exactly the expected tables; the
//! narrative merges field by field; a final report keeps its frozen tables and lists
//! what changed since; exports carry the partnership and month and read back.

use axum::http::{header, Method, StatusCode};
use calamine::{Data, Reader, Xlsx};
use domain::docs::DocType;
use serde_json::{json, Value};

use crate::helpers::{Session, TestApp};

fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).expect("xlsx");
    let range = book.worksheet_range(name).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| match c {
            Data::Float(f) => f.to_string(),
            other => other.to_string(),
        }).collect())
        .collect()
}

async fn put(app: &TestApp, path: &str, body: &Value, s: &Session) -> crate::helpers::Response {
    app.request(Method::PUT, path, Some(body), Some(s)).await
}

#[tokio::test]
async fn a_month_with_known_services_endings_and_a_restart_gives_exactly_the_expected_report() {
    let app = TestApp::spawn().await;
    let consultant = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let (c1, c2, c3) = (
        app.insert_client(&app.person(1, Some(app.consultant_a))).await,
        app.insert_client(&app.person(2, Some(app.consultant_a))).await,
        app.insert_client(&app.person(3, Some(app.consultant_a))).await,
    );
    // c1: supported since September, a single mother with a moderate disability;
    // services on the month's first and last day count, the next day's does not.
    app.create_doc(&consultant, c1, DocType::Support, json!({"labour": "long_term_unemployed", "features": ["single_parent", "rural"],
        "periods": [{"id": "p1", "from": "2025-09-01"}]})).await;
    app.create_doc(&consultant, c1, DocType::Assessment, json!({"disability": "moderate"})).await;
    app.create_doc(&consultant, c1, DocType::Services, json!({"rows": [
        {"id": "s1", "date": "2025-10-31", "service": "job_club", "scope": "warsztaty CV", "finished": true, "remarks": "aktywna"},
        {"id": "s2", "date": "2025-11-01", "service": "internship", "scope": "staż"},
        {"id": "s3", "date": "2025-10-01", "service": "vocational_counselling", "scope": "IPD"},
        {"id": "s4", "date": "2025-09-30", "service": "social_work"}]})).await;
    // c2: support ended on 10 October with a job, and started again on 20 October.
    app.create_doc(&consultant, c2, DocType::Support, json!({"labour": "unemployed", "periods": [
        {"id": "p1", "from": "2025-03-03", "to": "2025-10-10", "reason": "employment", "situation": "Pracuje jako magazynier"},
        {"id": "p2", "from": "2025-10-20"}]})).await;
    // c3: support ended in August: closed, and not in October's report.
    app.create_doc(&consultant, c3, DocType::Support, json!({"periods": [
        {"id": "p1", "from": "2025-01-02", "to": "2025-08-29", "reason": "resigned", "reason_text": "przeprowadzka do córki"}]})).await;
    let status = |c: uuid::Uuid| {
        let pool = app.db.pool.clone();
        async move { sqlx::query_as::<_, (String,)>("SELECT status FROM clients WHERE id = $1").bind(c.to_string()).fetch_one(&pool).await.expect("status").0 }
    };
    assert_eq!((status(c1).await, status(c2).await, status(c3).await), ("active".into(), "active".into(), "closed".into()));

    let path = format!("/api/v1/partnerships/{}/reports/2025-10", app.partnership_a);
    assert_eq!(app.get(&path, &consultant).await.status, StatusCode::FORBIDDEN, "the report is for coordinators");
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.get(&path, &outsider).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&format!("/api/v1/partnerships/{}/reports/2025-13", app.partnership_a), &coord).await.status, StatusCode::BAD_REQUEST);

    let r = app.get(&path, &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let r = r.json();
    assert_eq!((r["status"].as_str(), r["version"].as_i64()), (Some("draft"), Some(0)));
    let t = &r["tables"];
    // Numbered by when support began: c2 in March, c1 in September.
    assert_eq!(t["characteristics"], json!([
        {"no": 1, "client_id": c2, "sex": "female", "age": 40, "labour": "unemployed", "single_parent": false, "disability": "", "features": [], "other_features": ""},
        {"no": 2, "client_id": c1, "sex": "female", "age": 40, "labour": "long_term_unemployed", "single_parent": true, "disability": "moderate", "features": ["rural"], "other_features": ""},
    ]));
    assert_eq!(t["services"], json!([{"no": 2, "client_id": c1, "remarks": ["aktywna"], "services": [
        {"date": "2025-10-01", "service": "vocational_counselling", "scope": "IPD", "finished": false},
        {"date": "2025-10-31", "service": "job_club", "scope": "warsztaty CV", "finished": true}]}]));
    assert_eq!(t["endings"], json!([{"no": 1, "client_id": c2, "ended": "2025-10-10", "weeks": 32, "reason": "employment", "reason_text": "", "situation": "Pracuje jako magazynier"}]));
    // August: c3's ending, with its reason in words.
    let aug = app.get(&format!("/api/v1/partnerships/{}/reports/2025-08", app.partnership_a), &coord).await.json();
    assert_eq!(aug["tables"]["endings"][0]["reason_text"], "przeprowadzka do córki");
    assert_eq!(aug["tables"]["endings"][0]["client_id"], json!(c3));

    // The narrative: two coordinators from the same start merge field by field; the
    // same field typed differently is a conflict, and the server keeps the first.
    let empty = json!({});
    let s1 = put(&app, &path, &json!({"base": empty, "narrative": {"author": "Ewa Koordynator, tel. 600 100 200", "risks": "Mało ofert pracy"}}), &coord).await;
    assert_eq!(s1.status, StatusCode::OK, "{}", s1.text);
    assert_eq!(s1.json()["report"]["version"], 1);
    let coord2 = app.login("coord.a@test").await;
    let s2 = put(&app, &path, &json!({"base": empty, "narrative": {"risks": "Zima", "realised": "Spotkanie partnerów 12.10"}}), &coord2).await.json();
    assert_eq!(s2["conflicts"], json!(["/risks"]));
    let n = &s2["report"]["narrative"];
    assert_eq!((n["risks"].as_str(), n["realised"].as_str(), n["author"].as_str()), (Some("Mało ofert pracy"), Some("Spotkanie partnerów 12.10"), Some("Ewa Koordynator, tel. 600 100 200")));
    let too_long = put(&app, &path, &json!({"base": empty, "narrative": {"remarks": "x".repeat(5_001)}}), &coord).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(too_long.text.contains("/remarks"), "{}", too_long.text);

    // Final: the tables freeze. A service added later shows as "changed since".
    let base = s2["report"]["narrative"].clone();
    let done = put(&app, &path, &json!({"base": base, "narrative": base, "finalise": true}), &coord).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    let frozen = done.json()["report"]["tables"].clone();
    assert_eq!(frozen, *t);
    app.create_doc(&consultant, c2, DocType::Services, json!({"rows": [{"id": "s9", "date": "2025-10-15", "service": "job_placement"}]})).await;
    let after = app.get(&path, &coord).await.json();
    assert_eq!(after["status"], "final");
    assert_eq!(after["tables"], frozen, "a final report keeps its snapshot");
    assert_eq!(after["changed_since"], json!([{"section": "x", "no": 1, "client_id": c2, "what": "added"}]));
    assert!(!after["finalised_by"].as_str().unwrap_or("").is_empty());
    let refused = put(&app, &path, &json!({"base": base, "narrative": {"remarks": "po fakcie"}}), &coord).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);

    // Exports: the frozen tables, named after the partnership and month.
    let xlsx = app.get(&format!("{path}/export.xlsx"), &coord).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.headers[header::CONTENT_DISPOSITION].to_str().expect("cd").contains("raport-monitoringu-Partnerstwo-A-2025-10.xlsx"));
    let ix = sheet(&xlsx.bytes, "IX");
    assert_eq!(ix[2], ["Klient 2", "kobieta", "40", "Długotrwale bezrobotny/a", "tak", "Umiarkowany", "Mieszkaniec/ka obszaru wiejskiego"]);
    assert_eq!(ix.len(), 3);
    let x = sheet(&xlsx.bytes, "X");
    assert_eq!(x.len(), 3, "the service added after the report was final is not in it");
    assert_eq!(x[2][..5], ["Klient 2", "2025-10-31", "Warsztaty klubu pracy", "warsztaty CV", "tak"]);
    let xi = sheet(&xlsx.bytes, "XI");
    assert_eq!(xi[1], ["Klient 1", "2025-10-10", "32", "Podjęcie zatrudnienia", "Pracuje jako magazynier"]);
    let narrative = sheet(&xlsx.bytes, "I-VIII, XII-XIII");
    assert!(narrative.iter().any(|r| r[0] == "VI" && r[1] == "Mało ofert pracy"));
    let csv = app.get(&format!("{path}/export.csv"), &coord).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.text);
    assert!(csv.headers[header::CONTENT_DISPOSITION].to_str().expect("cd").contains("raport-monitoringu-Partnerstwo-A-2025-10.csv"));
    assert!(csv.text.contains("Klient 1,2025-10-10,32,Podjęcie zatrudnienia,Pracuje jako magazynier"), "{}", csv.text);

    // Reads of the report are in the audit log as art. 9 reads.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE detail LIKE 'report 2025-10%' AND action = 'read'")
        .fetch_one(&app.db.pool)
        .await
        .expect("audit");
    assert!(n >= 2);
}

#[tokio::test]
async fn the_yearly_indicators_count_every_month_and_clients_whose_support_ended() {
    let app = TestApp::spawn().await;
    let consultant = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let (c1, c2) = (app.insert_client(&app.person(1, Some(app.consultant_a))).await, app.insert_client(&app.person(2, Some(app.consultant_a))).await);
    app.create_doc(&consultant, c1, DocType::Effects, json!({"rows": [
        {"id": "a", "indicator": "employment", "date": "2025-01-31"}, {"id": "b", "indicator": "employment", "date": "2025-12-01"},
        {"id": "c", "indicator": "internship", "date": "2024-12-31"}]})).await;
    app.create_doc(&consultant, c2, DocType::Effects, json!({"rows": [{"id": "a", "indicator": "employment", "date": "2025-02-01"}]})).await;
    app.create_doc(&consultant, c2, DocType::Support, json!({"periods": [{"id": "p", "from": "2025-01-01", "to": "2025-03-01", "reason": "employment"}]})).await;
    let path = format!("/api/v1/partnerships/{}/indicators/2025", app.partnership_a);
    assert_eq!(app.get(&path, &consultant).await.status, StatusCode::FORBIDDEN);
    let y = app.get(&path, &coord).await.json();
    let employment: Vec<i64> = y["months"].as_array().expect("months").iter().map(|m| m["counts"][0].as_i64().unwrap_or(-1)).collect();
    assert_eq!(employment, [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    assert_eq!((y["clients"][0].as_i64(), y["clients"][1].as_i64()), (Some(2), Some(0)));
    let xlsx = app.get(&format!("{path}/export.xlsx"), &coord).await;
    assert!(xlsx.headers[header::CONTENT_DISPOSITION].to_str().expect("cd").contains("wskazniki-rops-Partnerstwo-A-2025.xlsx"));
    let rows = sheet(&xlsx.bytes, "2025");
    assert_eq!(rows[0][1], "2025-01");
    assert_eq!(rows[1], ["Podjęcie zatrudnienia", "1", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "1", "2"]);
    let csv = app.get(&format!("{path}/export.csv"), &coord).await;
    assert!(csv.text.contains("Podjęcie zatrudnienia,1,1,0,0,0,0,0,0,0,0,0,1,2"), "{}", csv.text);
}
