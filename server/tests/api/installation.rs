//! Setting up an installation without a shell (issue 19): the first administrator on
//! an empty database from the server's own machine, once; organisations registered
//! with checked registry numbers; a partnership created with its first coordinator,
//! who chooses their own password by the link and signs in as its coordinator.

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use crate::helpers::TestApp;

fn first_run(email: &str) -> Value {
    json!({
        "organisation": {"name": "Miejski Ośrodek Pomocy Społecznej w Radomiu", "org_type": "ops", "seat": "Radom", "regon": "123456785", "nip": "526-000-12-46"},
        "display_name": "Administrator MOPS",
        "email": email,
        "password": "hasło administratora 2026",
        "token": crate::helpers::SETUP_TOKEN,
    })
}

#[tokio::test]
async fn the_first_administrator_is_made_once_on_an_empty_database_from_the_servers_own_machine() {
    let app = TestApp::spawn_empty().await;
    let state = app.request(Method::GET, "/api/v1/setup", None, None).await.json();
    assert_eq!(state, json!({"needed": true, "allowed_here": false}), "a request from elsewhere");
    let local = app.local(Method::GET, "/api/v1/setup", &json!(null), &[]).await.json();
    assert_eq!(local, json!({"needed": true, "allowed_here": false}), "this machine, without the printed link's secret");
    let with_token = app.local(Method::GET, &format!("/api/v1/setup?token={}", crate::helpers::SETUP_TOKEN), &json!(null), &[]).await.json();
    assert_eq!(with_token, json!({"needed": true, "allowed_here": true}));

    // From another machine, through a proxy on this one, or without the secret (a
    // proxy that adds no header): refused, nothing made.
    let mut guessed = first_run("admin@mops.example");
    guessed["token"] = json!("zgadniety");
    let r = app.local(Method::POST, "/api/v1/setup", &guessed, &[]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app.request(Method::POST, "/api/v1/setup", Some(&first_run("admin@mops.example")), None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app.local(Method::POST, "/api/v1/setup", &first_run("admin@mops.example"), &[("x-forwarded-for", "203.0.113.9")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);

    // Every reason a form is refused, each at its field.
    let mut bad = first_run("admin");
    bad["password"] = json!("krótkie");
    bad["organisation"]["nip"] = json!("5260001245");
    let r = app.local(Method::POST, "/api/v1/setup", &bad, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let pointers: Vec<String> = r.json()["errors"].as_array().expect("errors").iter().filter_map(|e| e["pointer"].as_str().map(String::from)).collect();
    assert_eq!(pointers, ["/organisation/nip", "/email", "/password"]);
    let people: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(people, 0);

    let r = app.local(Method::POST, "/api/v1/setup", &first_run(" Admin@MOPS.example "), &[]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let again = app.local(Method::POST, "/api/v1/setup", &first_run("drugi@mops.example"), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "only once: {}", again.text);
    assert_eq!(app.request(Method::GET, "/api/v1/setup", None, None).await.json()["needed"], false);

    // The administrator signs in with the password they typed; they see no client.
    let admin = app.login_with("admin@mops.example", "hasło administratora 2026").await;
    let me = app.get("/api/v1/auth/me", &admin).await.json();
    assert_eq!(me["installation_admin"], true);
    assert_eq!(me["memberships"], json!([]));
    assert_eq!(app.get("/api/v1/clients", &admin).await.json()["total"], 0);
    let orgs = app.get("/api/v1/admin/organisations", &admin).await.json();
    assert_eq!(orgs[0]["nip"], "5260001246", "the number in its canonical digits: {orgs}");
    let logged: Vec<String> = sqlx::query_scalar("SELECT action FROM installation_log").fetch_all(&app.db.pool).await.expect("log");
    assert_eq!(logged, ["first_run"]);
    assert!(sqlx::query("DELETE FROM installation_log").execute(&app.db.pool).await.is_err(), "append-only");
}

#[tokio::test]
async fn an_administrator_registers_organisations_and_creates_a_partnership_whose_coordinator_signs_in() {
    let app = TestApp::spawn().await;
    let ops: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'OPS A'").fetch_one(&app.db.pool).await.expect("ops");
    app.add_admin("it@ops.test", "Informatyk").await;
    let admin = app.login("it@ops.test").await;

    // An administrator never becomes a member (and so never reads a client): not by
    // naming themselves coordinator, not by a coordinator's invitation.
    let coordinator = app.login("coord.a@test").await;
    let own = json!({"name": "Partnerstwo Informatyka", "kind": "local", "members": [ops],
        "coordinator": {"email": "it@ops.test", "display_name": "Informatyk", "organisation_id": ops}});
    let r = app.post("/api/v1/admin/partnerships", &own, &admin).await;
    assert_eq!((r.status, r.json()["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("administrator")), "{}", r.text);
    let invite = json!({"email": "it@ops.test", "display_name": "Informatyk", "organisation_id": ops, "role": "key_consultant"});
    let r = app.post(&format!("/api/v1/partnerships/{}/people", app.partnership_a), &invite, &coordinator).await;
    assert_eq!(r.json()["errors"][0]["code"], "administrator", "{}", r.text);

    // Nobody else administers: a coordinator gets nothing.
    assert_eq!(app.get("/api/v1/admin/organisations", &coordinator).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/admin/organisations", &json!({"name": "X", "org_type": "ngo"}), &coordinator).await.status, StatusCode::FORBIDDEN);

    // An organisation's numbers are checked; a name is registered once.
    let pup = json!({"name": "Powiatowy Urząd Pracy w Radomiu", "org_type": "pup", "seat": "Radom", "regon": "123456789"});
    let r = app.post("/api/v1/admin/organisations", &pup, &admin).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["pointer"], "/regon");
    let mut pup = pup;
    pup["regon"] = json!("123456785");
    let r = app.post("/api/v1/admin/organisations", &pup, &admin).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let pup_id = r.json()["id"].as_str().expect("id").to_string();
    let r = app.post("/api/v1/admin/organisations", &pup, &admin).await;
    assert_eq!((r.status, r.json()["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("taken")));

    // A partnership of the OPS and the new PUP, its coordinator a new person of the PUP.
    let body = json!({"name": "Partnerstwo Radom", "kind": "local", "members": [ops, pup_id],
        "coordinator": {"email": "Koordynator@PUP.test", "display_name": "Joanna Koordynatorka", "organisation_id": pup_id}});
    let r = app.post("/api/v1/admin/partnerships", &body, &admin).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.json();
    let p = created["partnership"]["id"].as_str().expect("id").to_string();
    assert_eq!(created["partnership"]["members"], json!(["OPS A", "Powiatowy Urząd Pracy w Radomiu"]));
    assert_eq!(created["partnership"]["coordinators"], json!(["Joanna Koordynatorka"]));
    let link = created["coordinator"]["link"].as_str().expect("link").to_string();
    assert!(link.starts_with("/konto/"), "{created}");
    let token = link.trim_start_matches("/konto/");
    let r = app.request(Method::POST, &format!("/api/v1/account-links/{token}"), Some(&json!({"password": "hasło koordynatorki 2026"})), None).await;
    assert!(r.status.is_success(), "{}", r.text);
    let joanna = app.login_with("koordynator@pup.test", "hasło koordynatorki 2026").await;
    let me = app.get("/api/v1/auth/me", &joanna).await.json();
    assert_eq!(me["memberships"][0]["partnership_id"], p.as_str());
    assert_eq!(me["memberships"][0]["role"], "coordinator");
    assert_eq!(me["installation_admin"], false);
    // She manages her partnership's people; the administrator reads none of its clients.
    assert_eq!(app.get(&format!("/api/v1/partnerships/{p}/people"), &joanna).await.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/api/v1/clients?partnership_id={p}"), &admin).await.status, StatusCode::NOT_FOUND);
    // The creation is in the new partnership's access log, by the administrator.
    let log = app.get(&format!("/api/v1/partnerships/{p}/audit"), &joanna).await.json();
    assert!(log["items"].as_array().expect("items").iter().any(|e| e["action"] == "create" && e["user_name"] == "Informatyk"), "{log}");

    // She adds a registered organisation to her partnership; she may then invite its staff.
    let members = app.get(&format!("/api/v1/partnerships/{p}/members"), &joanna).await.json();
    let ngo = members["candidates"].as_array().expect("candidates").iter().find(|o| o["name"] == "NGO B").expect("NGO B")["organisation_id"].clone();
    let r = app.post(&format!("/api/v1/partnerships/{p}/members"), &json!({"organisation_id": ngo}), &joanna).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let after = r.json();
    let names: Vec<&str> = after["members"].as_array().expect("members").iter().filter_map(|m| m["name"].as_str()).collect();
    assert_eq!(names, ["NGO B", "OPS A", "Powiatowy Urząd Pracy w Radomiu"]);
    let again = app.post(&format!("/api/v1/partnerships/{p}/members"), &json!({"organisation_id": ngo}), &joanna).await;
    assert_eq!(again.json()["errors"][0]["code"], "member", "{}", again.text);
    let invite = json!({"email": "pracownik@ngo.test", "display_name": "Pracownik NGO", "organisation_id": ngo, "role": "key_consultant"});
    assert_eq!(app.post(&format!("/api/v1/partnerships/{p}/people"), &invite, &joanna).await.status, StatusCode::OK);
    // Another partnership's coordinator cannot change this one's parties.
    assert_eq!(app.post(&format!("/api/v1/partnerships/{p}/members"), &json!({"organisation_id": ngo}), &coordinator).await.status, StatusCode::NOT_FOUND);

    // An existing account named coordinator of a second partnership gains the role; no link.
    let body = json!({"name": "Partnerstwo Radom II", "kind": "local", "members": [pup_id],
        "coordinator": {"email": "koordynator@pup.test", "display_name": "Joanna", "organisation_id": pup_id}});
    let r = app.post("/api/v1/admin/partnerships", &body, &admin).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json()["coordinator"]["link"], "");
    // An OWES unit is one organisation of the OWES type.
    let body = json!({"name": "OWES Radom", "kind": "owes", "members": [pup_id],
        "coordinator": {"email": "x@pup.test", "display_name": "X", "organisation_id": pup_id}});
    let r = app.post("/api/v1/admin/partnerships", &body, &admin).await;
    assert_eq!(r.json()["errors"][0]["code"], "owes_unit", "{}", r.text);
    let list = app.get("/api/v1/admin/partnerships", &admin).await.json();
    let names: Vec<&str> = list.as_array().expect("list").iter().filter_map(|p| p["name"].as_str()).collect();
    assert_eq!(names, ["Partnerstwo A", "Partnerstwo B", "Partnerstwo Radom", "Partnerstwo Radom II"]);
}

#[tokio::test]
async fn an_administrator_corrects_an_organisation_and_renames_a_partnership_and_nobody_else_can() {
    let app = TestApp::spawn().await;
    let ops: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'OPS A'").fetch_one(&app.db.pool).await.expect("ops");
    app.add_admin("it@ops.test", "Informatyk").await;
    let admin = app.login("it@ops.test").await;
    let coordinator = app.login("coord.a@test").await;

    // A typo in the name and a NIP it did not have: corrected, checked as on registration.
    let r = app.post("/api/v1/admin/organisations", &json!({"name": "Stowarzyszenie Razme", "org_type": "ngo", "seat": "Radom"}), &admin).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let ngo = r.json()["id"].as_str().expect("id").to_string();
    let fixed = json!({"name": "Stowarzyszenie Razem", "org_type": "ngo", "seat": "Radom", "nip": "526-000-12-47"});
    let r = app.put(&format!("/api/v1/admin/organisations/{ngo}"), &fixed, &admin).await;
    assert_eq!((r.status, r.json()["errors"][0]["pointer"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("/nip")), "{}", r.text);
    let mut fixed = fixed;
    fixed["nip"] = json!("526-000-12-46");
    let r = app.put(&format!("/api/v1/admin/organisations/{ngo}"), &fixed, &admin).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!((r.json()["name"].clone(), r.json()["nip"].clone()), (json!("Stowarzyszenie Razem"), json!("5260001246")));
    // Its own name again is no clash; another's is.
    assert_eq!(app.put(&format!("/api/v1/admin/organisations/{ngo}"), &fixed, &admin).await.status, StatusCode::OK);
    let mut clash = fixed.clone();
    clash["name"] = json!("ops a");
    let r = app.put(&format!("/api/v1/admin/organisations/{ngo}"), &clash, &admin).await;
    assert_eq!((r.status, r.json()["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("taken")), "{}", r.text);
    // Its kind changes while it belongs to no partnership; a member's kind stays.
    let mut kind = fixed.clone();
    kind["org_type"] = json!("owes");
    assert_eq!(app.put(&format!("/api/v1/admin/organisations/{ngo}"), &kind, &admin).await.json()["org_type"], "owes");
    let ops_as_ngo = json!({"name": "OPS A", "org_type": "ngo"});
    let r = app.put(&format!("/api/v1/admin/organisations/{ops}"), &ops_as_ngo, &admin).await;
    assert_eq!((r.status, r.json()["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("in_partnership")), "{}", r.text);
    let unknown = uuid::Uuid::new_v4();
    assert_eq!(app.put(&format!("/api/v1/admin/organisations/{unknown}"), &fixed, &admin).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.put(&format!("/api/v1/admin/organisations/{ngo}"), &fixed, &coordinator).await.status, StatusCode::FORBIDDEN);
    let logged: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM installation_log WHERE detail LIKE 'organisation {ngo} changed%'"))
        .fetch_one(&app.db.pool)
        .await
        .expect("log");
    assert_eq!(logged, 3, "each saved change, none of the refused ones");

    // A partnership renamed: the list and its coordinator see the new name, its access
    // log says who did it; a name taken by another is refused, as is anyone but an
    // administrator.
    let a = app.partnership_a.to_string();
    let r = app.put(&format!("/api/v1/admin/partnerships/{a}"), &json!({"name": "Partnerstwo B"}), &admin).await;
    assert_eq!((r.status, r.json()["errors"][0]["code"].clone()), (StatusCode::UNPROCESSABLE_ENTITY, json!("taken")), "{}", r.text);
    let r = app.put(&format!("/api/v1/admin/partnerships/{a}"), &json!({"name": "  "}), &admin).await;
    assert_eq!(r.json()["errors"][0]["pointer"], "/name", "{}", r.text);
    assert_eq!(app.put(&format!("/api/v1/admin/partnerships/{a}"), &json!({"name": "Cudze"}), &coordinator).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.put(&format!("/api/v1/admin/partnerships/{unknown}"), &json!({"name": "Nowe"}), &admin).await.status, StatusCode::NOT_FOUND);
    let r = app.put(&format!("/api/v1/admin/partnerships/{a}"), &json!({"name": "Partnerstwo Radom 2027"}), &admin).await;
    assert_eq!((r.status, r.json()["name"].clone()), (StatusCode::OK, json!("Partnerstwo Radom 2027")), "{}", r.text);
    let me = app.get("/api/v1/auth/me", &coordinator).await.json();
    assert!(me["memberships"].as_array().expect("memberships").iter().any(|m| m["partnership_name"] == "Partnerstwo Radom 2027"), "{me}");
    let log = app.get(&format!("/api/v1/partnerships/{a}/audit"), &coordinator).await.json();
    assert!(
        log["items"].as_array().expect("items").iter().any(|e| e["action"] == "update" && e["user_name"] == "Informatyk" && e["detail"] == "partnership renamed: Partnerstwo Radom 2027"),
        "{log}"
    );
}
