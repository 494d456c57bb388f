//! Restriction of processing (issue 20, GDPR art. 18): a coordinator restricts a
//! client's processing with a reason; until it is lifted every write is refused — the
//! record, a document, a note, over the API and through sync, where a device's
//! changes are held for a coordinator rather than dropped — and a held change applies
//! only once it is lifted. Both steps are in the access log; only the partnership's
//! coordinator decides.

use axum::http::{Method, StatusCode};
use domain::docs::DocType;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Session, TestApp};

async fn push(app: &TestApp, s: &Session, device: Uuid, mutation: Value) -> Value {
    let r = app.post("/api/v1/sync/push", &json!({"device_id": device, "mutations": [mutation]}), s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["results"][0]["outcome"].clone()
}

fn edit_city(client: Uuid, base: i64, old: &str, new: &str) -> Value {
    json!({"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "edit", "doc_type": "client", "doc_id": client,
        "base_revision": base, "changes": [{"path": ["city"], "old": old, "new": new}]})
}

#[tokio::test]
async fn a_restricted_client_is_read_only_everywhere_and_a_devices_changes_wait_for_the_lifting() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(3, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    app.create_doc(&anna, id, DocType::Ipd, json!({"goal": "Praca w kwiaciarni"})).await;
    let coord = app.login("coord.a@test").await;
    let path = format!("/api/v1/clients/{id}/restriction");

    // Only the coordinator restricts, and says why.
    let r = app.put(&path, &json!({"restricted": true, "reason": "Osoba kwestionuje prawidłowość danych"}), &anna).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let r = app.put(&path, &json!({"restricted": true, "reason": "  "}), &coord).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["pointer"], "/reason");
    let r = app.put(&path, &json!({"restricted": true, "reason": "Osoba kwestionuje prawidłowość danych"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let restriction = &r.json()["restriction"];
    assert_eq!((restriction["by"].as_str(), restriction["reason"].as_str()), (Some("Koordynator A"), Some("Osoba kwestionuje prawidłowość danych")));
    assert_eq!(app.put(&path, &json!({"restricted": true, "reason": "Drugi raz"}), &coord).await.status, StatusCode::CONFLICT);

    // The consultant still reads the record, with the restriction on it.
    let record = app.get(&format!("/api/v1/clients/{id}"), &anna).await.json();
    assert_eq!(record["restriction"]["reason"], "Osoba kwestionuje prawidłowość danych");

    // Over the API: refused with the reason, nothing changed.
    let mut input = record["data"].clone();
    input["city"] = json!("Radom");
    let req = axum::http::Request::builder()
        .method(Method::PUT)
        .uri(format!("/api/v1/clients/{id}"))
        .header("cookie", &coord.cookie)
        .header("x-csrf-token", &coord.csrf)
        .header("if-match", format!("\"{}\"", record["version"]))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(input.to_string()))
        .expect("request");
    let r = app.raw(req).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["type"], "/problems/restricted");
    assert!(r.json()["detail"].as_str().expect("detail").contains("Osoba kwestionuje prawidłowość danych"));

    // Through sync: the record, a document and a note are held, never applied nor dropped.
    let tablet = Uuid::now_v7();
    let city = edit_city(id, 1, "Kielce", "Radom");
    let outcome = push(&app, &anna, tablet, city.clone()).await;
    assert_eq!(outcome["status"], "held", "{outcome}");
    assert!(outcome["message"].as_str().expect("message").contains("art. 18"));
    let ipd = json!({"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "edit", "doc_type": "ipd",
        "doc_id": domain::docs::doc_id_for(id, DocType::Ipd), "base_revision": 1, "changes": [{"path": ["goal"], "old": "Praca w kwiaciarni", "new": "Praca w ogrodzie"}]});
    assert_eq!(push(&app, &anna, tablet, ipd).await["status"], "held");
    let note = json!({"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": id, "text": "Wizyta"});
    assert_eq!(push(&app, &anna, tablet, note).await["status"], "held");
    // A resend is held once.
    assert_eq!(push(&app, &anna, tablet, city.clone()).await["status"], "held");
    let record = app.get(&format!("/api/v1/clients/{id}"), &anna).await.json();
    assert_eq!((record["version"].as_i64(), record["data"]["city"].as_str()), (Some(1), Some("Kielce")));
    let docs = app.get(&format!("/api/v1/clients/{id}/documents"), &anna).await.json();
    assert_eq!(docs[0]["data"]["goal"], "Praca w kwiaciarni");
    assert_eq!(app.get(&format!("/api/v1/clients/{id}/notes"), &anna).await.json(), json!([]));

    let held = app.get(&format!("/api/v1/partnerships/{}/held", app.partnership_a), &coord).await.json();
    let held = held.as_array().expect("held");
    assert_eq!(held.len(), 3, "{held:?}");
    assert!(held.iter().all(|h| h["client_id"] == json!(id) && h["client_name"] != ""), "each names its client: {held:?}");
    // Applying one while the restriction holds is refused, and it stays held.
    let decide = format!("/api/v1/held/{}/decide", city["id"].as_str().expect("id"));
    let r = app.post(&decide, &json!({"apply": true}), &coord).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["type"], "/problems/restricted");

    // Lifted, with its reason: the held change applies and writes work again.
    assert_eq!(app.put(&path, &json!({"restricted": false, "reason": ""}), &coord).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.put(&path, &json!({"restricted": false, "reason": "Dane sprostowano na wniosek osoby"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["restriction"], Value::Null);
    let r = app.post(&decide, &json!({"apply": true}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(app.get(&format!("/api/v1/clients/{id}"), &anna).await.json()["data"]["city"], "Radom");
    assert_eq!(push(&app, &anna, tablet, edit_city(id, 2, "Radom", "Opatów")).await["status"], "applied");

    let log = app.get(&format!("/api/v1/partnerships/{}/audit?client={id}", app.partnership_a), &coord).await.json();
    let details: Vec<&str> = log["items"].as_array().expect("items").iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(details.contains(&"processing restricted (GDPR art. 18): Osoba kwestionuje prawidłowość danych"), "{details:?}");
    assert!(details.contains(&"restriction of processing lifted: Dane sprostowano na wniosek osoby"), "{details:?}");
}

#[tokio::test]
async fn another_partnership_cannot_restrict_or_lift() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(4, Some(app.consultant_a))).await;
    let outsider = app.login("consultant.b@test").await;
    let r = app.put(&format!("/api/v1/clients/{id}/restriction"), &json!({"restricted": true, "reason": "Przejęcie"}), &outsider).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn while_restricted_no_conflict_is_kept_or_resolved_and_a_new_documents_edits_wait_with_it() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(5, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let tablet = Uuid::now_v7();
    assert_eq!(push(&app, &anna, tablet, edit_city(id, 1, "Kielce", "Radom")).await["status"], "applied");
    let first = push(&app, &anna, tablet, edit_city(id, 1, "Kielce", "Opatów")).await;
    assert_eq!(first["status"], "conflict", "{first}");
    let conflict = first["conflicts"][0]["id"].as_str().expect("conflict").to_string();
    let r = app.put(&format!("/api/v1/clients/{id}/restriction"), &json!({"restricted": true, "reason": "Sprzeciw osoby"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);

    // A conflict is not decided while the restriction holds.
    let r = app.post(&format!("/api/v1/conflicts/{conflict}/resolve"), &json!({"value": "Radom"}), &anna).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text);
    assert_eq!(r.json()["type"], "/problems/restricted");

    // A held change that would only make a conflict is not applied either: no conflict
    // is written from it while the restriction holds.
    let only_conflict = edit_city(id, 1, "Kielce", "Sandomierz");
    assert_eq!(push(&app, &anna, tablet, only_conflict.clone()).await["status"], "held");
    let decide = format!("/api/v1/held/{}/decide", only_conflict["id"].as_str().expect("id"));
    assert_eq!(app.post(&decide, &json!({"apply": true}), &coord).await.status, StatusCode::CONFLICT);
    assert_eq!(app.get(&format!("/api/v1/clients/{id}/conflicts"), &anna).await.json().as_array().map(Vec::len), Some(1));

    // A document made on the tablet is held, and so is a later edit of it, in another push.
    let doc_id = domain::docs::doc_id_for(id, DocType::Ipd);
    let create = json!({"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "create", "doc_type": "ipd", "doc_id": doc_id,
        "data": {"client_id": id, "goal": "Praca w kwiaciarni"}});
    assert_eq!(push(&app, &anna, tablet, create.clone()).await["status"], "held");
    let later = json!({"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "edit", "doc_type": "ipd", "doc_id": doc_id,
        "base_revision": 1, "changes": [{"path": ["goal"], "old": "Praca w kwiaciarni", "new": "Praca w ogrodzie"}]});
    assert_eq!(push(&app, &anna, tablet, later.clone()).await["status"], "held", "not refused as an unknown document");

    // Lifted: the held changes apply in order.
    let r = app.put(&format!("/api/v1/clients/{id}/restriction"), &json!({"restricted": false, "reason": "Sprzeciw rozpatrzony"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    for m in [&create, &later] {
        let r = app.post(&format!("/api/v1/held/{}/decide", m["id"].as_str().expect("id")), &json!({"apply": true}), &coord).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    }
    let docs = app.get(&format!("/api/v1/clients/{id}/documents"), &anna).await.json();
    assert_eq!(docs[0]["data"]["goal"], "Praca w ogrodzie");
    let r = app.post(&format!("/api/v1/conflicts/{conflict}/resolve"), &json!({"value": "Radom"}), &anna).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
}
