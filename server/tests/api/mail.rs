//! E-mail (issue 19), against a real SMTP server (aiosmtpd, started per test): an
//! invitation's link goes to the invitee and nobody else sees it; a person who forgot
//! their password gets a link by e-mail, with the same answer for an unknown address;
//! a mail server that is down leaves the link to hand over; without SMTP the
//! forgotten-password answer says to ask a coordinator.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{MailSink, TestApp, PASSWORD};

const PUBLIC: &str = "https://sciezka.mops.example.pl";

/// The link's secret in a message's text.
fn token_in(message: &Value) -> String {
    let text = message["text"].as_str().expect("text");
    let start = text.find(&format!("{PUBLIC}/konto/")).unwrap_or_else(|| panic!("no link in {text}")) + PUBLIC.len() + "/konto/".len();
    text[start..].split_whitespace().next().expect("token").to_string()
}

async fn with_mail(sink: &MailSink) -> TestApp {
    let url = sink.url();
    TestApp::spawn_with(move |c| {
        c.smtp_url = Some(url);
        c.public_url = PUBLIC.into();
    })
    .await
}

#[tokio::test]
async fn an_invitation_goes_by_e_mail_and_only_the_invitee_sees_the_link() {
    let sink = MailSink::start();
    let app = with_mail(&sink).await;
    let coord = app.login("coord.a@test").await;
    let me = app.get("/api/v1/auth/me", &coord).await.json();
    let org = me["memberships"][0]["partners"][0]["organisation_id"].clone();
    let invite = json!({"email": "doradca@pup.example.pl", "display_name": "Jan Doradca", "organisation_id": org, "role": "job_counsellor"});
    let r = app.post(&format!("/api/v1/partnerships/{}/people", app.partnership_a), &invite, &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["emailed"], true);
    assert_eq!(r.json()["link"], "", "the coordinator does not see the link");

    let messages = sink.wait_for(1).await;
    assert_eq!(messages[0]["to"], json!(["doradca@pup.example.pl"]));
    assert!(messages[0]["subject"].as_str().is_some_and(|s| s.starts_with("Zaproszenie")));
    assert!(messages[0]["text"].as_str().is_some_and(|t| t.contains("Jan Doradca")));
    let token = token_in(&messages[0]);
    let link = format!("/api/v1/account-links/{token}");
    assert_eq!(app.request(Method::GET, &link, None, None).await.json()["purpose"], "invitation");
    let chosen = app.request(Method::POST, &link, Some(&json!({"password": "hasło doradcy zawodowego"})), None).await;
    assert_eq!(chosen.status, StatusCode::NO_CONTENT, "{}", chosen.text);
    assert_eq!(app.try_login("doradca@pup.example.pl", "hasło doradcy zawodowego").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_forgotten_password_is_answered_alike_and_the_link_arrives_only_for_an_account() {
    let sink = MailSink::start();
    let app = with_mail(&sink).await;
    let old_session = app.login("consultant.a@test").await;
    let ask = |email: &str| json!({ "email": email });
    let unknown = app.request(Method::POST, "/api/v1/auth/forgotten-password", Some(&ask("nikt@example.pl")), None).await;
    let known = app.request(Method::POST, "/api/v1/auth/forgotten-password", Some(&ask(" Consultant.A@test ")), None).await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.text, known.text, "the answer says nothing of the address");
    assert_eq!(known.json()["by_email"], true);
    let messages = sink.wait_for(1).await;
    // A second request at once sends no second message (nobody floods a mailbox).
    let again = app.request(Method::POST, "/api/v1/auth/forgotten-password", Some(&ask("consultant.a@test")), None).await;
    assert_eq!(again.status, StatusCode::ACCEPTED);
    tokio::time::sleep(std::time::Duration::from_millis(700)).await;
    assert_eq!(sink.messages().len(), 1, "{:?}", sink.messages());
    assert_eq!(messages[0]["to"], json!(["consultant.a@test"]));
    assert!(messages[0]["subject"].as_str().is_some_and(|s| s.starts_with("Nowe hasło")));

    // The old password works until the link is used; then every session ends.
    assert_eq!(app.get("/api/v1/auth/me", &old_session).await.status, StatusCode::OK);
    let link = format!("/api/v1/account-links/{}", token_in(&messages[0]));
    assert_eq!(app.request(Method::GET, &link, None, None).await.json()["purpose"], "reset");
    let chosen = app.request(Method::POST, &link, Some(&json!({"password": "nowe hasło konsultantki"})), None).await;
    assert_eq!(chosen.status, StatusCode::NO_CONTENT, "{}", chosen.text);
    assert_eq!(app.get("/api/v1/auth/me", &old_session).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.try_login("consultant.a@test", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.try_login("consultant.a@test", "nowe hasło konsultantki").await.status, StatusCode::OK);
    assert_eq!(app.request(Method::GET, &link, None, None).await.status, StatusCode::NOT_FOUND, "used once");
    let logged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE detail = 'password reset asked for by e-mail'").fetch_one(&app.db.pool).await.expect("audit");
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn a_mail_server_that_is_down_leaves_the_link_to_hand_over() {
    let sink = MailSink::start();
    let url = sink.url();
    drop(sink);
    let app = TestApp::spawn_with(move |c| c.smtp_url = Some(url)).await;
    let coord = app.login("coord.a@test").await;
    let r = app.post(&format!("/api/v1/partnerships/{}/people/{}/reset", app.partnership_a, app.consultant_a), &json!({}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["emailed"], false);
    assert_eq!(r.json()["mail_failed"], true);
    assert!(r.json()["link"].as_str().is_some_and(|l| l.starts_with("/konto/")), "{}", r.text);
}

#[tokio::test]
async fn without_smtp_a_forgotten_password_is_for_the_coordinator() {
    let app = TestApp::spawn().await;
    let r = app.request(Method::POST, "/api/v1/auth/forgotten-password", Some(&json!({"email": "consultant.a@test"})), None).await;
    assert_eq!(r.status, StatusCode::ACCEPTED);
    assert_eq!(r.json()["by_email"], false);
    let links: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_links").fetch_one(&app.db.pool).await.expect("links");
    assert_eq!(links, 0);
}
