//! A person's own data (issue 20, GDPR art. 15 and 20): everything held about one
//! client — the record, each document and every stored version, the notes, who read
//! or changed them — for the partnership's coordinator, as JSON, CSV, XLSX and a ZIP
//! archive locked with a password; nothing about another person; every export in
//! the access log; nothing for a consultant, the data protection officer or another
//! partnership.

use std::io::Read;

use axum::http::StatusCode;
use domain::docs::DocType;
use domain::org::Role;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::{Session, TestApp};

async fn note(app: &TestApp, s: &Session, client: Uuid, text: &str) {
    let body = json!({"device_id": Uuid::now_v7(), "mutations": [{"id": Uuid::now_v7(), "written_at": server::now() * 1000,
        "op": "add_note", "note_id": Uuid::now_v7(), "client_id": client, "text": text}]});
    let r = app.post("/api/v1/sync/push", &body, s).await;
    assert_eq!(r.json()["results"][0]["outcome"]["status"], "applied", "{}", r.text);
}

/// Two clients of one consultant, each with an IPD and a note; the first IPD edited
/// once, so it has two versions. Returns (the person, the other client, the other's PESEL).
async fn two_clients(app: &TestApp) -> (Uuid, Uuid, String) {
    let mut person = app.person(1, Some(app.consultant_a));
    person["surname"] = json!("Wiśniewska");
    person["phone"] = json!("600 100 200");
    let client = app.insert_client(&person).await;
    let mut other = app.person(2, Some(app.consultant_a));
    other["surname"] = json!("Innaosoba");
    let other_pesel = other["pesel"].as_str().expect("pesel").to_string();
    let other_id = app.insert_client(&other).await;
    let consultant = app.login("consultant.a@test").await;
    app.create_doc(&consultant, client, DocType::Ipd, json!({"date": "2026-11-01", "goal": "Praca w kwiaciarni",
        "social": {"tasks_ops": [{"id": "t1", "task": "Terapia uzależnień", "owner": "ops", "from": "2026-11-02", "to": "2026-12-20"}]}})).await;
    let edit = json!({"device_id": Uuid::now_v7(), "mutations": [{"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "edit",
        "doc_type": "ipd", "doc_id": domain::docs::doc_id_for(client, DocType::Ipd), "base_revision": 1,
        "changes": [{"path": ["goal"], "old": "Praca w kwiaciarni", "new": "Praca w ogrodnictwie"}]}]});
    let r = app.post("/api/v1/sync/push", &edit, &consultant).await;
    assert_eq!(r.json()["results"][0]["outcome"]["status"], "applied", "{}", r.text);
    app.create_doc(&consultant, other_id, DocType::Ipd, json!({"goal": "Cudzy cel zawodowy"})).await;
    // A second device edited the goal from the first version: a conflict, kept with both values.
    let stale = json!({"device_id": Uuid::now_v7(), "mutations": [{"id": Uuid::now_v7(), "written_at": server::now() * 1000, "op": "edit",
        "doc_type": "ipd", "doc_id": domain::docs::doc_id_for(client, DocType::Ipd), "base_revision": 1,
        "changes": [{"path": ["goal"], "old": "Praca w kwiaciarni", "new": "Praca w piekarni"}]}]});
    let r = app.post("/api/v1/sync/push", &stale, &consultant).await;
    assert_eq!(r.json()["results"][0]["outcome"]["status"], "conflict", "{}", r.text);
    note(app, &consultant, client, "Wizyta domowa: rozmowa o pracy").await;
    note(app, &consultant, other_id, "Cudza adnotacja").await;
    assert_eq!(app.get(&format!("/api/v1/clients/{client}"), &consultant).await.status, StatusCode::OK);
    (client, other_id, other_pesel)
}

fn has(text: &str, what: &str) -> bool {
    text.contains(what)
}

#[tokio::test]
async fn a_coordinator_gives_a_person_everything_held_about_them_and_nothing_about_anyone_else() {
    let app = TestApp::spawn().await;
    let (client, _, other_pesel) = two_clients(&app).await;
    let coordinator = app.login("coord.a@test").await;
    let base = format!("/api/v1/clients/{client}/personal-data");
    let others = ["Innaosoba", other_pesel.as_str(), "Cudzy cel zawodowy", "Cudza adnotacja"];

    let r = app.get(&base, &coordinator).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = r.json();
    assert_eq!(d["format"], "sciezka-personal-data-1");
    assert_eq!(d["exported_by"], "Koordynator A");
    assert_eq!(d["partnership"], "Partnerstwo A");
    assert_eq!(d["client"]["data"]["surname"], "Wiśniewska");
    assert_eq!(d["client"]["data"]["phone"], "600 100 200");
    let docs = d["documents"].as_array().expect("documents");
    assert_eq!(docs.len(), 1, "{docs:?}");
    assert_eq!(docs[0]["data"]["goal"], "Praca w ogrodnictwie");
    // Every stored version, whole: the goal as first written is in the history.
    let ipd_versions: Vec<&Value> = d["versions"].as_array().expect("versions").iter().filter(|v| v["doc_type"] == "ipd").collect();
    assert_eq!(ipd_versions.iter().filter_map(|v| v["revision"].as_i64()).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(ipd_versions[0]["data"]["goal"], "Praca w kwiaciarni");
    assert_eq!(ipd_versions[1]["changed"], json!(["/goal"]));
    assert_eq!(d["conflicts"][0]["mine"], "Praca w piekarni", "a conflict's values are the person's data too");
    assert_eq!(d["access_complete"], true);
    assert_eq!(d["notes"].as_array().expect("notes").iter().map(|n| n["text"].clone()).collect::<Vec<_>>(), [json!("Wizyta domowa: rozmowa o pracy")]);
    // Who read the data: the consultant's reading is there, oldest first.
    let access = d["access"].as_array().expect("access");
    assert!(access.iter().any(|e| e["user_name"] == "Konsultant A" && e["action"] == "read"), "{access:?}");
    assert!(access.iter().all(|e| e["client_id"] == json!(client)), "{access:?}");
    for secret in others {
        assert!(!has(&r.text, secret), "the export names another client: {secret}");
    }

    let csv = app.get(&format!("{base}/export.csv"), &coordinator).await;
    assert_eq!(csv.status, StatusCode::OK);
    let disposition = csv.headers["content-disposition"].to_str().expect("header");
    assert!(disposition.contains("dane-osoby-Wi%C5%9Bniewska-"), "{disposition}");
    assert!(csv.bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for spreadsheet programs");
    for held in ["Wiśniewska", "600 100 200", "Praca w ogrodnictwie", "Praca w kwiaciarni", "Praca w piekarni", "Terapia uzależnień", "Wizyta domowa: rozmowa o pracy", "Konsultant A"] {
        assert!(has(&csv.text, held), "the CSV lacks {held}:\n{}", csv.text);
    }
    // A table's field is named as its form names it, with the row's number.
    assert!(has(&csv.text, "wiersz 1"), "{}", csv.text);
    for secret in others {
        assert!(!has(&csv.text, secret), "the CSV names another client: {secret}");
    }

    let xlsx = app.get(&format!("{base}/export.xlsx"), &coordinator).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book = zip::ZipArchive::new(std::io::Cursor::new(xlsx.bytes.clone())).expect("an XLSX is a ZIP");
    let sheets: Vec<String> = book.file_names().filter_map(Result::ok).filter(|n| n.starts_with("xl/worksheets/sheet")).map(|n| n.to_string()).collect();
    assert_eq!(sheets.len(), 7, "record, documents, versions, notes, conflicts, held changes, access: {sheets:?}");
    let mut strings = String::new();
    book.by_name("xl/sharedStrings.xml").expect("strings").read_to_string(&mut strings).expect("read");
    assert!(has(&strings, "Praca w kwiaciarni") && !has(&strings, "Innaosoba"));

    let json_file = app.get(&format!("{base}/export.json"), &coordinator).await;
    assert_eq!(json_file.status, StatusCode::OK);
    assert!(json_file.headers["content-disposition"].to_str().expect("header").starts_with("attachment"));
    assert_eq!(json_file.json()["client"], d["client"]);

    // Every export is in the access log, each saying how it was given.
    let log = app.get(&format!("/api/v1/partnerships/{}/audit?client={client}", app.partnership_a), &coordinator).await.json();
    let details: Vec<&str> = log["items"].as_array().expect("items").iter().filter_map(|e| e["detail"].as_str()).collect();
    for how in ["read", "exported as JSON", "exported as CSV", "exported as XLSX"] {
        let wanted = format!("personal data (GDPR art. 15) {how}");
        assert!(details.contains(&wanted.as_str()), "{wanted} not in {details:?}");
    }
}

#[tokio::test]
async fn the_archive_opens_only_with_its_password_and_holds_the_three_files() {
    let app = TestApp::spawn().await;
    let (client, ..) = two_clients(&app).await;
    let coordinator = app.login("coord.a@test").await;
    let path = format!("/api/v1/clients/{client}/personal-data/export.zip");

    for short in ["", "krotkie", "            "] {
        let r = app.post(&path, &json!({"password": short}), &coordinator).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{short:?}: {}", r.text);
        assert_eq!(r.json()["errors"][0]["pointer"], "/password");
    }
    let password = "zielony-parasol-2026";
    let r = app.post(&path, &json!({"password": password}), &coordinator).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.headers["content-type"], "application/zip");
    assert!(!r.headers["content-disposition"].to_str().expect("header").contains("Wi"), "the archive's name names nobody");
    // The names and the texts are not readable in the archive's bytes.
    for plain in ["Wiśniewska", "Praca w ogrodnictwie", "Wizyta domowa"] {
        assert!(!r.bytes.windows(plain.len()).any(|w| w == plain.as_bytes()), "{plain} readable in the archive");
    }
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(r.bytes.clone())).expect("zip");
    assert_eq!(archive.len(), 3);
    let mut names: Vec<String> = archive.file_names().filter_map(Result::ok).map(|n| n.rsplit('.').next().unwrap_or_default().to_string()).collect();
    names.sort();
    assert_eq!(names, ["csv", "json", "xlsx"]);
    for i in 0..archive.len() {
        assert!(archive.by_index(i).is_err(), "a file opens without the password");
        assert!(archive.by_index_decrypt(i, b"zle-haslo-do-archiwum").map(|_| ()).is_err(), "a file opens with a wrong password");
    }
    let json_at = (0..archive.len()).find(|&i| archive.name_for_index(i).is_some_and(|n| n.is_ok_and(|n| n.ends_with(".json")))).expect("json");
    let mut text = String::new();
    archive.by_index_decrypt(json_at, password.as_bytes()).expect("the right password opens it").read_to_string(&mut text).expect("read");
    let d: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(d["client"]["data"]["surname"], "Wiśniewska");
    assert_eq!(d["notes"][0]["text"], "Wizyta domowa: rozmowa o pracy");

    let log = app.get(&format!("/api/v1/partnerships/{}/audit?client={client}", app.partnership_a), &coordinator).await.json();
    assert!(log["items"].as_array().expect("items").iter().any(|e| e["detail"] == "personal data (GDPR art. 15) exported as a ZIP archive locked with a password"));
}

#[tokio::test]
async fn only_the_partnerships_coordinator_produces_a_persons_data() {
    let app = TestApp::spawn().await;
    let (client, ..) = two_clients(&app).await;
    let ops: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1").bind(app.coordinator_a.to_string()).fetch_one(&app.db.pool).await.expect("org");
    let iod = server::seed::user(&app.db, "iod.a@test", "Inspektor A", ops.parse().expect("uuid"), crate::helpers::PASSWORD).await.expect("user");
    server::seed::grant(&app.db, iod, app.partnership_a, Role::DataProtectionOfficer).await.expect("grant");
    let base = format!("/api/v1/clients/{client}/personal-data");
    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.get(&base, &consultant).await.status, StatusCode::FORBIDDEN, "the client's own consultant");
    assert_eq!(app.post(&format!("{base}/export.zip"), &json!({"password": "zielony-parasol-2026"}), &consultant).await.status, StatusCode::FORBIDDEN);
    // The officer checks who processed the data, never the data.
    assert_eq!(app.get(&base, &app.login("iod.a@test").await).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&base, &app.login("consultant.b@test").await).await.status, StatusCode::NOT_FOUND, "another partnership");
    assert_eq!(app.get(&format!("/api/v1/clients/{}/personal-data", Uuid::now_v7()), &app.login("coord.a@test").await).await.status, StatusCode::NOT_FOUND);
}
