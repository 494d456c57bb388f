//! Case documents through the sync engine: each kind created and read, two devices
//! writing one client's document offline, the partnership rules the server
//! re-checks, history and versions, custom services, and refusal across partnerships.

use axum::http::StatusCode;
use domain::docs::doc_id_for;
use domain::docs::DocType;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Session, TestApp};

fn create(doc_type: DocType, client: Uuid, mut data: Value) -> Value {
    data["client_id"] = json!(client);
    json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "create", "doc_type": doc_type.as_str(),
           "doc_id": doc_id_for(client, doc_type), "data": data})
}

fn edit(doc_type: DocType, client: Uuid, base: i64, changes: Value) -> Value {
    json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "edit", "doc_type": doc_type.as_str(),
           "doc_id": doc_id_for(client, doc_type), "base_revision": base, "changes": changes})
}

async fn push(app: &TestApp, s: &Session, mutations: Vec<Value>) -> Vec<Value> {
    let r = app.post("/api/v1/sync/push", &json!({"device_id": Uuid::now_v7(), "mutations": mutations}), s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["results"].as_array().expect("results").iter().map(|r| r["outcome"].clone()).collect()
}

async fn partner_id(app: &TestApp) -> String {
    let (id,): (String,) = sqlx::query_as("SELECT organisation_id FROM partnership_members WHERE partnership_id = $1")
        .bind(app.partnership_a.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("partner");
    id
}

#[tokio::test]
async fn every_kind_of_document_is_created_from_a_device_read_back_and_its_reading_audited() {
    let app = TestApp::spawn().await;
    let client = app.insert_client(&app.person(1, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let partner = partner_id(&app).await;
    let docs = vec![
        create(DocType::Assessment, client, json!({"strengths": "punktualna", "skills": {"motivation": 8}, "disability": "moderate"})),
        create(DocType::Ipd, client, json!({"date": "2026-11-01", "goal": "Praca w gastronomii",
            "social": {"tasks_ops": [{"id": "t1", "task": "Terapia", "owner": "ops", "from": "2026-11-02", "to": "2026-12-20"}]}})),
        create(DocType::Contract, client, json!({"date": "2026-11-02", "main_goal": "Zatrudnienie",
            "evaluations": [{"id": "e1", "date": "2026-11-20", "outcome": "on_track", "next_date": "2027-01-20"}]})),
        create(DocType::Services, client, json!({"rows": [{"id": "s1", "date": "2026-11-10", "service": "job_club", "partner": partner, "finished": true}]})),
        create(DocType::Effects, client, json!({"employment_date": "2026-03-01", "rows": [{"id": "f1", "indicator": "employment", "date": "2026-03-01"}]})),
        create(DocType::Path, client, json!({"directions": ["reintegration_entities"], "work_form": "individual",
            "steps": {"identification": {"annotations": [{"id": "a1", "date": "2026-11-03", "text": "Pierwsza rozmowa"}]}}})),
    ];
    let outcomes = push(&app, &s, docs).await;
    for o in &outcomes {
        assert_eq!(o, &json!({"status": "applied", "revision": 1}));
    }
    let r = app.get(&format!("/api/v1/clients/{client}/documents"), &s).await;
    assert_eq!(r.status, StatusCode::OK);
    let list = r.json();
    assert_eq!(list.as_array().map(Vec::len), Some(6));
    let ipd = list.as_array().expect("list").iter().find(|d| d["doc_type"] == "ipd").expect("ipd");
    assert_eq!(ipd["data"]["social"]["tasks_ops"][0]["task"], "Terapia");
    assert_eq!(ipd["updated_by"], "Konsultant A");
    // Normalised as the domain type has it: empty fields present, unknown ones gone.
    assert_eq!(ipd["data"]["vocational"]["tasks_pup"], json!([]));
    let coord = app.login("coord.a@test").await;
    let log = app.get(&format!("/api/v1/partnerships/{}/audit", app.partnership_a), &coord).await.json()["items"].clone();
    assert!(log.as_array().expect("log").iter().any(|e| e["action"] == "read" && e["detail"].as_str().is_some_and(|d| d.contains("art. 9"))), "{log}");
    // The device's caseload carries the documents for offline work.
    let caseload = app.get("/api/v1/sync/caseload", &s).await.json();
    assert_eq!(caseload["documents"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn two_devices_that_start_the_same_plan_offline_write_into_one_document() {
    let app = TestApp::spawn().await;
    let client = app.insert_client(&app.person(2, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let a = create(DocType::Ipd, client, json!({"goal": "Praca", "social": {"tasks_self": [{"id": "a1", "task": "Basen", "owner": "client"}]}}));
    let b = create(DocType::Ipd, client, json!({"goal": "Kurs", "vocational": {"position": "kucharz"},
        "social": {"tasks_self": [{"id": "b1", "task": "Spacer", "owner": "client"}]}}));
    assert_eq!(push(&app, &anna, vec![a]).await[0]["status"], "applied");
    let second = push(&app, &coord, vec![b]).await;
    assert_eq!(second[0]["status"], "conflict", "{second:?}");
    assert_eq!(second[0]["conflicts"][0]["path"], json!(["goal"]));
    let doc = app.get(&format!("/api/v1/documents/{}", doc_id_for(client, DocType::Ipd)), &anna).await.json();
    // Both tasks and the position kept; the goal keeps the first and the conflict the second.
    let tasks: Vec<&str> = doc["data"]["social"]["tasks_self"].as_array().expect("rows").iter().filter_map(|t| t["task"].as_str()).collect();
    assert_eq!(tasks, ["Basen", "Spacer"]);
    assert_eq!((doc["data"]["goal"].as_str(), doc["data"]["vocational"]["position"].as_str()), (Some("Praca"), Some("kucharz")));
    let conflict = second[0]["conflicts"][0]["id"].as_str().expect("id").to_string();
    let r = app.post(&format!("/api/v1/conflicts/{conflict}/resolve"), &json!({"value": "Kurs"}), &anna).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let doc = app.get(&format!("/api/v1/documents/{}", doc_id_for(client, DocType::Ipd)), &anna).await.json();
    assert_eq!(doc["data"]["goal"], "Kurs");
    assert_eq!(doc["version"], 3);
    // Every version is kept, and any two can be compared.
    let history = app.get(&format!("/api/v1/documents/{}/history", doc_id_for(client, DocType::Ipd)), &anna).await.json();
    assert_eq!(history.as_array().map(Vec::len), Some(3));
    assert_eq!(history[0]["fields"], json!(["/goal"]));
    let v1 = app.get(&format!("/api/v1/documents/{}/versions/1", doc_id_for(client, DocType::Ipd)), &anna).await.json();
    assert_eq!((v1["data"]["goal"].as_str(), v1["by"].as_str()), (Some("Praca"), Some("Konsultant A")));
}

#[tokio::test]
async fn the_server_re_checks_every_rule_against_the_partnership_as_it_is() {
    let app = TestApp::spawn().await;
    let client = app.insert_client(&app.person(3, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    // Partnership A has no labour office: a task for PUP is refused, with the field named.
    let pup = create(DocType::Ipd, client, json!({"vocational": {"tasks_pup": [{"id": "p", "task": "Staż", "owner": "pup"}]}}));
    let o = &push(&app, &s, vec![pup]).await[0];
    assert_eq!(o["status"], "rejected");
    assert_eq!(o["errors"][0]["pointer"], "/vocational/tasks_pup/p/owner");
    assert_eq!(o["errors"][0]["code"], "no_such_partner");
    // A plan that is fine is stored; an edit that makes a task end before it starts is not.
    let ok = create(DocType::Ipd, client, json!({"date": "2026-11-01", "social": {"tasks_ngo": [{"id": "n", "task": "Warsztaty", "owner": "other", "from": "2026-11-05", "to": "2026-11-10"}]}}));
    assert_eq!(push(&app, &s, vec![ok]).await[0]["status"], "applied");
    let bad = edit(DocType::Ipd, client, 1, json!([{"path": ["social", "tasks_ngo", "#n", "to"], "old": "2026-11-10", "new": "2026-11-01"}]));
    let o = &push(&app, &s, vec![bad]).await[0];
    assert_eq!(o["errors"][0]["code"], "range", "{o}");
    // A rating off the scale, a document pointing at another client's id, nonsense.
    let rating = create(DocType::Assessment, client, json!({"skills": {"leadership": 11}}));
    assert_eq!(push(&app, &s, vec![rating]).await[0]["errors"][0]["code"], "rating");
    let mut wrong_id = create(DocType::Contract, client, json!({}));
    wrong_id["doc_id"] = json!(doc_id_for(client, DocType::Ipd));
    assert_eq!(push(&app, &s, vec![wrong_id]).await[0]["errors"][0]["code"], "doc_id");
    let malformed = create(DocType::Services, client, json!({"rows": "lots"}));
    assert_eq!(push(&app, &s, vec![malformed]).await[0]["errors"][0]["code"], "malformed");
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM documents").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(n, 1);
}

/// A device checks documents against each partnership's own members and services:
/// `/auth/me` gives every membership its own, for one partnership or for many (past
/// 16 the partnerships are read as one list, not one by one).
#[tokio::test]
async fn every_membership_carries_its_own_partners_and_services() {
    use domain::org::{OrgType, PartnershipKind, Role};
    use server::seed;
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let mut expected = Vec::new();
    for n in 0..20 {
        let org = seed::organisation(&app.db, &format!("Stowarzyszenie {n:02}"), OrgType::Ngo, "Kielce").await.expect("org");
        let pup = seed::organisation(&app.db, &format!("PUP {n:02}"), OrgType::Pup, "Kielce").await.expect("org");
        let p = seed::partnership(&app.db, &format!("Partnerstwo {n:02}"), PartnershipKind::Local, &[org, pup]).await.expect("partnership");
        seed::grant(&app.db, app.coordinator_a, p, Role::Coordinator).await.expect("grant");
        expected.push((p, n));
    }
    let coord_again = app.login("coord.a@test").await;
    for (p, n) in expected.iter().filter(|(_, n)| n % 7 == 0) {
        let r = app.post(&format!("/api/v1/partnerships/{p}/services"), &json!({"name": format!("Usługa {n:02}")}), &coord_again).await;
        assert!(r.status.is_success(), "{}", r.text);
    }
    drop(coord);
    let me = app.get("/api/v1/auth/me", &coord_again).await.json();
    let memberships = me["memberships"].as_array().expect("memberships");
    assert_eq!(memberships.len(), 21);
    for (p, n) in &expected {
        let m = memberships.iter().find(|m| m["partnership_id"] == json!(p)).expect("membership");
        let partners: Vec<&str> = m["partners"].as_array().expect("partners").iter().map(|o| o["name"].as_str().expect("name")).collect();
        assert_eq!(partners, [format!("PUP {n:02}"), format!("Stowarzyszenie {n:02}")], "by name");
        let services: Vec<&str> = m["custom_services"].as_array().expect("services").iter().map(|o| o["name"].as_str().expect("name")).collect();
        if n % 7 == 0 {
            assert_eq!(services, [format!("Usługa {n:02}")]);
        } else {
            assert!(services.is_empty(), "{services:?}");
        }
    }
    let a = memberships.iter().find(|m| m["partnership_id"] == json!(app.partnership_a)).expect("partnership A");
    assert_eq!(a["partners"][0]["name"], "OPS A");
}

#[tokio::test]
async fn a_coordinator_extends_the_catalogue_and_the_service_can_then_be_recorded() {
    let app = TestApp::spawn().await;
    let client = app.insert_client(&app.person(4, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let path = format!("/api/v1/partnerships/{}/services", app.partnership_a);
    assert_eq!(app.post(&path, &json!({"name": "Rowerem do pracy"}), &s).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&path, &json!({"name": "  "}), &coord).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let list = app.post(&path, &json!({"name": "Rowerem do pracy"}), &coord).await.json();
    let code = list[0]["code"].as_str().expect("code").to_string();
    let me = app.get("/api/v1/auth/me", &s).await.json();
    assert_eq!(me["memberships"][0]["custom_services"][0]["name"], "Rowerem do pracy");
    assert_eq!(me["memberships"][0]["partners"][0]["org_type"], "ops");
    let unknown = create(DocType::Services, client, json!({"rows": [{"id": "r", "date": "2026-11-02", "service": "custom:nope"}]}));
    assert_eq!(push(&app, &s, vec![unknown]).await[0]["errors"][0]["code"], "unknown_service");
    let known = create(DocType::Services, client, json!({"rows": [{"id": "r", "date": "2026-11-02", "service": format!("custom:{code}")}]}));
    assert_eq!(push(&app, &s, vec![known]).await[0]["status"], "applied");
}

#[tokio::test]
async fn a_document_of_another_partnership_cannot_be_written_read_or_guessed() {
    let app = TestApp::spawn().await;
    let client = app.insert_client(&app.person(5, Some(app.consultant_a))).await;
    let owner = app.login("consultant.a@test").await;
    assert_eq!(push(&app, &owner, vec![create(DocType::Contract, client, json!({"main_goal": "Tajny cel"}))]).await[0]["status"], "applied");
    let outsider = app.login("consultant.b@test").await;
    let attempts = vec![
        create(DocType::Ipd, client, json!({"goal": "obcy"})),
        create(DocType::Contract, client, json!({"main_goal": "obcy"})),
        edit(DocType::Contract, client, 1, json!([{"path": ["main_goal"], "old": "Tajny cel", "new": "obcy"}])),
    ];
    for o in push(&app, &outsider, attempts).await {
        assert_eq!(o["errors"][0]["code"], "not_found", "{o}");
    }
    let doc = app.get(&format!("/api/v1/documents/{}", doc_id_for(client, DocType::Contract)), &outsider).await;
    assert_eq!(doc.status, StatusCode::NOT_FOUND);
    assert!(!doc.text.contains("Tajny"));
    let (data,): (String,) = sqlx::query_as("SELECT data FROM documents").fetch_one(&app.db.pool).await.expect("doc");
    assert!(data.contains("Tajny cel") && !data.contains("obcy"));
    let (refused,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'refused' AND partnership_id = $1")
        .bind(app.partnership_a.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(refused, 3);
}
