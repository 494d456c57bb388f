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
