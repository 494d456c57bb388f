//! `seed-demo` shows a living partnership: a new user's first look at the dashboard
//! and last month's report finds real-looking figures, not zeros.

use crate::helpers::TestApp;

#[tokio::test]
async fn the_demo_fills_the_dashboard_and_last_months_report() {
    let app = TestApp::spawn().await;
    assert!(server::seed::demo(&app.db).await.expect("demo"), "loaded once");
    assert!(!server::seed::demo(&app.db).await.expect("demo again"), "a second run changes nothing");
    let s = app.login_with("koordynator@mops.demo", server::seed::DEMO_PASSWORD).await;
    let me = app.get("/api/v1/auth/me", &s).await.json();
    let p = me["memberships"].as_array().expect("memberships").iter().find(|m| m["role"] == "coordinator").expect("coordinator")["partnership_id"]
        .as_str()
        .expect("id")
        .to_string();

    let d = app.get(&format!("/api/v1/partnerships/{p}/dashboard"), &s).await.json();
    assert_eq!(d["active_clients"].as_i64().map(|n| n >= 30), Some(true), "{}", d["active_clients"]);
    let due = d["due"].as_array().expect("due");
    assert!(due.iter().any(|i| i["overdue"] == true), "an overdue task");
    assert!(due.iter().filter(|i| i["overdue"] == false).count() >= 3, "tasks and evaluations due soon: {due:?}");
    let reached: u64 = d["indicators"].as_array().expect("months").iter().flat_map(|m| m["counts"].as_array().cloned().unwrap_or_default()).filter_map(|c| c.as_u64()).sum();
    assert!(reached >= 5, "indicators reached over six months: {reached}");
    assert!(d["survey"]["respondents"].as_u64().is_some_and(|n| n >= 5));
    // Everyone's authorisation is recorded; one ends within 30 days.
    assert_eq!(d["authorisations"].as_array().map(Vec::len), Some(1), "{}", d["authorisations"]);
    assert_eq!(d["authorisations"][0]["lapsed"], false);

    let month = domain::calendar::Month::of(server::today()).previous();
    let r = app.get(&format!("/api/v1/partnerships/{p}/reports/{month}"), &s).await;
    assert_eq!(r.status, axum::http::StatusCode::OK, "{}", r.text);
    let t = &r.json()["tables"];
    assert!(t["characteristics"].as_array().is_some_and(|a| a.len() >= 30), "IX");
    assert!(t["services"].as_array().is_some_and(|a| a.len() >= 30), "X");
    assert!(t["endings"].as_array().is_some_and(|a| !a.is_empty()), "XI: a course of support ended with a job");
    // The partnership's paperwork: the agreement in force, the plan with its schedule,
    // the report of the month before last final and last month's a draft with its text.
    let a = app.get(&format!("/api/v1/partnerships/{p}/docs/agreement"), &s).await.json();
    assert_eq!(a["agreement"]["state"], "in_force", "{}", a["agreement"]);
    assert_eq!(a["agreement"]["signatures"].as_array().map(Vec::len), Some(3));
    let plan = app.get(&format!("/api/v1/partnerships/{p}/docs/plan"), &s).await.json();
    assert!(plan["data"]["schedule"].as_array().is_some_and(|a| a.len() >= 5), "{}", plan["data"]);
    assert!(plan["data"]["indicators"].as_array().is_some_and(|a| !a.is_empty()));
    let draft = r.json();
    assert_eq!(draft["status"], "draft");
    assert!(draft["narrative"]["realised"].as_str().is_some_and(|t| !t.is_empty()));
    let before = app.get(&format!("/api/v1/partnerships/{p}/reports/{}", month.previous()), &s).await.json();
    assert_eq!(before["status"], "final", "{}", before["status"]);
    assert!(before["tables"]["services"].as_array().is_some_and(|a| !a.is_empty()), "frozen with its tables");
    // Each consultant's caseload offline carries the notes and documents too.
    let anna = app.login_with("anna.nowak@mops.demo", server::seed::DEMO_PASSWORD).await;
    let caseload = app.get("/api/v1/sync/caseload", &anna).await.json();
    assert!(caseload["notes"].as_array().is_some_and(|n| n.len() >= 24));
    assert!(caseload["documents"].as_array().is_some_and(|n| n.len() >= 48));
}
