//! The legal basis of processing and the information clause (issue 20) in place of the
//! single consent flag: a client is registered on the statute, the project agreement or
//! consent, with the day the clause (art. 13) was given and by whom; consent has its
//! scope and a withdrawal. An older payload and an older record (only the flag) mean
//! consent with the clause given on the consent's day, by whoever registered them.

use axum::http::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_client_is_registered_on_a_legal_basis_with_the_information_clause() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let mut body = app.person(1, Some(app.consultant_a));
    body.as_object_mut().expect("object").remove("consent");
    body.as_object_mut().expect("object").remove("consent_date");

    // No basis, no clause: each is named.
    let r = app.post("/api/v1/clients", &body, &s).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let pointers: Vec<Value> = r.json()["errors"].as_array().expect("errors").iter().map(|e| e["pointer"].clone()).collect();
    assert_eq!(pointers, [json!("/legal_basis"), json!("/information_date"), json!("/information_by")]);

    // The statute: no consent is asked for, and none is kept.
    body["legal_basis"] = json!("statute");
    body["information_date"] = json!("2026-11-02");
    body["information_by"] = json!("Konsultant A");
    body["consent_date"] = json!("2026-11-02");
    let r = app.post("/api/v1/clients", &body, &s).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let d = &r.json()["data"];
    assert_eq!((d["legal_basis"].as_str(), d["consent"].as_bool(), d["consent_date"].as_str()), (Some("statute"), Some(false), Some("")));
    assert_eq!((d["information_date"].as_str(), d["information_by"].as_str()), (Some("2026-11-02"), Some("Konsultant A")));

    // Consent: its date, its scope, and a withdrawal not before it.
    let mut consent = app.person(2, Some(app.consultant_a));
    consent["legal_basis"] = json!("consent");
    consent["information_date"] = json!("2026-11-02");
    consent["information_by"] = json!("Konsultant A");
    consent["consent_scope"] = json!("Udział w klubie pracy");
    consent["consent_withdrawn"] = json!("2025-01-01");
    let r = app.post("/api/v1/clients", &consent, &s).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["pointer"], "/consent_withdrawn");
    consent["consent_withdrawn"] = json!("");
    let r = app.post("/api/v1/clients", &consent, &s).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["data"]["consent_scope"], "Udział w klubie pracy");

    // An older client's payload: consent, the clause given that day by the one who registers.
    let r = app.post("/api/v1/clients", &app.person(3, Some(app.consultant_a)), &s).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let d = &r.json()["data"];
    assert_eq!((d["legal_basis"].as_str(), d["information_date"].as_str(), d["information_by"].as_str()), (Some("consent"), Some("2026-01-10"), Some("Konsultant A")));
    assert_eq!(d["consent_scope"], domain::client::DEFAULT_CONSENT_SCOPE);
}

#[tokio::test]
async fn a_record_kept_under_the_consent_flag_becomes_consent_with_its_date() {
    let app = TestApp::spawn().await;
    // A record as the flag stored it, before migration 0023.
    let id = Uuid::new_v4();
    let mut data = app.person(9, None);
    data["consent_date"] = json!("2025-05-06");
    sqlx::query(
        "INSERT INTO clients (id, partnership_id, kind, work_form, status, display_name, birth_date, city, sort_key, search_text, data, version, created_by, created_at, updated_by, updated_at)
         VALUES ($1, $2, 'person', 'individual', 'active', 'Stara Ewa', '1980-01-01', '', 'stara', 'stara ewa', $3, 1, $4, 0, $4, 0)",
    )
    .bind(id.to_string())
    .bind(app.partnership_a.to_string())
    .bind(data.to_string())
    .bind(app.coordinator_a.to_string())
    .execute(&app.db.pool)
    .await
    .expect("insert");
    let migration = if app.url.starts_with("postgres") {
        include_str!("../../migrations/postgres/0023_legal_basis.sql")
    } else {
        include_str!("../../migrations/sqlite/0023_legal_basis.sql")
    };
    sqlx::raw_sql(migration).execute(&app.db.pool).await.expect("migration");
    let stored: String = sqlx::query_scalar("SELECT data FROM clients WHERE id = $1").bind(id.to_string()).fetch_one(&app.db.pool).await.expect("data");
    let d: Value = serde_json::from_str(&stored).expect("json");
    assert_eq!((d["legal_basis"].as_str(), d["information_date"].as_str(), d["information_by"].as_str()), (Some("consent"), Some("2025-05-06"), Some("Koordynator A")));
    assert_eq!(d["consent_scope"], domain::client::DEFAULT_CONSENT_SCOPE, "the migration's wording is the form's");
    // It reads, and an edit of it passes the same rules as before.
    let coord = app.login("coord.a@test").await;
    let record = app.get(&format!("/api/v1/clients/{id}"), &coord).await;
    assert_eq!(record.status, StatusCode::OK, "{}", record.text);
    let input: domain::client::ClientInput = serde_json::from_value(record.json()["data"].clone()).expect("input");
    let checked = input.validate(domain::Lang::Pl, server::today());
    assert!(checked.is_ok(), "{checked:?}");
}

#[tokio::test]
async fn the_information_clause_names_each_controller_its_retention_and_the_basis() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    sqlx::query("UPDATE organisations SET retention_category = 'B10' WHERE name = 'OPS A'").execute(&app.db.pool).await.expect("category");
    let id = app.insert_client(&app.person(4, Some(app.consultant_a))).await;
    let r = app.get(&format!("/api/v1/clients/{id}/information-clause"), &s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let f: domain::clause::ClauseFacts = serde_json::from_value(r.json()).expect("facts");
    assert_eq!((f.legal_basis.as_str(), f.information_by.as_str(), f.partnership.as_str()), ("consent", "Koordynator A", "Partnerstwo A"));
    assert_eq!(f.organisations.len(), 1);
    let text: String = domain::clause::sections(&f, &f.organisations[0]).into_iter().map(|(_, t)| t).collect();
    assert!(text.contains("OPS A, Kielce") && text.contains("kategoria archiwalna B10"), "{text}");
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.get(&format!("/api/v1/clients/{id}/information-clause"), &outsider).await.status, StatusCode::NOT_FOUND);
    let read: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE client_id = $1 AND detail = 'information clause'").bind(id.to_string()).fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(read, 1);
}
