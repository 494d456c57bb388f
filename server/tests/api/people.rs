//! People and accounts (issue 19): a coordinator invites, the invitee chooses their own
//! password by a single-use link, roles change, accounts switch off and on, resets end
//! sessions; and everything a coordinator of another partnership or a consultant tries
//! is refused.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Session, TestApp};

const NEW_PASSWORD: &str = "długie hasło nowej osoby";

async fn ops(app: &TestApp, coord: &Session) -> String {
    let me = app.get("/api/v1/auth/me", coord).await.json();
    me["memberships"][0]["partners"][0]["organisation_id"].as_str().expect("member organisation").to_string()
}

fn people(app: &TestApp) -> String {
    format!("/api/v1/partnerships/{}/people", app.partnership_a)
}

/// The link's secret from its path.
fn token(handover: &Value) -> String {
    handover["link"].as_str().expect("link").trim_start_matches("/konto/").to_string()
}

async fn audited(app: &TestApp, like: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE detail LIKE $1").bind(like).fetch_one(&app.db.pool).await.expect("audit")
}

#[tokio::test]
async fn an_invited_person_chooses_their_own_password_once_and_signs_in_with_the_role_given() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let org = ops(&app, &coord).await;
    let invite = json!({"email": " Nowa.Osoba@Test.PL ", "display_name": "Nowa Osoba", "organisation_id": org, "role": "job_counsellor"});
    let r = app.post(&people(&app), &invite, &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let h = r.json();
    assert_eq!(h["person"]["state"], "invited");
    assert_eq!(h["person"]["email"], "nowa.osoba@test.pl");
    assert!(h["link"].as_str().is_some_and(|l| l.starts_with("/konto/") && l.len() > 30), "{}", h["link"]);
    let token = token(&h);
    // Only the link's hash is stored, and the account has no password anyone knows.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account_links WHERE token_hash = $1").bind(&token).fetch_one(&app.db.pool).await.expect("links");
    assert_eq!(stored, 0, "the token itself is not stored");
    assert_eq!(app.try_login("nowa.osoba@test.pl", "").await.status, StatusCode::UNAUTHORIZED);

    let link = format!("/api/v1/account-links/{token}");
    let info = app.request(Method::GET, &link, None, None).await;
    assert_eq!(info.status, StatusCode::OK, "{}", info.text);
    assert_eq!(info.json()["purpose"], "invitation");
    assert_eq!(info.json()["email"], "nowa.osoba@test.pl");
    let short = app.request(Method::POST, &link, Some(&json!({"password": "krótkie"})), None).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.json()["errors"][0]["pointer"], "/password");
    let set = app.request(Method::POST, &link, Some(&json!({"password": NEW_PASSWORD})), None).await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.text);
    // Used: it never works again, for reading or for setting.
    assert_eq!(app.request(Method::GET, &link, None, None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.request(Method::POST, &link, Some(&json!({"password": "ktoś inny próbuje"})), None).await.status, StatusCode::NOT_FOUND);

    let s = app.login_with("nowa.osoba@test.pl", NEW_PASSWORD).await;
    let me = app.get("/api/v1/auth/me", &s).await.json();
    assert_eq!(me["memberships"][0]["role"], "job_counsellor");
    assert_eq!(me["memberships"][0]["partnership_id"], json!(app.partnership_a));
    let list = app.get(&people(&app), &coord).await.json();
    let person = list.as_array().expect("people").iter().find(|p| p["email"] == "nowa.osoba@test.pl").expect("listed").clone();
    assert_eq!(person["state"], "active");
    assert!(!person["last_seen"].as_str().unwrap_or("").is_empty(), "the sign-in is noted");
    assert_eq!(audited(&app, "person % invited as job_counsellor").await, 1);
    assert_eq!(audited(&app, "own password chosen by link").await, 1);

    // The coordinator changes the role; the change is in the log.
    let id = person["user_id"].as_str().expect("id");
    let r = app.request(Method::PUT, &format!("{}/{id}/role", people(&app)), Some(&json!({"role": "key_consultant"})), Some(&coord)).await;
    assert_eq!(r.json()["role"], "key_consultant", "{}", r.text);
    assert_eq!(audited(&app, &format!("person {id} role key_consultant")).await, 1);
}

#[tokio::test]
async fn an_expired_link_and_a_superseded_link_do_not_work() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let org = ops(&app, &coord).await;
    let h = app.post(&people(&app), &json!({"email": "x@test.pl", "display_name": "X Y", "organisation_id": org, "role": "social_worker"}), &coord).await.json();
    let first = token(&h);
    // A new link (the coordinator resends) supersedes the first.
    let id = h["person"]["user_id"].as_str().expect("id").to_string();
    let again = app.post(&format!("{}/{id}/reset", people(&app)), &json!(null), &coord).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_eq!(again.json()["person"]["state"], "invited");
    let second = token(&again.json());
    assert_eq!(app.request(Method::GET, &format!("/api/v1/account-links/{first}"), None, None).await.status, StatusCode::NOT_FOUND);
    // 72 hours later the second one is gone too.
    sqlx::query("UPDATE account_links SET expires_at = 1").execute(&app.db.pool).await.expect("age");
    let r = app.request(Method::POST, &format!("/api/v1/account-links/{second}"), Some(&json!({"password": NEW_PASSWORD})), None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(app.try_login("x@test.pl", NEW_PASSWORD).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn consultants_other_partnerships_and_bad_invitations_are_refused() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let anna = app.login("consultant.a@test").await;
    let outsider = app.login("consultant.b@test").await;
    let org = ops(&app, &coord).await;
    let invite = |email: &str, org: &str, role: &str| json!({"email": email, "display_name": "Ktoś Nowy", "organisation_id": org, "role": role});

    assert_eq!(app.get(&people(&app), &anna).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&people(&app), &invite("a@test.pl", &org, "social_worker"), &anna).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&people(&app), &outsider).await.status, StatusCode::NOT_FOUND);
    let other = format!("{}/{}/deactivate", people(&app), app.consultant_a);
    assert_eq!(app.post(&other, &json!(null), &outsider).await.status, StatusCode::NOT_FOUND);

    let field = |r: crate::helpers::Response| (r.status, r.json()["errors"][0]["pointer"].as_str().unwrap_or("").to_string());
    assert_eq!(field(app.post(&people(&app), &invite("bez-malpy", &org, "social_worker"), &coord).await), (StatusCode::UNPROCESSABLE_ENTITY, "/email".into()));
    assert_eq!(
        field(app.post(&people(&app), &invite("a@test.pl", &Uuid::now_v7().to_string(), "social_worker"), &coord).await),
        (StatusCode::UNPROCESSABLE_ENTITY, "/organisation_id".into())
    );
    assert_eq!(field(app.post(&people(&app), &invite("a@test.pl", &org, "administrator"), &coord).await), (StatusCode::UNPROCESSABLE_ENTITY, "/role".into()));
    // Someone already in the partnership is not invited twice.
    let ops_id = Uuid::parse_str(&org).expect("org");
    let present = server::seed::user(&app.db, "obecna@test.pl", "Obecna", ops_id, crate::helpers::PASSWORD).await.expect("user");
    server::seed::grant(&app.db, present, app.partnership_a, domain::org::Role::SocialWorker).await.expect("grant");
    assert_eq!(app.post(&people(&app), &invite("Obecna@test.pl", &org, "social_worker"), &coord).await.status, StatusCode::CONFLICT);
    // An account of another partnership gains the role here, with no link: its password
    // stays its own.
    let b = app.get("/api/v1/auth/me", &outsider).await.json()["memberships"][0]["partnership_id"].as_str().expect("B").to_string();
    let shared_person = server::seed::user(&app.db, "wspolna@test.pl", "Wspólna", ops_id, crate::helpers::PASSWORD).await.expect("user");
    server::seed::grant(&app.db, shared_person, Uuid::parse_str(&b).expect("B"), domain::org::Role::SocialWorker).await.expect("grant");
    let r = app.post(&people(&app), &invite("wspolna@test.pl", &org, "key_consultant"), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["link"], "");
    assert_eq!(r.json()["person"]["role"], "key_consultant");
    // A coordinator does not switch themselves off, nor a person who also works in a
    // partnership they do not steer.
    let own = format!("{}/{}/deactivate", people(&app), app.coordinator_a);
    assert_eq!(app.post(&own, &json!(null), &coord).await.status, StatusCode::CONFLICT);
    let shared = format!("{}/{}/deactivate", people(&app), shared_person);
    assert_eq!(app.post(&shared, &json!(null), &coord).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn switching_an_account_off_ends_its_sessions_at_once_and_holds_what_its_devices_send() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let anna = app.login("consultant.a@test").await;
    let id = app.insert_client(&app.person(21, Some(app.consultant_a))).await;
    let tablet = Uuid::now_v7();
    let edit = |base: i64, old: &str, new: &str| {
        json!({"device_id": tablet, "mutations": [{"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "edit", "doc_type": "client",
            "doc_id": id, "base_revision": base, "changes": [{"path": ["city"], "old": old, "new": new}]}]})
    };
    let r = app.post("/api/v1/sync/push", &edit(1, "Kielce", "Radom"), &anna).await.json();
    assert_eq!(r["results"][0]["outcome"]["status"], "applied", "{r}");

    let off = format!("{}/{}/deactivate", people(&app), app.consultant_a);
    let r = app.post(&off, &json!(null), &coord).await;
    assert_eq!(r.json()["state"], "inactive", "{}", r.text);
    assert_eq!(r.json()["devices"].as_array().map(Vec::len), Some(1), "the tablet, revoked with the account, is listed: it may hold changes");
    let (revoked,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM devices WHERE id = $1 AND revoked_at IS NOT NULL").bind(tablet.to_string()).fetch_one(&app.db.pool).await.expect("device");
    assert_eq!(revoked, 1, "revoked with the account");
    assert_eq!(app.get("/api/v1/auth/me", &anna).await.status, StatusCode::UNAUTHORIZED, "the live session ends at once");
    assert_eq!(app.try_login("consultant.a@test", crate::helpers::PASSWORD).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.post(&format!("{}/{}/reset", people(&app), app.consultant_a), &json!(null), &coord).await.status, StatusCode::CONFLICT);

    let on = format!("{}/{}/reactivate", people(&app), app.consultant_a);
    assert_eq!(app.post(&on, &json!(null), &coord).await.json()["state"], "active");
    let anna = app.login("consultant.a@test").await;
    // What the old tablet sends now is held for a coordinator, not applied, not lost.
    let r = app.post("/api/v1/sync/push", &edit(2, "Radom", "Opatów"), &anna).await.json();
    assert_eq!(r["results"][0]["outcome"]["status"], "held", "{r}");
    let held = app.get(&format!("/api/v1/partnerships/{}/held", app.partnership_a), &coord).await.json();
    assert_eq!(held.as_array().map(Vec::len), Some(1));

    // A reset started by the coordinator ends every session; the link sets a new password.
    let h = app.post(&format!("{}/{}/reset", people(&app), app.consultant_a), &json!(null), &coord).await.json();
    assert_eq!(h["person"]["state"], "active");
    assert_eq!(app.get("/api/v1/auth/me", &anna).await.status, StatusCode::UNAUTHORIZED);
    let link = format!("/api/v1/account-links/{}", token(&h));
    assert_eq!(app.request(Method::GET, &link, None, None).await.json()["purpose"], "reset");
    assert_eq!(app.request(Method::POST, &link, Some(&json!({"password": NEW_PASSWORD})), None).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.try_login("consultant.a@test", crate::helpers::PASSWORD).await.status, StatusCode::UNAUTHORIZED, "the old password is gone");
    app.login_with("consultant.a@test", NEW_PASSWORD).await;
    assert_eq!(audited(&app, &format!("person {} deactivated", app.consultant_a)).await, 1);
    assert_eq!(audited(&app, &format!("person {} password reset started", app.consultant_a)).await, 1);
}

#[tokio::test]
async fn a_lapsed_authorisation_blocks_sign_in_saying_so_and_the_dashboard_lists_those_ending() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let anna = app.login("consultant.a@test").await;
    let path = format!("{}/{}/authorisation", people(&app), app.consultant_a);
    let today = server::today();
    let day = |d: i64| (today + time::Duration::days(d)).to_string();
    let put = |body: Value, s: &Session| {
        let (app, path, s) = (&app, path.clone(), s.clone());
        async move { app.request(Method::PUT, &path, Some(&body), Some(&s)).await }
    };
    assert_eq!(put(json!({"number": "7/2026", "issued": day(-100), "expires": ""}), &anna).await.status, StatusCode::FORBIDDEN);
    let r = put(json!({"number": "7/2026", "issued": day(-100), "expires": day(-200)}), &coord).await;
    assert_eq!((r.status, r.json()["errors"][0]["pointer"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("/expires")));

    // Ending in ten days: still signs in, and the dashboard names it.
    let r = put(json!({"number": " 7/2026 ", "issued": day(-100), "expires": day(10)}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["authorisation"]["number"], "7/2026");
    assert_eq!(app.try_login("consultant.a@test", crate::helpers::PASSWORD).await.status, StatusCode::OK);
    let d = app.get(&format!("/api/v1/partnerships/{}/dashboard", app.partnership_a), &coord).await.json();
    assert_eq!(d["authorisations"][0]["user_id"], json!(app.consultant_a));
    assert_eq!(d["authorisations"][0]["lapsed"], false);

    // Its last day was yesterday: the right password is refused, saying why and since when.
    put(json!({"number": "7/2026", "issued": day(-100), "expires": day(-1)}), &coord).await;
    let r = app.try_login("consultant.a@test", crate::helpers::PASSWORD).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let last = domain::validation::format_date(today - time::Duration::days(1));
    assert_eq!(r.json()["type"], "/problems/authorisation-lapsed");
    assert!(r.json()["detail"].as_str().is_some_and(|t| t.contains("upoważnienie") && t.contains(&last)), "{}", r.text);
    // A wrong password says nothing about the authorisation.
    assert_eq!(app.try_login("consultant.a@test", "zupełnie złe hasło").await.status, StatusCode::UNAUTHORIZED);
    let d = app.get(&format!("/api/v1/partnerships/{}/dashboard", app.partnership_a), &coord).await.json();
    assert_eq!(d["authorisations"][0]["lapsed"], true);
    // Renewed (until revoked): signs in again.
    put(json!({"number": "8/2026", "issued": day(0), "expires": ""}), &coord).await;
    assert_eq!(app.try_login("consultant.a@test", crate::helpers::PASSWORD).await.status, StatusCode::OK);
    assert_eq!(audited(&app, &format!("person {} authorisation 8/2026 from % until revoked", app.consultant_a)).await, 1);
}

/// A data protection officer (IOD) assigned to a partnership reads its access log and
/// nothing of its clients: no list, no record, no document, no dashboard, no people.
#[tokio::test]
async fn a_data_protection_officer_reads_the_access_log_and_nothing_of_the_clients() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let org = ops(&app, &coord).await;
    let client = app.insert_client(&app.person(5, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    app.get(&format!("/api/v1/clients/{client}"), &anna).await;
    let h = app.post(&people(&app), &json!({"email": "iod@test.pl", "display_name": "Inspektor Danych", "organisation_id": org, "role": "data_protection_officer"}), &coord).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.text);
    let link = format!("/api/v1/account-links/{}", token(&h.json()));
    assert_eq!(app.request(Method::POST, &link, Some(&json!({"password": NEW_PASSWORD})), None).await.status, StatusCode::NO_CONTENT);
    let iod = app.login_with("iod@test.pl", NEW_PASSWORD).await;

    let r = app.get(&format!("/api/v1/partnerships/{}/audit?client={client}", app.partnership_a), &iod).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(!r.json()["items"].as_array().expect("items").is_empty());
    let csv = app.get(&format!("/api/v1/partnerships/{}/audit/export.csv", app.partnership_a), &iod).await;
    assert_eq!(csv.status, StatusCode::OK);

    let p = app.partnership_a;
    for path in [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/clients/{client}/documents"),
        format!("/api/v1/clients/{client}/notes"),
        format!("/api/v1/clients?partnership_id={p}"),
        format!("/api/v1/partnerships/{p}/dashboard"),
        format!("/api/v1/partnerships/{p}/people"),
        format!("/api/v1/partnerships/{p}/consultants"),
        format!("/api/v1/partnerships/{p}/docs/agreement"),
        format!("/api/v1/partnerships/{p}/surveys"),
    ] {
        let r = app.get(&path, &iod).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text);
    }
    // The whole list and the device's caseload hold no one.
    assert_eq!(app.get("/api/v1/clients", &iod).await.json()["items"], json!([]));
    assert_eq!(app.get("/api/v1/sync/caseload", &iod).await.json()["clients"], json!([]));
    // Nor can the officer be made anyone's key consultant.
    let consultants = app.get(&format!("/api/v1/partnerships/{p}/consultants"), &coord).await.json();
    assert!(consultants.as_array().expect("consultants").iter().all(|c| c["display_name"] != "Inspektor Danych"), "{consultants}");
}
