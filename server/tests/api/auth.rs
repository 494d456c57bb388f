use axum::http::{header, Method, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, PASSWORD};

#[tokio::test]
async fn sign_in_sets_strict_http_only_cookie_and_me_answers() {
    let app = TestApp::spawn().await;
    let r = app.try_login("consultant.a@test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::OK);
    let cookies: Vec<_> = r.headers.get_all(header::SET_COOKIE).iter().map(|v| v.to_str().unwrap_or("").to_string()).collect();
    let session = cookies.iter().find(|c| c.starts_with("sciezka_session=")).expect("session cookie");
    assert!(session.contains("HttpOnly") && session.contains("SameSite=Strict"), "{session}");
    let s = app.login("consultant.a@test").await;
    let me = app.get("/api/v1/auth/me", &s).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["display_name"], "Konsultant A");
    // The database keeps only a hash of the token.
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM sessions LIMIT 1").fetch_one(&app.db.pool).await.expect("row");
    assert!(!s.cookie.contains(&stored));
}

#[tokio::test]
async fn wrong_password_and_unknown_account_look_the_same() {
    let app = TestApp::spawn().await;
    let a = app.try_login("consultant.a@test", "wrong-password-1").await;
    let b = app.try_login("nobody@test", "wrong-password-1").await;
    assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    assert_eq!(b.status, StatusCode::UNAUTHORIZED);
    assert_eq!(a.text, b.text);
}

#[tokio::test]
async fn sign_in_is_throttled_per_account() {
    let app = TestApp::spawn().await;
    for _ in 0..5 {
        assert_eq!(app.try_login("consultant.a@test", "wrong-password-1").await.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right password is refused until the window passes.
    assert_eq!(app.try_login("consultant.a@test", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
    // Another account is not affected.
    assert_eq!(app.try_login("coord.a@test", PASSWORD).await.status, StatusCode::OK);
}

#[tokio::test]
async fn cross_site_sign_in_is_refused() {
    let app = TestApp::spawn().await;
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::HOST, "sciezka.example")
        .header(header::ORIGIN, "https://evil.example")
        .body(axum::body::Body::from(json!({"email": "consultant.a@test", "password": PASSWORD}).to_string()))
        .expect("request");
    assert_eq!(app.raw(req).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    assert_eq!(app.post("/api/v1/auth/logout", &json!({}), &s).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/auth/me", &s).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn idle_sessions_expire() {
    let app = TestApp::spawn_with(|c| c.idle_timeout_secs = -1).await;
    let r = app.try_login("consultant.a@test", PASSWORD).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "a session idle beyond the limit must not work: {}", r.text);
}

#[tokio::test]
async fn password_change_checks_the_old_password_and_signs_out_other_devices() {
    let app = TestApp::spawn().await;
    let tablet = app.login("consultant.a@test").await;
    let laptop = app.login("consultant.a@test").await;
    let bad = app.post("/api/v1/auth/password", &json!({"current_password": "nope", "new_password": "a-much-longer-password"}), &tablet).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["pointer"], "/current_password");
    let short = app.post("/api/v1/auth/password", &json!({"current_password": PASSWORD, "new_password": "short"}), &tablet).await;
    assert_eq!(short.json()["errors"][0]["code"], "password_length");
    let ok = app.post("/api/v1/auth/password", &json!({"current_password": PASSWORD, "new_password": "a-much-longer-password"}), &tablet).await;
    assert_eq!(ok.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get("/api/v1/auth/me", &tablet).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/auth/me", &laptop).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.try_login("consultant.a@test", "a-much-longer-password").await.status, StatusCode::OK);
}

#[tokio::test]
async fn pages_carry_security_headers_and_a_nonce_csp() {
    let app = TestApp::spawn().await;
    let r = app.request(Method::GET, "/login", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let csp = r.headers.get(header::CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(csp.contains("'nonce-") && csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.headers.get(header::X_CONTENT_TYPE_OPTIONS).map(axum::http::HeaderValue::as_bytes), Some(&b"nosniff"[..]));
    assert!(r.text.contains("Logowanie"));
}

#[tokio::test]
async fn organisations_registry_numbers_are_validated() {
    use domain::org::OrgType;
    let app = TestApp::spawn().await;
    let ok = server::seed::registered_organisation(&app.db, "Fundacja", OrgType::Ngo, "Kielce", "0000123456", "123-456-785").await;
    assert!(ok.is_ok());
    let (regon,): (String,) = sqlx::query_as("SELECT regon FROM organisations WHERE name = 'Fundacja'").fetch_one(&app.db.pool).await.expect("row");
    assert_eq!(regon, "123456785");
    let bad = server::seed::registered_organisation(&app.db, "Zła", OrgType::Ngo, "", "123", "123456784").await;
    match bad {
        Err(server::error::AppError::Invalid { errors, .. }) => assert_eq!(errors[0].code, "length"),
        other => panic!("expected a field error, got {other:?}"),
    }
}
