//! Walks every documented API route as a user of another partnership. A route that
//! this walk does not know how to call fails the test, so new routes must be added here.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_user_of_another_partnership_gets_nothing_from_any_route() {
    let app = TestApp::spawn().await;
    let mut secret = app.person(1, Some(app.consultant_a));
    secret["surname"] = json!("Tajemnicza");
    let client_id = app.insert_client(&secret).await;
    let pesel = secret["pesel"].as_str().expect("pesel").to_string();
    let outsider = app.login("consultant.b@test").await;
    // A case document with a secret in it, written by the client's own consultant.
    let owner = app.login("consultant.a@test").await;
    let ipd_id = domain::docs::doc_id_for(client_id, domain::sync::DocType::Ipd);
    let create = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "written_at": 1_780_000_000_000_i64,
        "op": "create", "doc_type": "ipd", "doc_id": ipd_id, "data": {"client_id": client_id, "goal": "Tajemnicza praca"}}]});
    let r = app.post("/api/v1/sync/push", &create, &owner).await;
    assert_eq!(r.json()["results"][0]["outcome"]["status"], "applied", "{}", r.text);

    let doc: serde_json::Value = serde_json::to_value(server::openapi::document()).expect("doc");
    let mut walked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("methods").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let (uri, body, expect): (String, serde_json::Value, &[StatusCode]) = match (method.as_str(), path.as_str()) {
                // Routes that concern only the caller's own account.
                ("POST", "/api/v1/auth/login") => continue,
                ("POST", "/api/v1/auth/logout") => continue,
                ("GET", "/api/v1/auth/me") => (path.clone(), json!(null), &[StatusCode::OK]),
                ("POST", "/api/v1/auth/password") => (path.clone(), json!({"current_password": "x", "new_password": "y"}), &[StatusCode::UNPROCESSABLE_ENTITY]),
                ("GET", "/api/v1/clients") => (format!("{path}?partnership_id={}", app.partnership_a), json!(null), &[StatusCode::NOT_FOUND]),
                ("POST", "/api/v1/clients") => (path.clone(), app.person(2, None), &[StatusCode::NOT_FOUND]),
                ("GET" | "PUT", "/api/v1/clients/{id}") => (path.replace("{id}", &client_id.to_string()), secret.clone(), &[StatusCode::NOT_FOUND]),
                ("GET", "/api/v1/partnerships/{id}/consultants" | "/api/v1/partnerships/{id}/audit") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN])
                }
                ("POST", "/api/v1/sync/push") => (
                    path.clone(),
                    json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "written_at": 1, "op": "edit",
                        "doc_type": "client", "doc_id": client_id, "base_revision": 1,
                        "changes": [{"path": ["surname"], "old": "Tajemnicza", "new": "Zmieniona"}]}]}),
                    &[StatusCode::OK],
                ),
                ("GET", "/api/v1/sync/caseload") => (path.clone(), json!(null), &[StatusCode::OK]),
                ("GET", "/api/v1/clients/{id}/conflicts" | "/api/v1/clients/{id}/notes" | "/api/v1/clients/{id}/history") => {
                    (path.replace("{id}", &client_id.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/conflicts/{id}/resolve") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"value": "x"}), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/partnerships/{id}/devices" | "/api/v1/partnerships/{id}/held") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/devices/{id}/revoke") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"user_id": app.consultant_a}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/held/{id}/decide") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"apply": true}), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/clients/{id}/documents") => (path.replace("{id}", &client_id.to_string()), json!(null), &[StatusCode::NOT_FOUND]),
                ("GET", "/api/v1/documents/{id}" | "/api/v1/documents/{id}/history") => {
                    (path.replace("{id}", &ipd_id.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/documents/{id}/versions/{revision}") => {
                    (path.replace("{id}", &ipd_id.to_string()).replace("{revision}", "1"), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET" | "POST", "/api/v1/partnerships/{id}/services") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"name": "Tajemnicza usługa"}), &[StatusCode::NOT_FOUND])
                }
                other => panic!("route {other:?} is not covered by the scoping test: add it here"),
            };
            let body = if method == Method::GET { None } else { Some(&body) };
            let mut r = app.request(method.clone(), &uri, body, Some(&outsider)).await;
            if method == Method::PUT {
                // With the version header the request gets as far as the scoping check.
                let req = axum::http::Request::builder()
                    .method(Method::PUT)
                    .uri(&uri)
                    .header("cookie", &outsider.cookie)
                    .header("x-csrf-token", &outsider.csrf)
                    .header("if-match", "\"1\"")
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(secret.to_string()))
                    .expect("request");
                r = app.raw(req).await;
            }
            assert!(expect.contains(&r.status), "{method} {uri}: {} {}", r.status, r.text);
            assert!(!r.text.contains("Tajemnicza") && !r.text.contains(&pesel), "{method} {uri} leaked data: {}", r.text);
            walked += 1;
        }
    }
    assert!(walked >= 8, "walked only {walked} routes");
    // The outsider's own list shows nothing of partnership A either.
    let own = app.get("/api/v1/clients", &outsider).await;
    assert_eq!(own.json()["total"], 0);
    // And nothing was written.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(n, 1);
    let (surname,): (String,) = sqlx::query_as("SELECT display_name FROM clients").fetch_one(&app.db.pool).await.expect("name");
    assert!(surname.starts_with("Tajemnicza"));
    let (goal,): (String,) = sqlx::query_as("SELECT data FROM documents").fetch_one(&app.db.pool).await.expect("doc");
    assert!(goal.contains("Tajemnicza praca"));
    let (services,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM custom_services").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(services, 0);
}

#[tokio::test]
async fn every_documented_route_exists_and_needs_a_session() {
    let app = TestApp::spawn().await;
    let served = app.request(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(served.status, StatusCode::OK);
    let doc = served.json();
    assert_eq!(doc, serde_json::to_value(server::openapi::document()).expect("doc"));
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("methods").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let uri = path.replace("{id}", &uuid::Uuid::new_v4().to_string()).replace("{revision}", "1");
            let body = json!({});
            let r = app.request(method.clone(), &uri, (method != Method::GET).then_some(&body), None).await;
            assert!(
                r.status != StatusCode::NOT_FOUND && r.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed: {}",
                r.status
            );
            if path != "/api/v1/auth/login" {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path} must need a session");
            }
        }
    }
}
