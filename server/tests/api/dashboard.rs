//! The coordinator's dashboard on seeded fixtures with known answers: caseloads against
//! the limit with override reasons, each kind of due item, indicators, the survey.

use axum::http::StatusCode;
use domain::docs::DocType;
use serde_json::json;
use time::Duration;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_dashboard_shows_caseloads_due_items_and_indicators_from_the_data() {
    let app = TestApp::spawn().await;
    let today = time::OffsetDateTime::now_utc().date();
    let day = |d: i64| (today + Duration::days(d)).to_string();
    let mut clients = Vec::new();
    for n in 0..15 {
        clients.push(app.insert_client(&app.person(n, Some(app.consultant_a))).await);
    }
    let coord = app.login("coord.a@test").await;
    let mut sixteenth = app.person(99, Some(app.consultant_a));
    sixteenth["caseload_override_reason"] = json!("Jedyny konsultant znający język migowy");
    let r = app.post("/api/v1/clients", &sixteenth, &coord).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);

    let consultant = app.login("consultant.a@test").await;
    let (c1, c2) = (clients[0], clients[1]);
    app.create_doc(&consultant, c1, DocType::Ipd, json!({"date": day(-30), "goal": "Praca", "social": {"tasks_ops": [
        {"id": "a", "task": "Kurs obsługi kasy", "owner": "ops", "from": day(-20), "to": day(5)},
        {"id": "b", "task": "Zaświadczenie lekarskie", "owner": "ops", "from": day(-20), "to": day(-2)},
        {"id": "c", "task": "Zrobione", "owner": "ops", "from": day(-20), "to": day(-2), "done": true},
        {"id": "d", "task": "Później", "owner": "ops", "from": day(-20), "to": day(60)}]}})).await;
    app.create_doc(&consultant, c1, DocType::Contract, json!({"date": day(-60), "evaluations": [
        {"id": "e1", "date": day(-30), "outcome": "on_track", "next_date": day(3)}]})).await;
    let employed = today + Duration::days(10) - Duration::days(365);
    app.create_doc(&consultant, c2, DocType::Effects, json!({"employment_date": employed.to_string(),
        "rows": [{"id": "r1", "indicator": "employment", "date": today.to_string(), "evidence": "umowa o pracę"}, {"id": "r2", "indicator": "qualification", "date": today.to_string(), "evidence": "certyfikat"}]})).await;
    // Every client but the first two was registered 40 days ago and has had no note or service since.
    sqlx::query("UPDATE clients SET created_at = created_at - 3456000 WHERE id NOT IN ($1, $2)")
        .bind(c1.to_string())
        .bind(c2.to_string())
        .execute(&app.db.pool)
        .await
        .expect("age");
    let note = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "written_at": time::OffsetDateTime::now_utc().unix_timestamp() * 1000,
        "op": "add_note", "note_id": uuid::Uuid::now_v7(), "client_id": clients[2], "text": "Wizyta domowa"}]});
    assert_eq!(app.post("/api/v1/sync/push", &note, &consultant).await.json()["results"][0]["outcome"]["status"], "applied");

    let path = format!("/api/v1/partnerships/{}/dashboard", app.partnership_a);
    assert_eq!(app.get(&path, &consultant).await.status, StatusCode::FORBIDDEN, "consultants do not see the dashboard");
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.get(&path, &outsider).await.status, StatusCode::NOT_FOUND);

    let d = app.get(&path, &coord).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
    let d = d.json();
    assert_eq!(d["active_clients"], 16);
    let first = &d["caseloads"][0];
    assert_eq!((first["consultant"].as_str(), first["active"].as_i64(), first["overloaded"].as_bool()), (Some("Konsultant A"), Some(16), Some(true)));
    assert_eq!(first["override_reasons"], json!(["Jedyny konsultant znający język migowy"]));

    let due: Vec<(String, String, bool, String)> = d["due"]
        .as_array()
        .expect("due")
        .iter()
        .map(|i| (i["kind"].as_str().unwrap_or("").into(), i["date"].as_str().unwrap_or("").into(), i["overdue"].as_bool().unwrap_or(false), i["what"].as_str().unwrap_or("").into()))
        .collect();
    let of = |kind: &str| due.iter().filter(|i| i.0 == kind).cloned().collect::<Vec<_>>();
    assert_eq!(of("ipd_task"), [("ipd_task".into(), day(-2), true, "Zaświadczenie lekarskie".into()), ("ipd_task".into(), day(5), false, "Kurs obsługi kasy".into())]);
    assert_eq!(of("contract_review"), [("contract_review".into(), day(3), false, String::new())]);
    assert_eq!(of("window_end").len(), 1);
    assert_eq!(of("window_end")[0].1, domain::docs::effects::reintegration_end(employed).to_string());
    // 14 clients registered 40 days ago without contact, minus the one with a note today.
    assert_eq!(of("no_contact").len(), 13);
    assert_eq!(due.iter().take_while(|i| i.2).count(), 14, "overdue items come first");

    let last = d["indicators"].as_array().expect("ind").last().expect("month").clone();
    assert_eq!(last["period"], domain::calendar::Month::of(today).to_string());
    assert_eq!(last["counts"][0], 1, "employment");
    assert_eq!(last["counts"][5], 1, "qualification");
    assert_eq!(d["indicators"].as_array().map(Vec::len), Some(6));

    // Filters: another consultant has nothing.
    let other = app.get(&format!("{path}?consultant={}", app.coordinator_a), &coord).await.json();
    assert_eq!((other["caseloads"].as_array().map(Vec::len), other["due"].as_array().map(Vec::len)), (Some(0), Some(0)));

    // A period: the six months ending with it; this month's effects are after it.
    let previous = domain::calendar::Month::of(today).previous().to_string();
    let then = app.get(&format!("{path}?period={previous}"), &coord).await.json();
    assert_eq!(then["period"], previous.as_str());
    let last = then["indicators"].as_array().expect("ind").last().expect("month").clone();
    assert_eq!((last["period"].as_str(), last["counts"][0].as_i64()), (Some(previous.as_str()), Some(0)));
    assert_eq!(app.get(&format!("{path}?period=2026-13"), &coord).await.status, StatusCode::BAD_REQUEST);

    // The action plan's target next to the clients who reached it this year.
    let year = today.year();
    let plan_path = format!("/api/v1/partnerships/{}/docs/plan", app.partnership_a);
    let plan = json!({"period_from": format!("{year}-01"), "period_to": format!("{year}-12"),
        "indicators": [{"id": "i", "horizon": "now", "name": "Zatrudnienie", "target": 5.0, "unit": "osób", "effect": "employment"}]});
    let r = app.request(axum::http::Method::PUT, &plan_path, Some(&json!({"base": {}, "data": plan})), Some(&coord)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let d = app.get(&path, &coord).await.json();
    assert_eq!(d["plan"], json!([{"name": "Zatrudnienie", "effect": "employment", "target": 5.0, "unit": "osób", "reached": 1}]));

    // A client whose support ended still counts in the months it reached its effects.
    app.create_doc(&consultant, c2, DocType::Support, json!({"periods": [{"id": "p", "from": "2025-01-01", "to": today.to_string(), "reason": "employment"}]})).await;
    let after = app.get(&path, &coord).await.json();
    assert_eq!(after["active_clients"], 15);
    let last = after["indicators"].as_array().expect("ind").last().expect("month").clone();
    assert_eq!(last["counts"][0], 1, "employment still counted");
}

/// A tablet whose clock says 9999-12-31 sends a note: it is stored at the server's
/// time, and neither it nor such a value already in the table breaks the dashboard.
#[tokio::test]
async fn a_tablet_with_its_clock_at_9999_breaks_neither_the_dashboard_nor_the_order_of_notes() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let consultant = app.login("consultant.a@test").await;
    let client = app.insert_client(&app.person(5, Some(app.consultant_a))).await;
    let far = 253_402_214_400_000_i64;
    let note = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "written_at": far,
        "op": "add_note", "note_id": uuid::Uuid::now_v7(), "client_id": client, "text": "Zegar tabletu się spieszy"}]});
    assert_eq!(app.post("/api/v1/sync/push", &note, &consultant).await.json()["results"][0]["outcome"]["status"], "applied");
    let notes = app.get(&format!("/api/v1/clients/{client}/notes"), &consultant).await.json();
    let at = notes[0]["written_at"].as_i64().expect("written_at");
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    assert!((now - 120_000..=now + 1000).contains(&at), "stored at the server's time, not the tablet's: {at}");

    let path = format!("/api/v1/partnerships/{}/dashboard", app.partnership_a);
    assert_eq!(app.get(&path, &coord).await.status, StatusCode::OK);
    // Written before the check existed, straight into the table: still no failure.
    sqlx::query("INSERT INTO notes (id, client_id, partnership_id, text, written_at, author_id, received_at) VALUES ($1, $2, $3, 'stara', $4, $5, 0)")
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(client.to_string())
        .bind(app.partnership_a.to_string())
        .bind(far)
        .bind(app.consultant_a.to_string())
        .execute(&app.db.pool)
        .await
        .expect("note");
    let d = app.get(&path, &coord).await;
    assert_eq!(d.status, StatusCode::OK, "{}", d.text);
}
