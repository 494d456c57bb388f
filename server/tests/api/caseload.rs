use axum::http::StatusCode;
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_sixteenth_client_needs_a_coordinators_written_reason() {
    let app = TestApp::spawn().await;
    for n in 0..14 {
        app.insert_client(&app.person(n, Some(app.consultant_a))).await;
    }
    let consultant = app.login("consultant.a@test").await;
    // The 15th is fine.
    let r = app.post("/api/v1/clients", &app.person(14, Some(app.consultant_a)), &consultant).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    // The 16th is refused with a clear message on the consultant field.
    let r = app.post("/api/v1/clients", &app.person(15, Some(app.consultant_a)), &consultant).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["pointer"], "/key_consultant_id");
    assert_eq!(r.json()["errors"][0]["code"], "caseload_full");
    assert!(r.json()["errors"][0]["message"].as_str().unwrap_or("").contains("15"));
    // A consultant cannot override, even with a reason.
    let mut with_reason = app.person(15, Some(app.consultant_a));
    with_reason["caseload_override_reason"] = json!("Zastępstwo za konsultantkę na urlopie.");
    let r = app.post("/api/v1/clients", &with_reason, &consultant).await;
    assert_eq!(r.json()["errors"][0]["code"], "override_not_allowed");
    // A coordinator can, and the reason is kept with who decided.
    let coordinator = app.login("coord.a@test").await;
    let r = app.post("/api/v1/clients", &with_reason, &coordinator).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["data"]["caseload_override_reason"], "Zastępstwo za konsultantkę na urlopie.");
    assert!(r.json()["caseload_override_by"].as_str().unwrap_or("").starts_with("Koordynator A"));
    let consultants = app.get(&format!("/api/v1/partnerships/{}/consultants", app.partnership_a), &coordinator).await;
    assert_eq!(consultants.json()[0]["active_clients"], 16);
}

#[tokio::test]
async fn groups_count_as_one_and_clients_without_consultant_do_not_count() {
    let app = TestApp::spawn().await;
    for n in 0..14 {
        app.insert_client(&app.person(n, Some(app.consultant_a))).await;
    }
    app.insert_client(&app.person(100, None)).await;
    let s = app.login("consultant.a@test").await;
    let group = json!({
        "partnership_id": app.partnership_a, "kind": "group", "work_form": "group",
        "key_consultant_id": app.consultant_a, "name": "Grupa wsparcia", "contact_person": "Jan Kos"
    });
    assert_eq!(app.post("/api/v1/clients", &group, &s).await.status, StatusCode::CREATED);
    let r = app.post("/api/v1/clients", &app.person(20, Some(app.consultant_a)), &s).await;
    assert_eq!(r.json()["errors"][0]["code"], "caseload_full");
}

#[tokio::test]
async fn only_consultants_of_the_partnership_can_be_assigned() {
    let app = TestApp::spawn().await;
    let s = app.login("coord.a@test").await;
    for who in [app.consultant_b, app.coordinator_a] {
        let r = app.post("/api/v1/clients", &app.person(1, Some(who)), &s).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(r.json()["errors"][0]["code"], "not_a_consultant");
    }
}
