//! The sync engine through HTTP: mutations applied at most once, field-level merges,
//! stored conflicts resolved by a person, append-only notes, scoping, bad input.

use axum::http::StatusCode;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Session, TestApp};

fn edit(doc: Uuid, base: i64, changes: Value) -> Value {
    json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "edit", "doc_type": "client",
           "doc_id": doc, "base_revision": base, "changes": changes})
}

fn change(field: &str, old: &str, new: &str) -> Value {
    json!({"path": [field], "old": old, "new": new})
}

async fn push(app: &TestApp, s: &Session, device: Uuid, mutations: Vec<Value>) -> Value {
    let r = app.post("/api/v1/sync/push", &json!({"device_id": device, "mutations": mutations}), s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

async fn client(app: &TestApp, s: &Session, id: Uuid) -> Value {
    app.get(&format!("/api/v1/clients/{id}"), s).await.json()
}

#[tokio::test]
async fn a_client_made_offline_is_created_with_the_device_id_and_edits_to_different_fields_merge() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let (tablet, phone) = (Uuid::now_v7(), Uuid::now_v7());
    let id = Uuid::now_v7();
    let create = json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "create", "doc_type": "client",
                        "doc_id": id, "data": app.person(3, Some(app.consultant_a))});
    let r = push(&app, &s, tablet, vec![create]).await;
    assert_eq!(r["results"][0]["outcome"], json!({"status": "applied", "revision": 1}));
    // Both devices edited from revision 1, different fields.
    let r = push(&app, &s, tablet, vec![edit(id, 1, json!([change("city", "Kielce", "Radom")]))]).await;
    assert_eq!(r["results"][0]["outcome"]["revision"], 2);
    let r = push(&app, &s, phone, vec![edit(id, 1, json!([change("phone", "", "600100200")]))]).await;
    assert_eq!(r["results"][0]["outcome"], json!({"status": "applied", "revision": 3}));
    let c = client(&app, &s, id).await;
    assert_eq!((c["data"]["city"].as_str(), c["data"]["phone"].as_str(), c["version"].as_i64()), (Some("Radom"), Some("600100200"), Some(3)));
    let history = app.get(&format!("/api/v1/clients/{id}/history"), &s).await.json();
    assert_eq!(history.as_array().map(Vec::len), Some(3));
    assert_eq!(history[0]["fields"], json!(["/phone"]));
    assert_eq!(history[0]["device_id"], json!(phone));
    assert_eq!(history[1]["device_id"], json!(tablet));
}

#[tokio::test]
async fn the_same_field_typed_on_two_devices_is_a_conflict_resolved_by_a_person() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(4, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    push(&app, &coord, Uuid::now_v7(), vec![edit(id, 1, json!([change("city", "Kielce", "Gdańsk")]))]).await;
    let r = push(&app, &anna, Uuid::now_v7(), vec![edit(id, 1, json!([change("city", "Kielce", "Kraków"), change("phone", "", "600100300")]))]).await;
    let outcome = &r["results"][0]["outcome"];
    assert_eq!(outcome["status"], "conflict");
    assert_eq!(outcome["revision"], 3, "the phone merged even though the city conflicts");
    let k = &outcome["conflicts"][0];
    assert_eq!((k["base"].as_str(), k["mine"].as_str(), k["theirs"].as_str()), (Some("Kielce"), Some("Kraków"), Some("Gdańsk")));
    assert_eq!(k["mine_by"], "Konsultant A");
    assert_eq!(k["theirs_by"], "Koordynator A");
    // Nothing of either side is lost: the field keeps theirs, the conflict keeps mine.
    assert_eq!(client(&app, &anna, id).await["data"]["city"], "Gdańsk");
    let seen_by_coord = app.get(&format!("/api/v1/clients/{id}/conflicts"), &coord).await.json();
    assert_eq!(seen_by_coord[0]["mine"], "Kraków");
    let conflict = k["id"].as_str().expect("id").to_string();
    let r = app.post(&format!("/api/v1/conflicts/{conflict}/resolve"), &json!({"value": "Kraków"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json()["resolved_by"], "Koordynator A");
    assert_eq!(client(&app, &anna, id).await["data"]["city"], "Kraków");
    let seen_by_anna = app.get(&format!("/api/v1/clients/{id}/conflicts"), &anna).await.json();
    assert_eq!(seen_by_anna[0]["resolution"], "Kraków");
    let again = app.post(&format!("/api/v1/conflicts/{conflict}/resolve"), &json!({"value": "Gdańsk"}), &anna).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_resent_batch_after_a_lost_answer_applies_nothing_twice() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(5, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let device = Uuid::now_v7();
    let note = json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "add_note", "note_id": Uuid::now_v7(),
                      "client_id": id, "text": "Wizyta domowa"});
    let batch = vec![edit(id, 1, json!([change("city", "Kielce", "Radom")])), note];
    let first = push(&app, &s, device, batch.clone()).await;
    let second = push(&app, &s, device, batch).await;
    assert_eq!(first, second);
    assert_eq!(client(&app, &s, id).await["version"], 2);
    let notes = app.get(&format!("/api/v1/clients/{id}/notes"), &s).await.json();
    assert_eq!(notes.as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn two_tabs_sending_the_same_mutation_at_once_apply_it_once() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(6, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let device = Uuid::now_v7();
    let m = vec![edit(id, 1, json!([change("city", "Kielce", "Radom")]))];
    let body = json!({"device_id": device, "mutations": m});
    let (a, b) = tokio::join!(app.post("/api/v1/sync/push", &body, &s), app.post("/api/v1/sync/push", &body, &s));
    // One may have to be retried (a lost race on the claim); neither applies twice.
    let ok: Vec<_> = [&a, &b].into_iter().filter(|r| r.status == StatusCode::OK).collect();
    assert!(!ok.is_empty(), "{} / {}", a.text, b.text);
    let retried = push(&app, &s, device, m).await;
    assert_eq!(retried["results"][0]["outcome"]["revision"], 2);
    assert_eq!(client(&app, &s, id).await["version"], 2);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM doc_versions WHERE doc_id = $1").bind(id.to_string()).fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(n, 2);
}

#[tokio::test]
async fn in_a_batch_the_valid_mutations_apply_and_the_invalid_one_comes_back_with_its_errors() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(7, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let bad = edit(id, 1, json!([{"path": ["pesel"], "old": app.person(7, None)["pesel"], "new": "85031401235"}]));
    let good = edit(id, 1, json!([change("city", "Kielce", "Radom")]));
    let r = push(&app, &s, Uuid::now_v7(), vec![bad, good]).await;
    assert_eq!(r["results"][0]["outcome"]["status"], "rejected");
    assert_eq!(r["results"][0]["outcome"]["errors"][0]["pointer"], "/pesel");
    assert_eq!(r["results"][0]["outcome"]["errors"][0]["message"], "Nieprawidłowa cyfra kontrolna.");
    assert_eq!(r["results"][1]["outcome"], json!({"status": "applied", "revision": 2}));
    assert_eq!(client(&app, &s, id).await["data"]["city"], "Radom");
}

#[tokio::test]
async fn a_mutation_naming_another_partnerships_document_is_refused_and_audited() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(8, Some(app.consultant_a))).await;
    let outsider = app.login("consultant.b@test").await;
    let note = json!({"id": Uuid::now_v7(), "written_at": 1, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": id, "text": "x"});
    let r = push(&app, &outsider, Uuid::now_v7(), vec![edit(id, 1, json!([change("city", "Kielce", "Radom")])), note]).await;
    for i in 0..2 {
        assert_eq!(r["results"][i]["outcome"]["errors"][0]["code"], "not_found");
    }
    assert!(!r.to_string().contains("Kielce"));
    let (refused,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'refused' AND partnership_id = $1")
        .bind(app.partnership_a.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(refused, 2);
    let anna = app.login("consultant.a@test").await;
    assert_eq!(client(&app, &anna, id).await["version"], 1);
}

#[tokio::test]
async fn notes_from_two_devices_are_all_kept_in_the_order_they_were_written() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(9, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    // Written offline over the last hour, sent later and out of order.
    let hour_ago = (time::OffsetDateTime::now_utc().unix_timestamp() - 3600) * 1000;
    let note = |at: i64, text: &str| json!({"id": Uuid::now_v7(), "written_at": hour_ago + at, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": id, "text": text});
    push(&app, &anna, Uuid::now_v7(), vec![note(3_000, "trzecia"), note(1_000, "pierwsza")]).await;
    push(&app, &coord, Uuid::now_v7(), vec![note(2_000, "druga")]).await;
    let notes = app.get(&format!("/api/v1/clients/{id}/notes"), &anna).await.json();
    let texts: Vec<&str> = notes.as_array().expect("list").iter().filter_map(|n| n["text"].as_str()).collect();
    assert_eq!(texts, ["pierwsza", "druga", "trzecia"]);
    let empty = push(&app, &anna, Uuid::now_v7(), vec![note(4_000, "   ")]).await;
    assert_eq!(empty["results"][0]["outcome"]["errors"][0]["pointer"], "/text");
    // Notes cannot be changed behind the app's back either.
    assert!(sqlx::query("UPDATE notes SET text = 'x'").execute(&app.db.pool).await.is_err());
}

#[tokio::test]
async fn the_caseload_for_offline_work_holds_own_clients_notes_and_open_conflicts() {
    let app = TestApp::spawn().await;
    let mine = app.insert_client(&app.person(10, Some(app.consultant_a))).await;
    app.insert_client(&app.person(11, None)).await;
    let s = app.login("consultant.a@test").await;
    push(&app, &s, Uuid::now_v7(), vec![json!({"id": Uuid::now_v7(), "written_at": 5, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": mine, "text": "Notatka"})]).await;
    let c = app.get("/api/v1/sync/caseload", &s).await.json();
    assert_eq!(c["clients"].as_array().map(Vec::len), Some(1));
    assert_eq!(c["clients"][0]["id"], json!(mine));
    assert_eq!(c["notes"][0]["text"], "Notatka");
    assert_eq!(c["older_notes"], json!([]));
}

/// A device keeps a client's latest 200 notes: the caseload's size does not grow with
/// the age of a case, and it says how many older ones are read online.
#[tokio::test]
async fn the_caseload_carries_a_clients_latest_notes_and_counts_the_older() {
    let app = TestApp::spawn().await;
    let mine = app.insert_client(&app.person(12, Some(app.consultant_a))).await;
    let s = app.login("consultant.a@test").await;
    let day_ago = (time::OffsetDateTime::now_utc().unix_timestamp() - 86_400) * 1000;
    let notes: Vec<Value> = (0..205)
        .map(|i| json!({"id": Uuid::now_v7(), "written_at": day_ago + i * 1000, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": mine, "text": format!("Notatka {i}")}))
        .collect();
    for batch in notes.chunks(100) {
        push(&app, &s, Uuid::now_v7(), batch.to_vec()).await;
    }
    let c = app.get("/api/v1/sync/caseload", &s).await.json();
    let texts: Vec<&str> = c["notes"].as_array().expect("notes").iter().filter_map(|n| n["text"].as_str()).collect();
    assert_eq!(texts.len(), domain::sync::DEVICE_NOTES);
    assert_eq!((texts[0], texts[199]), ("Notatka 5", "Notatka 204"), "the latest, oldest first");
    assert_eq!(c["older_notes"], json!([{"client_id": mine, "count": 5}]));
    let online = app.get(&format!("/api/v1/clients/{mine}/notes"), &s).await.json();
    assert_eq!(online.as_array().map(Vec::len), Some(205), "online, the card reads them all");
}

#[tokio::test]
async fn malformed_and_oversized_sync_payloads_get_clear_errors() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let r = app.post("/api/v1/sync/push", &json!({"device_id": Uuid::now_v7(), "mutations": [{"id": "nope"}]}), &s).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    assert!(r.json()["detail"].as_str().is_some_and(|d| !d.is_empty()), "{}", r.text);
    let many: Vec<Value> = (0..501).map(|_| edit(Uuid::now_v7(), 1, json!([]))).collect();
    let r = app.post("/api/v1/sync/push", &json!({"device_id": Uuid::now_v7(), "mutations": many}), &s).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.json()["detail"].as_str().is_some_and(|d| d.contains("500")));
    let huge = json!({"device_id": Uuid::now_v7(), "mutations": [{"id": Uuid::now_v7(), "written_at": 1, "op": "add_note",
        "note_id": Uuid::now_v7(), "client_id": Uuid::now_v7(), "text": "x".repeat(2 * 1024 * 1024)}]});
    assert_eq!(app.post("/api/v1/sync/push", &huge, &s).await.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn two_server_processes_on_one_database_see_the_same_state_and_apply_a_mutation_once() {
    let one = TestApp::spawn().await;
    let two = one.second_process().await;
    let id = one.insert_client(&one.person(12, Some(one.consultant_a))).await;
    // Sessions live in the database, so either process accepts the device.
    let s = one.login("consultant.a@test").await;
    let device = Uuid::now_v7();
    let m = vec![edit(id, 1, json!([change("city", "Kielce", "Radom")]))];
    let body = json!({"device_id": device, "mutations": m});
    let (a, b) = tokio::join!(one.post("/api/v1/sync/push", &body, &s), two.post("/api/v1/sync/push", &body, &s));
    assert!(a.status == StatusCode::OK || b.status == StatusCode::OK, "{} / {}", a.text, b.text);
    let again = push(&two, &s, device, m).await;
    assert_eq!(again["results"][0]["outcome"]["revision"], 2);
    assert_eq!(client(&one, &s, id).await["version"], 2);
    assert_eq!(client(&two, &s, id).await["data"]["city"], "Radom");
    let note = json!({"id": Uuid::now_v7(), "written_at": 7, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": id, "text": "z drugiego"});
    push(&two, &s, device, vec![note]).await;
    let notes = one.get(&format!("/api/v1/clients/{id}/notes"), &s).await.json();
    assert_eq!(notes[0]["text"], "z drugiego");
}

#[tokio::test]
async fn a_revoked_device_has_its_changes_held_for_a_coordinator_who_applies_or_discards_them() {
    let app = TestApp::spawn().await;
    let id = app.insert_client(&app.person(13, Some(app.consultant_a))).await;
    let anna = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let tablet = Uuid::now_v7();
    push(&app, &anna, tablet, vec![edit(id, 1, json!([change("city", "Kielce", "Radom")]))]).await;
    let devices = app.get(&format!("/api/v1/partnerships/{}/devices", app.partnership_a), &coord).await.json();
    assert_eq!(devices[0]["device_id"], json!(tablet));
    assert_eq!(devices[0]["revoked"], "");
    // A consultant cannot revoke devices; the coordinator can.
    let body = json!({"user_id": app.consultant_a});
    assert_eq!(app.post(&format!("/api/v1/devices/{tablet}/revoke"), &body, &anna).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.post(&format!("/api/v1/devices/{tablet}/revoke"), &body, &coord).await.status, StatusCode::NO_CONTENT);

    let keep = edit(id, 2, json!([change("city", "Radom", "Opatów")]));
    let drop = edit(id, 2, json!([change("phone", "", "600100400")]));
    let r = push(&app, &anna, tablet, vec![keep.clone(), drop.clone()]).await;
    assert_eq!(r["results"][0]["outcome"]["status"], "held");
    assert_eq!(client(&app, &anna, id).await["version"], 2, "nothing applied while held");
    // A resend is held once, not twice.
    push(&app, &anna, tablet, vec![keep.clone()]).await;
    let held = app.get(&format!("/api/v1/partnerships/{}/held", app.partnership_a), &coord).await.json();
    assert_eq!(held.as_array().map(Vec::len), Some(2));
    assert_eq!(held[0]["user_name"], "Konsultant A");

    let apply = app.post(&format!("/api/v1/held/{}/decide", keep["id"].as_str().expect("id")), &json!({"apply": true}), &coord).await;
    assert_eq!(apply.status, StatusCode::OK, "{}", apply.text);
    assert_eq!(apply.json()["decision"], "applied");
    let discard = app.post(&format!("/api/v1/held/{}/decide", drop["id"].as_str().expect("id")), &json!({"apply": false}), &coord).await;
    assert_eq!(discard.json()["decision"], "discarded");
    let again = app.post(&format!("/api/v1/held/{}/decide", drop["id"].as_str().expect("id")), &json!({"apply": true}), &coord).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let c = client(&app, &anna, id).await;
    assert_eq!((c["data"]["city"].as_str(), c["data"]["phone"].as_str()), (Some("Opatów"), Some("")));
    // Another device of the same person still syncs.
    let r = push(&app, &anna, Uuid::now_v7(), vec![edit(id, 3, json!([change("city", "Opatów", "Sandomierz")]))]).await;
    assert_eq!(r["results"][0]["outcome"]["status"], "applied");
}
