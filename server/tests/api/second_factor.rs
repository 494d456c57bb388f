//! Two-factor sign-in (issue 19): compulsory where the installation asks for it for
//! whoever reads clients' data, enrolled at the first sign-in, a code taken once, ten
//! single-use recovery codes, wrong codes throttled like passwords, a coordinator
//! resets a lost phone's factor; and the refusals.

use axum::http::{Method, StatusCode};
use domain::org::Role;
use serde_json::json;
use server::seed;

use crate::helpers::{totp_code, TestApp, PASSWORD};

async fn require_second_factor(app: &TestApp) {
    sqlx::query("UPDATE installation_settings SET two_factor_required = 1").execute(&app.db.pool).await.expect("settings");
}

fn code_error(r: &crate::helpers::Response) -> String {
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert_eq!(r.json()["errors"][0]["pointer"], "/code", "{}", r.text);
    r.json()["errors"][0]["code"].as_str().unwrap_or_default().to_string()
}

/// A six-digit code that is not the right one now.
fn wrong(secret: &str) -> String {
    let right: Vec<String> = (-1..=1).map(|s| totp_code(secret, s)).collect();
    ["000000", "111111", "222222", "333333"].into_iter().find(|c| !right.iter().any(|r| r == c)).unwrap_or("444444").to_string()
}

#[tokio::test]
async fn the_first_sign_in_enrols_an_app_and_then_every_sign_in_needs_a_fresh_code() {
    let app = TestApp::spawn().await;
    require_second_factor(&app).await;
    let email = "consultant.a@test";
    // The password alone no longer opens a session: the app is added first.
    assert_eq!(code_error(&app.try_login(email, PASSWORD).await), "second_factor_enrol");
    let ask = |password: &str| json!({ "email": email, "password": password });
    let refused = app.request(Method::POST, "/api/v1/auth/second-factor/enrolment", Some(&ask("wrong password")), None).await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED, "the secret is shown only after the right password");
    let first = app.request(Method::POST, "/api/v1/auth/second-factor/enrolment", Some(&ask(PASSWORD)), None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    let e = first.json();
    let secret = e["secret"].as_str().expect("secret").replace(' ', "");
    assert!(e["otpauth_url"].as_str().is_some_and(|u| u.starts_with("otpauth://totp/") && u.contains(&secret)));
    assert!(e["qr_svg"].as_str().is_some_and(|s| s.contains("<svg")));
    // Each request makes a new secret, and only the latest can be confirmed: one shown
    // to someone who knew only the password never becomes the account's later.
    let stale = secret.clone();
    let again = app.request(Method::POST, "/api/v1/auth/second-factor/enrolment", Some(&ask(PASSWORD)), None).await;
    let secret = again.json()["secret"].as_str().expect("secret").replace(' ', "");
    assert_ne!(secret, stale);
    assert_eq!(code_error(&app.try_login_code(email, PASSWORD, &totp_code(&stale, 0)).await), "wrong_code");

    let signed_in = app.try_login_code(email, PASSWORD, &totp_code(&secret, 0)).await;
    assert_eq!(signed_in.status, StatusCode::OK, "{}", signed_in.text);
    let codes: Vec<String> = signed_in.json()["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().expect("code").to_string()).collect();
    assert_eq!(codes.len(), 10);
    let session = app.session_of(signed_in);
    // Shown once: never again in the session's own answer.
    let me = app.get("/api/v1/auth/me", &session).await.json();
    assert!(me.get("recovery_codes").is_none(), "{me}");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1").bind(&codes[0]).fetch_one(&app.db.pool).await.expect("codes");
    assert_eq!(stored, 0, "only hashes are kept");
    // Enrolled: a second enrolment is refused, and a code is asked for.
    let twice = app.request(Method::POST, "/api/v1/auth/second-factor/enrolment", Some(&ask(PASSWORD)), None).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(code_error(&app.try_login(email, PASSWORD).await), "second_factor_required");
    // The code that enrolled (same time step) is not taken twice.
    assert_eq!(code_error(&app.try_login_code(email, PASSWORD, &totp_code(&secret, 0)).await), "wrong_code");
    // The next step's code works once (one step of clock drift is allowed).
    assert_eq!(app.try_login_code(email, PASSWORD, &totp_code(&secret, 1)).await.status, StatusCode::OK);
    // A recovery code works once, typed in any case, with spaces for its dash.
    let typed = codes[3].to_uppercase().replace('-', " ");
    assert_eq!(app.try_login_code(email, PASSWORD, &typed).await.status, StatusCode::OK);
    assert_eq!(code_error(&app.try_login_code(email, PASSWORD, &codes[3]).await), "wrong_code");
    // The right code with the wrong password opens nothing.
    assert_eq!(app.try_login_code(email, "wrong password", &codes[4]).await.status, StatusCode::UNAUTHORIZED);

    // The coordinator's list shows who signs in with a second factor.
    let coord = app.login("coord.a@test").await;
    let list = app.get(&format!("/api/v1/partnerships/{}/people", app.partnership_a), &coord).await.json();
    let me_listed = list.as_array().expect("people").iter().find(|p| p["email"] == email).expect("listed").clone();
    assert_eq!(me_listed["second_factor"], true);
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = TestApp::spawn().await;
    require_second_factor(&app).await;
    let (ok, secret) = app.enrol("consultant.a@test", PASSWORD).await;
    assert_eq!(ok.status, StatusCode::OK);
    for _ in 0..5 {
        assert_eq!(code_error(&app.try_login_code("consultant.a@test", PASSWORD, &wrong(&secret)).await), "wrong_code");
    }
    let r = app.try_login_code("consultant.a@test", PASSWORD, &totp_code(&secret, 1)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
}

#[tokio::test]
async fn a_coordinator_resets_a_lost_phones_factor_and_the_sessions_end() {
    let app = TestApp::spawn().await;
    require_second_factor(&app).await;
    let consultant = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let reset = format!("/api/v1/partnerships/{}/people/{}/second-factor/reset", app.partnership_a, app.consultant_a);

    // Nobody else may: a consultant, a coordinator of another partnership.
    assert_eq!(app.post(&reset, &json!({}), &consultant).await.status, StatusCode::FORBIDDEN);
    let ngo = sqlx::query_scalar::<_, String>("SELECT organisation_id FROM users WHERE id = $1")
        .bind(app.consultant_b.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("org");
    let other = seed::user(&app.db, "coord.b@test", "Koordynator B", ngo.parse().expect("uuid"), PASSWORD).await.expect("user");
    let partnership_b: String = sqlx::query_scalar("SELECT partnership_id FROM user_roles WHERE user_id = $1").bind(app.consultant_b.to_string()).fetch_one(&app.db.pool).await.expect("p");
    seed::grant(&app.db, other, partnership_b.parse().expect("uuid"), Role::Coordinator).await.expect("grant");
    let coord_b = app.login("coord.b@test").await;
    assert_eq!(app.post(&reset, &json!({}), &coord_b).await.status, StatusCode::NOT_FOUND);

    let r = app.post(&reset, &json!({}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["second_factor"], false);
    // The lost phone's sessions end; the next sign-in enrols a new app.
    assert_eq!(app.get("/api/v1/auth/me", &consultant).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code_error(&app.try_login("consultant.a@test", PASSWORD).await), "second_factor_enrol");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%second factor reset'").fetch_one(&app.db.pool).await.expect("audit");
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn the_administrator_decides_and_a_data_protection_officer_needs_no_second_factor() {
    let app = TestApp::spawn().await;
    require_second_factor(&app).await;
    // A data protection officer reads the access log, not clients' data.
    let ops: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1").bind(app.coordinator_a.to_string()).fetch_one(&app.db.pool).await.expect("org");
    let iod = seed::user(&app.db, "iod@test", "Inspektor", ops.parse().expect("uuid"), PASSWORD).await.expect("user");
    seed::grant(&app.db, iod, app.partnership_a, Role::DataProtectionOfficer).await.expect("grant");
    assert_eq!(app.try_login("iod@test", PASSWORD).await.status, StatusCode::OK);

    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.get("/api/v1/admin/settings", &consultant).await.status, StatusCode::FORBIDDEN);
    let off = json!({ "two_factor_required": false });
    assert_eq!(app.request(Method::PUT, "/api/v1/admin/settings", Some(&off), Some(&consultant)).await.status, StatusCode::FORBIDDEN);

    app.add_admin("admin@test", "Administrator").await;
    // An administrator makes accounts: they enrol too.
    assert_eq!(code_error(&app.try_login("admin@test", PASSWORD).await), "second_factor_enrol");
    let admin = app.login("admin@test").await;
    assert_eq!(app.get("/api/v1/admin/settings", &admin).await.json()["two_factor_required"], true);
    let r = app.request(Method::PUT, "/api/v1/admin/settings", Some(&off), Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    // Switched off: an account with no second factor signs in with its password...
    assert_eq!(app.try_login("coord.a@test", PASSWORD).await.status, StatusCode::OK);
    // ...while one that enrolled keeps using it.
    assert_eq!(code_error(&app.try_login("consultant.a@test", PASSWORD).await), "second_factor_required");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM installation_log WHERE action = 'settings'").fetch_one(&app.db.pool).await.expect("log");
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn the_server_resets_an_administrators_lost_second_factor() {
    let app = TestApp::spawn().await;
    require_second_factor(&app).await;
    app.add_admin("admin@test", "Administrator").await;
    let admin = app.login("admin@test").await;
    assert_eq!(code_error(&app.try_login("admin@test", PASSWORD).await), "second_factor_required");
    let mut conn = app.db.pool.acquire().await.expect("conn");
    assert!(server::store::second_factor::reset_on_the_server(&mut conn, "admin@test").await.expect("reset"));
    assert!(!server::store::second_factor::reset_on_the_server(&mut conn, "nikt@test").await.expect("reset"));
    drop(conn);
    assert_eq!(app.get("/api/v1/auth/me", &admin).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code_error(&app.try_login("admin@test", PASSWORD).await), "second_factor_enrol");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM installation_log WHERE action = 'second_factor_reset'").fetch_one(&app.db.pool).await.expect("log");
    assert_eq!(logged, 1);
}

fn recovery_codes(r: &crate::helpers::Response) -> Vec<String> {
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["recovery_codes"].as_array().expect("codes").iter().map(|c| c.as_str().expect("code").to_string()).collect()
}

#[tokio::test]
async fn a_person_adds_a_second_factor_of_their_own_accord_renews_the_codes_and_switches_it_off() {
    let app = TestApp::spawn().await;
    let email = "consultant.a@test";
    // The installation does not require it: the password alone signs in.
    let session = app.login(email).await;
    let state = app.get("/api/v1/auth/second-factor", &session).await.json();
    assert_eq!(state, json!({"enrolled": false, "required": false, "recovery_codes_left": 0}));

    // The key for the app only after the password, given again.
    let wrong_password = app.post("/api/v1/auth/second-factor/offer", &json!({"password": "nie to hasło"}), &session).await;
    assert_eq!(wrong_password.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_password.text);
    assert_eq!(wrong_password.json()["errors"][0]["pointer"], "/password");
    let too_soon = app.post("/api/v1/auth/second-factor", &json!({"code": "123456"}), &session).await;
    assert_eq!(too_soon.status, StatusCode::CONFLICT, "a code confirms only a key that was shown");
    let offer = app.post("/api/v1/auth/second-factor/offer", &json!({"password": PASSWORD}), &session).await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.text);
    let secret = offer.json()["secret"].as_str().expect("secret").replace(' ', "");
    // Shown but not confirmed: signing in is unchanged.
    assert_eq!(app.try_login(email, PASSWORD).await.status, StatusCode::OK);
    assert_eq!(code_error(&app.post("/api/v1/auth/second-factor", &json!({"code": wrong(&secret)}), &session).await), "wrong_code");
    // Three codes are used below, each a later time step than the one before.
    let codes = recovery_codes(&app.post("/api/v1/auth/second-factor", &json!({"code": totp_code(&secret, -1)}), &session).await);
    assert_eq!(codes.len(), 10);
    let state = app.get("/api/v1/auth/second-factor", &session).await.json();
    assert_eq!(state, json!({"enrolled": true, "required": false, "recovery_codes_left": 10}));
    assert_eq!(app.post("/api/v1/auth/second-factor/offer", &json!({"password": PASSWORD}), &session).await.status, StatusCode::CONFLICT);
    // Every sign-in now asks for a code; a recovery code works once.
    assert_eq!(code_error(&app.try_login(email, PASSWORD).await), "second_factor_required");
    assert_eq!(app.try_login_code(email, PASSWORD, &codes[0]).await.status, StatusCode::OK);
    assert_eq!(app.get("/api/v1/auth/second-factor", &session).await.json()["recovery_codes_left"], 9);

    // New codes for a code from the app, not for a recovery code (whoever renews them
    // holds the phone); the earlier ones stop working.
    assert_eq!(code_error(&app.post("/api/v1/auth/second-factor/recovery-codes", &json!({"code": codes[1]}), &session).await), "wrong_code");
    let renewed = recovery_codes(&app.post("/api/v1/auth/second-factor/recovery-codes", &json!({"code": totp_code(&secret, 0)}), &session).await);
    assert_eq!(renewed.len(), 10);
    assert!(renewed.iter().all(|c| !codes.contains(c)));
    assert_eq!(code_error(&app.try_login_code(email, PASSWORD, &codes[2]).await), "wrong_code");
    assert_eq!(app.try_login_code(email, PASSWORD, &renewed[0]).await.status, StatusCode::OK);
    // The same app code is not taken twice.
    assert_eq!(code_error(&app.post("/api/v1/auth/second-factor/recovery-codes", &json!({"code": totp_code(&secret, 0)}), &session).await), "wrong_code");

    // Switched off with a fresh code: the password alone signs in again.
    assert_eq!(code_error(&app.post("/api/v1/auth/second-factor/removal", &json!({"code": wrong(&secret)}), &session).await), "wrong_code");
    let off = app.post("/api/v1/auth/second-factor/removal", &json!({"code": totp_code(&secret, 1)}), &session).await;
    assert_eq!(off.status, StatusCode::NO_CONTENT, "{}", off.text);
    let state = app.get("/api/v1/auth/second-factor", &session).await.json();
    assert_eq!(state, json!({"enrolled": false, "required": false, "recovery_codes_left": 0}));
    assert_eq!(app.try_login(email, PASSWORD).await.status, StatusCode::OK);

    // Each change is in the partnership's access log, as the person's own.
    for what in ["second factor added by its owner", "recovery codes renewed by their owner", "second factor switched off by its owner"] {
        let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE user_id = $1 AND partnership_id = $2 AND detail = $3")
            .bind(app.consultant_a.to_string())
            .bind(app.partnership_a.to_string())
            .bind(what)
            .fetch_one(&app.db.pool)
            .await
            .expect("audit");
        assert_eq!(logged, 1, "{what}");
    }
}

#[tokio::test]
async fn a_required_second_factor_stays_on_and_wrong_codes_on_the_account_page_are_throttled() {
    let app = TestApp::spawn().await;
    require_second_factor(&app).await;
    let (signed_in, secret) = app.enrol("consultant.a@test", PASSWORD).await;
    let session = app.session_of(signed_in);
    let state = app.get("/api/v1/auth/second-factor", &session).await.json();
    assert_eq!(state, json!({"enrolled": true, "required": true, "recovery_codes_left": 10}));
    let off = app.post("/api/v1/auth/second-factor/removal", &json!({"code": totp_code(&secret, 1)}), &session).await;
    assert_eq!(off.status, StatusCode::CONFLICT, "{}", off.text);
    // A wrong code here counts like a wrong code at sign-in: five, and the account waits.
    for _ in 0..5 {
        assert_eq!(code_error(&app.post("/api/v1/auth/second-factor/recovery-codes", &json!({"code": wrong(&secret)}), &session).await), "wrong_code");
    }
    let r = app.post("/api/v1/auth/second-factor/recovery-codes", &json!({"code": totp_code(&secret, 1)}), &session).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.text);
    assert_eq!(app.try_login_code("consultant.a@test", PASSWORD, &totp_code(&secret, 1)).await.status, StatusCode::TOO_MANY_REQUESTS);
}
