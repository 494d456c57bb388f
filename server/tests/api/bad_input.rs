use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

async fn count(app: &TestApp) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients").fetch_one(&app.db.pool).await.expect("count");
    n
}

async fn post_raw(app: &TestApp, s: &crate::helpers::Session, content_type: &str, body: String) -> crate::helpers::Response {
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/clients")
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    app.raw(req).await
}

#[tokio::test]
async fn malformed_and_mistyped_json_get_problem_details_and_store_nothing() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let cases = [
        ("{not json", StatusCode::BAD_REQUEST),
        (r#"{"partnership_id": 5, "kind": "person", "work_form": "individual"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (r#"{"partnership_id": "00000000-0000-0000-0000-000000000000", "kind": "person", "work_form": "individual", "admin": true}"#, StatusCode::UNPROCESSABLE_ENTITY),
        (r#"{"partnership_id": "00000000-0000-0000-0000-000000000000", "kind": "alien", "work_form": "individual"}"#, StatusCode::UNPROCESSABLE_ENTITY),
    ];
    for (body, status) in cases {
        let r = post_raw(&app, &s, "application/json", body.to_string()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
        assert_eq!(r.headers.get(header::CONTENT_TYPE).map(axum::http::HeaderValue::as_bytes), Some(&b"application/problem+json"[..]));
        assert!(!r.json()["title"].as_str().unwrap_or("").is_empty());
    }
    let r = post_raw(&app, &s, "text/plain", app.person(1, None).to_string()).await;
    assert_eq!(r.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn bodies_over_one_mebibyte_are_refused_with_413() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let mut body = app.person(1, None);
    body["city"] = json!("x".repeat(1024 * 1024 + 10));
    let r = post_raw(&app, &s, "application/json", body.to_string()).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn over_long_strings_are_field_errors() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let mut body = app.person(1, None);
    body["surname"] = json!("N".repeat(101));
    let r = app.post("/api/v1/clients", &body, &s).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["pointer"], "/surname");
    assert_eq!(r.json()["errors"][0]["code"], "too_long");
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn sql_and_html_are_stored_and_returned_as_text() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let mut body = app.person(1, None);
    let evil = "<img src=x onerror=alert(1)>'; DROP TABLE clients; --";
    body["surname"] = json!(evil);
    let r = app.post("/api/v1/clients", &body, &s).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let id = r.json()["id"].as_str().expect("id").to_string();
    let back = app.get(&format!("/api/v1/clients/{id}"), &s).await;
    assert_eq!(back.json()["data"]["surname"], evil);
    assert_eq!(count(&app).await, 1);
}

#[tokio::test]
async fn missing_or_foreign_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let other = app.login("coord.a@test").await;
    for token in ["", other.csrf.as_str(), "forged"] {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/clients")
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", token)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(app.person(1, None).to_string()))
            .expect("request");
        let r = app.raw(req).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "token {token:?}");
        assert!(r.json()["detail"].as_str().unwrap_or("").contains("CSRF"));
    }
    assert_eq!(count(&app).await, 0);
}

/// What the framework refuses by itself — a malformed id in the path, a query it
/// cannot read, an unknown route, a wrong method — is a problem document like any
/// other error, never plain text.
#[tokio::test]
async fn the_frameworks_own_refusals_are_problem_documents() {
    let app = TestApp::spawn().await;
    let s = app.login("coord.a@test").await;
    let cases = [
        (Method::GET, "/api/v1/clients/not-a-uuid".to_string(), StatusCode::BAD_REQUEST),
        (Method::GET, format!("/api/v1/partnerships/{}/dashboard?consultant=nie-uuid", app.partnership_a), StatusCode::BAD_REQUEST),
        (Method::GET, "/api/v1/no-such-thing".to_string(), StatusCode::NOT_FOUND),
        (Method::DELETE, "/api/v1/auth/me".to_string(), StatusCode::METHOD_NOT_ALLOWED),
    ];
    for (method, path, status) in cases {
        let r = app.request(method.clone(), &path, None, Some(&s)).await;
        assert_eq!(r.status, status, "{method} {path}: {}", r.text);
        let ct = r.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert_eq!(ct, "application/problem+json", "{method} {path}");
        let p = r.json();
        assert_eq!(p["status"].as_u64(), Some(u64::from(status.as_u16())), "{}", r.text);
        assert!(p["type"].as_str().is_some_and(|t| t.starts_with("/problems/")) && p["title"].as_str().is_some_and(|t| !t.is_empty()), "{}", r.text);
    }
}

/// A client generated from the OpenAPI document works: enums carry the names the API
/// sends and takes, and errors are documented as the problem documents they are.
#[tokio::test]
async fn the_openapi_document_describes_what_the_api_sends() {
    let app = TestApp::spawn().await;
    let doc = app.request(Method::GET, "/api/v1/openapi.json", None, None).await.json();
    let schemas = &doc["components"]["schemas"];
    for (name, wire) in [("Role", "key_consultant"), ("OrgType", "ops"), ("PartnershipKind", "local"), ("WorkForm", "e_support"), ("ClientKind", "person"), ("DocStatus", "final")] {
        let values: Vec<String> = serde_json::from_value(schemas[name]["enum"].clone()).unwrap_or_default();
        assert!(values.contains(&wire.to_string()), "{name}: {values:?}");
        assert!(values.iter().all(|v| v.chars().all(|c| c.is_ascii_lowercase() || c == '_')), "{name}: {values:?}");
    }
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("item") {
            let Some(responses) = op["responses"].as_object() else { continue };
            operations += 1;
            for (status, response) in responses {
                if status.starts_with('4') || status.starts_with('5') {
                    let content = response["content"].as_object().expect("content");
                    assert!(content.contains_key("application/problem+json") && !content.contains_key("application/json"), "{method} {path} {status}");
                }
            }
            assert!(responses.contains_key("400") && responses.contains_key("500"), "{method} {path}");
            if !path.starts_with("/api/v1/survey/") && !["/api/v1/auth/login", "/api/v1/auth/second-factor/enrolment", "/api/v1/auth/forgotten-password", "/api/v1/accessibility", "/api/v1/setup"].contains(&path.as_str()) {
                assert!(responses.contains_key("401"), "{method} {path}");
            }
            if op.get("requestBody").is_some() {
                assert!(["413", "415", "422"].iter().all(|s| responses.contains_key(*s)), "{method} {path}");
            }
        }
    }
    assert!(operations > 30, "{operations}");
}
