//! Retention and disposal (issue 20): a closed client whose every rule has passed is
//! listed, one held by a later project archive date is not; a coordinator's approval
//! erases what names or describes the person — the record, the documents' text, every
//! version, notes, conflicts — from the database (and, on SQLite, from its file and
//! WAL), while the monthly report and the ROPS indicators for past months give the same
//! figures. The register keeps the entry and refuses to change; a device's later
//! changes to the client are held, never applied.

use axum::http::StatusCode;
use domain::docs::DocType;
use serde_json::{json, Value};
use time::macros::date;
use uuid::Uuid;

use crate::helpers::{Session, TestApp};

async fn push(app: &TestApp, s: &Session, mutation: Value) -> Value {
    let r = app.post("/api/v1/sync/push", &json!({"device_id": Uuid::now_v7(), "mutations": [mutation]}), s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["results"][0]["outcome"].clone()
}

fn note(client: Uuid, text: &str) -> Value {
    json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": client, "text": text})
}

/// What the reports say about the past months the client was in.
async fn figures(app: &TestApp, s: &Session) -> Vec<Value> {
    let p = app.partnership_a;
    let mut out = Vec::new();
    for month in ["2025-02", "2025-03"] {
        let r = app.get(&format!("/api/v1/partnerships/{p}/reports/{month}"), s).await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        out.push(r.json()["tables"].clone());
    }
    let y = app.get(&format!("/api/v1/partnerships/{p}/indicators/2025"), s).await;
    assert_eq!(y.status, StatusCode::OK, "{}", y.text);
    out.push(y.json());
    out
}

/// The figures alone: free texts (remarks, other features, the reason in words) go
/// with disposal; every count, code, date and age stays.
fn counted(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m.iter_mut() {
                    match k.as_str() {
                        "other_features" | "reason_text" => *x = json!(""),
                        "remarks" => *x = json!([]),
                        _ => walk(x),
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

/// The count of rows in `table` that mention `what`, as text anywhere in the row.
async fn mentions(app: &TestApp, table: &str, what: &str) -> i64 {
    let sql = match table {
        "clients" => "SELECT COUNT(*) FROM clients WHERE display_name LIKE $1 OR data LIKE $1 OR search_text LIKE $1 OR COALESCE(pesel, '') LIKE $1",
        "documents" => "SELECT COUNT(*) FROM documents WHERE data LIKE $1",
        "doc_versions" => "SELECT COUNT(*) FROM doc_versions WHERE data LIKE $1",
        "notes" => "SELECT COUNT(*) FROM notes WHERE text LIKE $1",
        "reports" => "SELECT COUNT(*) FROM reports WHERE COALESCE(snapshot, '') LIKE $1",
        _ => unreachable!("a table the test reads"),
    };
    sqlx::query_scalar(sql).bind(format!("%{what}%")).fetch_one(&app.db.pool).await.expect("count")
}

#[tokio::test]
async fn a_due_client_is_disposed_of_keeping_the_past_reports_figures_and_nothing_that_names_them() {
    let app = TestApp::spawn_with(|c| c.retention_today = Some(date!(2037 - 01 - 02))).await;
    let p = app.partnership_a;
    let consultant = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    let person = app.person(7, Some(app.consultant_a));
    let pesel = person["pesel"].as_str().expect("pesel").to_string();
    let gone = app.insert_client(&person).await;
    let kept = app.insert_client(&app.person(8, Some(app.consultant_a))).await;
    // The disposed client's case: support ended 31 March 2025, with services, effects,
    // a diagnosis, an IPD, notes and an edit, each naming her somewhere.
    app.create_doc(&consultant, gone, DocType::Support, json!({"labour": "long_term_unemployed", "features": ["rural"], "other_features": "Nowak7 z Długiej",
        "periods": [{"id": "p1", "from": "2025-01-02", "to": "2025-03-31", "reason": "employment", "reason_text": "Nowak7 podjęła pracę", "situation": "Pracuje"}]})).await;
    app.create_doc(&consultant, gone, DocType::Services, json!({"rows": [
        {"id": "s1", "date": "2025-02-10", "service": "job_club", "scope": "warsztaty", "finished": true, "remarks": "Nowak7 aktywna"}]})).await;
    app.create_doc(&consultant, gone, DocType::Effects, json!({"rows": [{"id": "e1", "indicator": "employment", "date": "2025-03-20", "evidence": "umowa Nowak7"}]})).await;
    app.create_doc(&consultant, gone, DocType::Assessment, json!({"disability": "moderate", "strengths": "Nowak7 jest punktualna"})).await;
    app.create_doc(&consultant, gone, DocType::Ipd, json!({"goal": "Kwiaciarnia Nowak7"})).await;
    assert_eq!(push(&app, &consultant, note(gone, "Rozmowa z Nowak7 o pracy")).await["status"], "applied");
    app.create_doc(&consultant, kept, DocType::Support, json!({"labour": "unemployed", "periods": [{"id": "p1", "from": "2025-01-10"}]})).await;
    app.create_doc(&consultant, kept, DocType::Services, json!({"rows": [{"id": "s1", "date": "2025-02-11", "service": "job_club", "remarks": "Nowak8 obecna"}]})).await;

    // February's report is final: its frozen tables number clients, they do not name them.
    let path = format!("/api/v1/partnerships/{p}/reports/2025-02");
    let narrative = json!({"author": "Koordynator A", "realised": "Spotkania partnerów"});
    let done = app.put(&path, &json!({"base": {}, "narrative": narrative, "finalise": true}), &coord).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text);
    assert_eq!(mentions(&app, "reports", "Nowak7 Anna").await, 0, "a snapshot holds no names");
    let before = figures(&app, &coord).await;

    // The rules: the OPS's file plan says B10, the project archives until mid-2040.
    let due = format!("/api/v1/partnerships/{p}/disposals/due");
    assert_eq!(app.get(&due, &consultant).await.status, StatusCode::FORBIDDEN);
    let list = app.get(&due, &coord).await.json();
    assert_eq!(list["due"], json!([]), "no category recorded: nothing goes");
    assert_eq!(list["later"][0]["client_id"], json!(gone));
    sqlx::query("UPDATE organisations SET retention_category = 'B10' WHERE name = 'OPS A'").execute(&app.db.pool).await.expect("category");
    let bad = app.put(&format!("/api/v1/partnerships/{p}/archive-date"), &json!({"archive_until": "30.06.2040"}), &coord).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let later = app.put(&format!("/api/v1/partnerships/{p}/archive-date"), &json!({"archive_until": "2040-06-30"}), &coord).await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.text);
    let list = later.json();
    assert_eq!(list["due"], json!([]), "the project's archive date is later");
    assert_eq!((list["later"][0]["client_id"].clone(), list["later"][0]["due_on"].as_str()), (json!(gone), Some("2040-07-01")));
    let refused = app.post(&format!("/api/v1/partnerships/{p}/disposals"), &json!({"client_ids": [gone], "justification": "Upływ okresu przechowywania B10"}), &coord).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "the server judges the rules again: {}", refused.text);
    assert_eq!(refused.json()["type"], "/problems/not-due");

    let list = app.put(&format!("/api/v1/partnerships/{p}/archive-date"), &json!({"archive_until": "2030-12-31"}), &coord).await.json();
    assert_eq!(list["due"].as_array().map(Vec::len), Some(1), "{list}");
    let row = &list["due"][0];
    assert_eq!((row["client_id"].clone(), row["closed_on"].as_str(), row["due_on"].as_str()), (json!(gone), Some("2025-03-31"), Some("2036-01-01")));
    assert_eq!(row["name"], "Nowak7 Anna");

    // Approval: only a coordinator, with a justification.
    let approve = format!("/api/v1/partnerships/{p}/disposals");
    assert_eq!(app.post(&approve, &json!({"client_ids": [gone], "justification": "Upływ okresu"}), &consultant).await.status, StatusCode::FORBIDDEN);
    let short = app.post(&approve, &json!({"client_ids": [gone], "justification": "bo tak"}), &coord).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.json()["errors"][0]["pointer"], "/justification");
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.post(&approve, &json!({"client_ids": [gone], "justification": "Upływ okresu przechowywania"}), &outsider).await.status, StatusCode::NOT_FOUND);
    let ok = app.post(&approve, &json!({"client_ids": [gone], "justification": "Upływ okresu przechowywania wg JRWA kat. B10"}), &coord).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);

    // Nothing that names or describes her is left in any table.
    for what in ["Nowak7", &pesel, "Długiej", "punktualna", "Kwiaciarnia", "Rozmowa z"] {
        for table in ["clients", "documents", "doc_versions", "notes", "reports"] {
            assert_eq!(mentions(&app, table, what).await, 0, "{what} in {table}");
        }
    }
    let left: (String, String, Option<String>) =
        sqlx::query_as("SELECT display_name, birth_date, pesel FROM clients WHERE id = $1").bind(gone.to_string()).fetch_one(&app.db.pool).await.expect("row");
    assert_eq!(left, ("[zanonimizowano]".into(), "1985-03-01".into(), None));
    let versions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM doc_versions WHERE doc_id = $1").bind(gone.to_string()).fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(versions, 0);
    let ipd: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE client_id = $1 AND doc_type = 'ipd'").bind(gone.to_string()).fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(ipd, 0, "a document nothing counts goes whole");
    // The other client keeps everything.
    assert_eq!(mentions(&app, "documents", "Nowak8 obecna").await, 1);

    // On SQLite, the file and its WAL after the checkpoint hold neither her name nor PESEL.
    if let Some(path) = app.url.strip_prefix("sqlite://") {
        let file = std::path::Path::new(path);
        let mut bytes = std::fs::read(file).expect("database file");
        bytes.extend(std::fs::read(file.with_extension("db-wal")).unwrap_or_default());
        for what in ["Nowak7", pesel.as_str(), "punktualna", "Kwiaciarnia"] {
            let at = bytes.windows(what.len()).position(|w| w == what.as_bytes());
            assert!(at.is_none(), "{what} left in the SQLite file or WAL: {:?}", at.map(|i| (i / 4096, String::from_utf8_lossy(&bytes[i.saturating_sub(200)..(i + 100).min(bytes.len())]).to_string())));
        }
        assert!(bytes.windows(6).any(|w| w == b"Nowak8"), "the check reads the file");
    }

    // The past reports and the indicators give the same figures.
    let after = figures(&app, &coord).await;
    assert_ne!(after, before, "her free texts are gone from the tables");
    assert_eq!(counted(json!(after)), counted(json!(before)));
    let final_report = app.get(&path, &coord).await.json();
    assert_eq!(final_report["changed_since"], json!([]), "{final_report}");

    // She is gone from every list and card; what is left is only counted.
    assert_eq!(app.get(&format!("/api/v1/clients/{gone}"), &coord).await.status, StatusCode::NOT_FOUND);
    let clients = app.get(&format!("/api/v1/clients?partnership_id={p}"), &coord).await.json();
    assert!(!clients.to_string().contains(&gone.to_string()), "{clients}");
    let support = domain::docs::doc_id_for(gone, DocType::Support);
    assert_eq!(app.get(&format!("/api/v1/documents/{support}"), &coord).await.status, StatusCode::NOT_FOUND);

    // A tablet's change made before it heard is held for a coordinator, never applied.
    let late = note(gone, "Nowak7 dzwoniła");
    let outcome = push(&app, &consultant, late).await;
    assert_eq!(outcome["status"], "held", "{outcome}");
    let ipd_edit = json!({"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64, "op": "edit", "doc_type": "ipd",
        "doc_id": domain::docs::doc_id_for(gone, DocType::Ipd), "base_revision": 1, "changes": [{"path": ["goal"], "old": "Kwiaciarnia Nowak7", "new": "Ogród"}]});
    assert_eq!(push(&app, &consultant, ipd_edit).await["status"], "held");
    assert_eq!(mentions(&app, "notes", "dzwoniła").await, 0);

    // The register: the entry, which cannot be changed or removed.
    let register = app.get(&approve, &coord).await.json();
    let entry = &register["entries"][0];
    assert_eq!((entry["no"].as_i64(), entry["client_id"].clone(), entry["approved_by"].as_str()), (Some(1), json!(gone), Some("Koordynator A")));
    assert_eq!(entry["justification"], "Upływ okresu przechowywania wg JRWA kat. B10");
    assert!(entry["rules"].to_string().contains("B10") && entry["rules"].to_string().contains("2030-12-31"), "{entry}");
    assert!(!register.to_string().contains("Nowak7"));
    assert!(sqlx::query("UPDATE disposals SET justification = 'x'").execute(&app.db.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM disposals").execute(&app.db.pool).await.is_err());
    // Notes and versions stay append-only for everyone else.
    assert!(sqlx::query("DELETE FROM doc_versions WHERE doc_id = $1").bind(kept.to_string()).execute(&app.db.pool).await.is_err());
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE client_id = $1 AND detail LIKE 'disposed%'").bind(gone.to_string()).fetch_one(&app.db.pool).await.expect("n");
    assert_eq!(audit, 1);
    // Approving again finds nothing to dispose of.
    assert_eq!(app.post(&approve, &json!({"client_ids": [gone], "justification": "Upływ okresu przechowywania"}), &coord).await.status, StatusCode::NOT_FOUND);

}

#[tokio::test]
async fn a_restricted_or_open_case_is_never_due_and_the_officer_sees_no_names() {
    let app = TestApp::spawn_with(|c| c.retention_today = Some(date!(2040 - 01 - 02))).await;
    let p = app.partnership_a;
    let consultant = app.login("consultant.a@test").await;
    let coord = app.login("coord.a@test").await;
    sqlx::query("UPDATE organisations SET retention_category = 'B5' WHERE name = 'OPS A'").execute(&app.db.pool).await.expect("category");
    let closed = app.insert_client(&app.person(1, Some(app.consultant_a))).await;
    let open = app.insert_client(&app.person(2, Some(app.consultant_a))).await;
    app.create_doc(&consultant, closed, DocType::Support, json!({"periods": [{"id": "p1", "from": "2025-01-02", "to": "2025-03-31", "reason": "employment"}]})).await;
    app.create_doc(&consultant, open, DocType::Support, json!({"periods": [{"id": "p1", "from": "2025-01-02"}]})).await;
    let due = format!("/api/v1/partnerships/{p}/disposals/due");
    let list = app.get(&due, &coord).await.json();
    let ids: Vec<Value> = list["due"].as_array().expect("due").iter().map(|c| c["client_id"].clone()).collect();
    assert_eq!(ids, [json!(closed)], "an open case is not listed");

    let r = app.put(&format!("/api/v1/clients/{closed}/restriction"), &json!({"restricted": true, "reason": "Roszczenie w sądzie"}), &coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let list = app.get(&due, &coord).await.json();
    assert_eq!(list["due"], json!([]));
    assert!(list["later"][0]["rules"].to_string().contains("restriction"));
    let refused = app.post(&format!("/api/v1/partnerships/{p}/disposals"), &json!({"client_ids": [closed], "justification": "Upływ okresu przechowywania"}), &coord).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text);

    // The data protection officer reads the list and the register, without names.
    let dpo = server::seed::user(&app.db, "iod@test", "Inspektor", app_org(&app).await, crate::helpers::PASSWORD).await.expect("user");
    server::seed::grant(&app.db, dpo, p, domain::org::Role::DataProtectionOfficer).await.expect("grant");
    let officer = app.login("iod@test").await;
    let seen = app.get(&due, &officer).await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.text);
    assert!(!seen.text.contains("Nowak1"), "{}", seen.text);
    assert_eq!(app.get(&format!("/api/v1/partnerships/{p}/disposals"), &officer).await.status, StatusCode::OK);
    assert_eq!(app.post(&format!("/api/v1/partnerships/{p}/disposals"), &json!({"client_ids": [closed], "justification": "Upływ okresu przechowywania"}), &officer).await.status, StatusCode::FORBIDDEN);
}

async fn app_org(app: &TestApp) -> Uuid {
    let org: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1").bind(app.coordinator_a.to_string()).fetch_one(&app.db.pool).await.expect("org");
    org.parse().expect("uuid")
}

#[tokio::test]
async fn an_organisations_file_plan_category_is_checked_and_kept() {
    let app = TestApp::spawn().await;
    app.add_admin("admin@test", "Administrator").await;
    let admin = app.login("admin@test").await;
    let orgs = app.get("/api/v1/admin/organisations", &admin).await.json();
    let ops = orgs.as_array().expect("list").iter().find(|o| o["name"] == "OPS A").expect("OPS A").clone();
    let path = format!("/api/v1/admin/organisations/{}", ops["id"].as_str().expect("id"));
    let body = |category: &str| json!({"name": "OPS A", "org_type": "ops", "seat": "Kielce", "retention_category": category});
    let bad = app.put(&path, &body("C5"), &admin).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);
    assert_eq!(bad.json()["errors"][0]["pointer"], "/retention_category");
    let ok = app.put(&path, &body(" be 10 "), &admin).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json()["retention_category"], "BE10");
}
