//! The anonymous survey: answers without signing in, the rules, single-use codes,
//! closed rounds, the rate limit, kiosk uploads, results and exports — and a test that
//! plays an administrator trying to tie answers to the people who gave them.

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Response, Session, TestApp};

/// A person's answer with the id their device gives it.
fn sent_by(i: usize, id: &str) -> Value {
    let mut body = person(i);
    body["id"] = json!(id);
    body
}

async fn open_round(app: &TestApp, s: &Session, period: &str, codes: bool) -> Value {
    let r = app.post(&format!("/api/v1/partnerships/{}/surveys", app.partnership_a), &json!({"period": period, "codes_required": codes}), s).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()
}

/// A respondent's request: no cookie, an address and a browser of their own.
async fn submit_as(app: &TestApp, token: &str, body: &Value, ip: [u8; 4], agent: &str, cookie: Option<&str>) -> Response {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/survey/{token}/answers"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::USER_AGENT, agent)
        .header("x-forwarded-for", format!("{}.{}.{}.{}", ip[0], ip[1], ip[2], ip[3]))
        .header("accept-language", "pl");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    let mut req = b.body(Body::from(body.to_string())).expect("request");
    req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from((ip, 40000))));
    app.raw(req).await
}

async fn submit(app: &TestApp, token: &str, body: &Value) -> Response {
    submit_as(app, token, body, [192, 0, 2, 1], "test", None).await
}

fn person(i: usize) -> Value {
    let q1 = if i.is_multiple_of(3) { "no" } else { "yes" };
    let age = ["18_30", "31_45", "46_65"][i % 3];
    let education = ["primary", "lower_secondary", "upper_secondary", "post_secondary", "higher"][i % 5];
    let children = ["none", "one", "two_three", "four_plus"][i % 4];
    let mut choices = json!({
        "q1": [q1], "q3": ["yes"], "q5": ["trainings", "other"], "q12": ["rather_yes"],
        "sex": [if i.is_multiple_of(2) { "woman" } else { "man" }], "age": [age],
        "education": [education],
        "place": [if i < 5 { "town" } else { "village" }], "children": [children],
    });
    if q1 == "yes" {
        choices["q2"] = json!(["over10"]);
    }
    json!({"answer": {"choices": choices, "texts": {"q5": format!("Odpowiedź-osoby-{i:02}"), "q8": format!("Oczekiwanie-{i:02}")}}})
}

/// Answers the server holds in memory for a round, as its coordinator sees them.
async fn waiting(app: &TestApp, coord: &Session, round: &str) -> i64 {
    let r = app.get(&format!("/api/v1/surveys/{round}/results"), coord).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    r.json()["waiting"].as_i64().expect("waiting")
}

async fn close(app: &TestApp, coord: &Session, round: &str) {
    let closed = app.post(&format!("/api/v1/surveys/{round}/close"), &json!({}), coord).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
}

async fn round_id(app: &TestApp, token: &str) -> String {
    sqlx::query_scalar("SELECT id FROM survey_periods WHERE token = $1").bind(token).fetch_one(&app.db.pool).await.expect("round")
}

async fn counted(app: &TestApp, round: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT n FROM survey_counters WHERE survey_id = $1 AND question = '*' AND choice = '*'")
        .bind(round)
        .fetch_one(&app.db.pool)
        .await
        .expect("counter");
    n
}

#[tokio::test]
async fn respondents_answer_without_signing_in_and_results_appear_from_five() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("token").to_string());
    // Opening the same month again gives the same round.
    assert_eq!(open_round(&app, &coord, "2026-11", false).await["token"], round["token"]);

    let public = app.request(Method::GET, &format!("/api/v1/survey/{token}"), None, None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.json()["partnership"], "Partnerstwo A");
    assert_eq!(public.json()["open"], true);
    assert!(public.json()["kiosk_key"].as_str().is_some_and(|k| k.len() > 40));
    assert_eq!(app.request(Method::GET, "/api/v1/survey/nonsense", None, None).await.status, StatusCode::NOT_FOUND);

    for i in 0..4 {
        let r = submit(&app, &token, &person(i)).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        assert_eq!(r.json()["status"], "received", "held in memory, not yet counted");
    }
    // Four answers wait in the server's memory; nothing is counted, results are withheld.
    assert_eq!(counted(&app, &id).await, 0);
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await;
    assert_eq!(results.json()["current"]["withheld"], true);
    assert_eq!(results.json()["waiting"], 4);
    assert_eq!(results.json()["current"]["questions"], json!([]));
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}/results.csv"), &coord).await.status, StatusCode::FORBIDDEN);

    // A batch of 5 leaves when 10 wait, so 5 always stay back for the last batch.
    for i in 4..9 {
        assert_eq!(submit(&app, &token, &person(i)).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!((counted(&app, &id).await, waiting(&app, &coord, &id).await), (0, 9));
    let tenth = submit(&app, &token, &person(9)).await;
    assert_eq!(tenth.status, StatusCode::ACCEPTED);
    assert_eq!((counted(&app, &id).await, waiting(&app, &coord, &id).await), (5, 5));
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json();
    assert_eq!((results["current"]["respondents"].as_u64(), results["current"]["withheld"].as_bool()), (Some(5), Some(false)));

    // Closing counts the five kept back as the last batch.
    close(&app, &coord, &id).await;
    assert_eq!((counted(&app, &id).await, waiting(&app, &coord, &id).await), (10, 0));
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json();
    let current = &results["current"];
    assert_eq!((current["respondents"].as_u64(), current["withheld"].as_bool(), current["few"].as_bool()), (Some(10), Some(false), Some(false)));
    let q1 = &current["questions"][0];
    assert_eq!((q1["answered"].as_u64(), q1["options"][0]["count"].as_u64(), q1["options"][0]["percent"].as_f64()), (Some(10), Some(6), Some(60.0)));
    let q5 = &current["questions"][4];
    let mut texts: Vec<String> = serde_json::from_value(q5["texts"].clone()).expect("texts");
    texts.sort();
    assert_eq!(texts, (0..10).map(|i| format!("Odpowiedź-osoby-{i:02}")).collect::<Vec<_>>());
    let sex = current["questions"].as_array().expect("q").iter().find(|q| q["question"] == "sex").expect("sex").clone();
    assert_eq!((sex["options"][0]["count"].as_u64(), sex["options"][1]["count"].as_u64()), (Some(5), Some(5)));

    // The partnership's consultants take answers but do not read results; outsiders see nothing.
    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}/results"), &consultant).await.status, StatusCode::FORBIDDEN);
    let outsider = app.login("consultant.b@test").await;
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}/results"), &outsider).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("/api/v1/partnerships/{}/surveys", app.partnership_a), &outsider).await.status,
        StatusCode::NOT_FOUND
    );

    // Exports: CSV with a row per question and option, XLSX a real workbook; names carry partnership and month.
    let csv = app.get(&format!("/api/v1/surveys/{id}/results.csv"), &coord).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.headers[header::CONTENT_DISPOSITION].to_str().expect("cd").contains("ankieta-Partnerstwo-A-2026-11.csv"));
    assert!(csv.text.contains("Czy Pani /Pan -i pracował/a kiedykolwiek zawodowo?") && csv.text.contains(",6,60.0,10"), "{}", csv.text);
    assert!(csv.text.contains("Kobieta,5,50.0,10"));
    let xlsx = app
        .raw(
            Request::builder()
                .uri(format!("/api/v1/surveys/{id}/results.xlsx"))
                .header(header::COOKIE, &coord.cookie)
                .body(Body::empty())
                .expect("req"),
        )
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.headers[header::CONTENT_TYPE].to_str().expect("ct").contains("spreadsheetml"));
    assert!(xlsx.text.starts_with("PK"), "an XLSX file is a zip");
    // Every member may print the slips with the QR code.
    let qr = app.get(&format!("/api/v1/surveys/{id}/qr.svg"), &consultant).await;
    assert_eq!(qr.status, StatusCode::OK);
    assert!(qr.text.contains("<svg"));
}

#[tokio::test]
async fn the_server_refuses_what_the_form_could_not_send() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let token = open_round(&app, &coord, "2026-11", false).await["token"].as_str().expect("t").to_string();
    let cases = [
        (json!({"answer": {"choices": {"q1": ["no"], "q2": ["over10"]}}}), "/choices/q2", "skipped"),
        (json!({"answer": {"choices": {"q4": ["age", "sex"]}}}), "/choices/q4", "one_only"),
        (json!({"answer": {"choices": {"q4": ["rich"]}}}), "/choices/q4", "unknown_option"),
        (json!({"answer": {"choices": {"q3": ["yes"]}, "texts": {"q3": "tekst"}}}), "/texts/q3", "text_not_open"),
        (json!({"answer": {"texts": {"q8": "x".repeat(1001)}}}), "/texts/q8", "too_long"),
        (json!({"answer": {}}), "/", "empty"),
    ];
    for (body, pointer, code) in cases {
        let r = submit(&app, &token, &body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", r.text);
        let e = &r.json()["errors"][0];
        assert_eq!((e["pointer"].as_str(), e["code"].as_str()), (Some(pointer), Some(code)), "{}", r.text);
        assert!(!e["message"].as_str().unwrap_or("").is_empty());
    }
    // Fields that would identify someone are not part of an answer.
    let r = submit(&app, &token, &json!({"answer": {"choices": {"q1": ["yes"]}}, "client_id": "x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text);
    let r = app
        .raw(
            Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/survey/{token}/answers"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{\"answer\": {"))
                .expect("req"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let huge = json!({"answer": {"texts": {"q8": "x".repeat(2 * 1024 * 1024)}}});
    assert_eq!(submit(&app, &token, &huge).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    let long_id = sent_by(1, &"x".repeat(65));
    assert_eq!(submit(&app, &token, &long_id).await.status, StatusCode::BAD_REQUEST);
    let id = round_id(&app, &token).await;
    assert_eq!(waiting(&app, &coord, &id).await, 0, "nothing refused was kept");
}

#[tokio::test]
async fn single_use_codes_are_kept_only_hashed_and_forgotten_when_used() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-10", true).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let issued = app.post(&format!("/api/v1/surveys/{id}/codes"), &json!({"count": 3}), &coord).await;
    assert_eq!(issued.status, StatusCode::OK, "{}", issued.text);
    let codes: Vec<String> = serde_json::from_value(issued.json()["codes"].clone()).expect("codes");
    assert_eq!(codes.len(), 3);
    assert_eq!(app.post(&format!("/api/v1/surveys/{id}/codes"), &json!({"count": 100000}), &coord).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stored: Vec<(String,)> = sqlx::query_as("SELECT hash FROM survey_codes").fetch_all(&app.db.pool).await.expect("codes");
    assert_eq!(stored.len(), 3);
    for (hash,) in &stored {
        assert!(codes.iter().all(|c| !hash.contains(&c.replace('-', ""))), "a code is stored in clear");
    }

    let answer = json!({"choices": {"q1": ["yes"]}});
    let without = submit(&app, &token, &json!({"answer": answer})).await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    // Typed in lower case with a space instead of the dash, as people do.
    let typed = codes[0].to_lowercase().replace('-', " ");
    assert_eq!(submit(&app, &token, &json!({"answer": answer, "code": typed, "id": "phone-1"})).await.status, StatusCode::ACCEPTED);
    // The same answer sent again (the reply was lost) passes its own code once more,
    // and is held once.
    assert_eq!(submit(&app, &token, &json!({"answer": answer, "code": codes[0], "id": "phone-1"})).await.status, StatusCode::ACCEPTED);
    assert_eq!(waiting(&app, &coord, &id).await, 1);
    let again = submit(&app, &token, &json!({"answer": answer, "code": codes[0], "id": "phone-2"})).await;
    let unknown = submit(&app, &token, &json!({"answer": answer, "code": "ZZZZZ-ZZZZZ"})).await;
    assert_eq!((again.status, unknown.status), (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN));
    // A used code is refused exactly like a code that never existed: nothing about the first answer shows.
    assert_eq!(again.text, unknown.text);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_codes WHERE spent IS NULL").fetch_one(&app.db.pool).await.expect("codes");
    assert_eq!(left, 2);
    let rounds = app.get(&format!("/api/v1/partnerships/{}/surveys", app.partnership_a), &coord).await.json();
    assert_eq!(rounds[0]["codes_left"], 2);
    // The used code is marked by a hash that matches no answer's receipt.
    let (mark,): (String,) = sqlx::query_as("SELECT spent FROM survey_codes WHERE spent IS NOT NULL").fetch_one(&app.db.pool).await.expect("mark");
    assert!(!mark.contains("phone-1") && mark.len() == 64);
    // Closing forgets every code of the round.
    close(&app, &coord, &id).await;
    let (all,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_codes").fetch_one(&app.db.pool).await.expect("codes");
    assert_eq!(all, 0);
}

#[tokio::test]
async fn a_closed_round_with_fewer_than_five_answers_counts_nobody_and_refuses_more_answers() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-09", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    for i in 0..2 {
        assert_eq!(submit(&app, &token, &person(i)).await.status, StatusCode::ACCEPTED);
    }
    let consultant = app.login("consultant.a@test").await;
    assert_eq!(app.post(&format!("/api/v1/surveys/{id}/close"), &json!({}), &consultant).await.status, StatusCode::FORBIDDEN);
    let closed = app.post(&format!("/api/v1/surveys/{id}/close"), &json!({}), &coord).await;
    assert_eq!(closed.status, StatusCode::OK, "{}", closed.text);
    assert_eq!(closed.json()["open"], false);
    // Two answers counted alone would show them: nobody is counted, and the round says
    // that fewer than 5 were left out.
    assert_eq!(counted(&app, &id).await, 0);
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json();
    let current = &results["current"];
    assert_eq!((current["respondents"].as_u64(), current["withheld"].as_bool(), current["few"].as_bool()), (Some(0), Some(true), Some(true)));
    assert_eq!(results["waiting"], 0);
    let late = submit(&app, &token, &person(3)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.json()["title"].as_str().unwrap_or("").contains("zamknięta"), "{}", late.text);
    let public = app.request(Method::GET, &format!("/api/v1/survey/{token}"), None, None).await;
    assert_eq!(public.json()["open"], false);
}

/// Every change of a round's stored figures, one submission at a time, is either
/// nothing or a batch of at least 5; closing with 3, 7 or 12 answers follows the rule.
#[tokio::test]
async fn a_round_closed_with_3_7_or_12_answers_stores_batches_of_at_least_five_only() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = app.login("coord.a@test").await;
    for (n, period) in [(3, "2026-01"), (7, "2026-02"), (12, "2026-03")] {
        let round = open_round(&app, &coord, period, false).await;
        let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
        let mut seen = vec![0];
        for i in 0..n {
            assert_eq!(submit(&app, &token, &person(i)).await.status, StatusCode::ACCEPTED);
            seen.push(counted(&app, &id).await);
        }
        close(&app, &coord, &id).await;
        seen.push(counted(&app, &id).await);
        for step in seen.windows(2) {
            let batch = step[1] - step[0];
            assert!(batch == 0 || batch >= 5, "{n} answers: a batch of {batch} was stored ({seen:?})");
        }
        let expected = if n < 5 { 0 } else { i64::try_from(n).expect("n") };
        assert_eq!(counted(&app, &id).await, expected, "{n} answers: {seen:?}");
        let few = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json()["current"]["few"].as_bool();
        assert_eq!(few, Some(n < 5));
    }
}

/// The server process is replaced with answers in its memory (a crash, a restart):
/// the devices send their copies again, and every answer is counted exactly once.
#[tokio::test]
async fn answers_sent_again_after_a_restart_are_counted_exactly_once() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let ids: Vec<String> = (0..12).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for (i, sid) in ids.iter().enumerate() {
        assert_eq!(submit(&app, &token, &sent_by(i, sid)).await.status, StatusCode::ACCEPTED);
    }
    // Ten waited, so one batch of 5 is stored; 7 are only in the first process's memory.
    assert_eq!(counted(&app, &id).await, 5);
    let (receipts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_receipts").fetch_one(&app.db.pool).await.expect("receipts");
    assert_eq!(receipts, 5, "a receipt per counted answer, and none for the waiting ones");

    // The first process is gone for the devices: they talk to its successor only.
    let restarted = app.second_process().await;
    let mut fates = Vec::new();
    for (i, sid) in ids.iter().enumerate() {
        let r = submit(&restarted, &token, &sent_by(i, sid)).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        fates.push(r.json()["status"].as_str().unwrap_or("").to_string());
    }
    assert_eq!(fates.iter().filter(|f| *f == "counted").count(), 5, "{fates:?}");
    // Sent a third time: still once.
    for (i, sid) in ids.iter().enumerate() {
        assert_eq!(submit(&restarted, &token, &sent_by(i, sid)).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!(waiting(&restarted, &coord, &id).await, 7);
    close(&restarted, &coord, &id).await;
    assert_eq!(counted(&restarted, &id).await, 12);
    let (receipts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_receipts").fetch_one(&restarted.db.pool).await.expect("receipts");
    assert_eq!(receipts, 12, "receipts stay a few minutes after the close, for processes still settling");
}

#[tokio::test]
async fn the_public_endpoint_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 3).await;
    let coord = app.login("coord.a@test").await;
    let token = open_round(&app, &coord, "2026-11", false).await["token"].as_str().expect("t").to_string();
    for _ in 0..3 {
        assert_eq!(submit_as(&app, &token, &person(1), [198, 51, 100, 1], "a", None).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!(submit_as(&app, &token, &person(1), [198, 51, 100, 1], "a", None).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(submit_as(&app, &token, &person(1), [198, 51, 100, 2], "a", None).await.status, StatusCode::ACCEPTED);
}

#[tokio::test]
async fn a_kiosk_uploads_sealed_answers_and_a_broken_one_is_refused_alone() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let key = app.request(Method::GET, &format!("/api/v1/survey/{token}"), None, None).await.json()["kiosk_key"].as_str().expect("key").to_string();
    let mut sealed: Vec<Value> = (0..5)
        .map(|i| {
            let sub: domain::survey::api::Submission = serde_json::from_value(sent_by(i, &format!("kiosk-{i}"))).expect("submission");
            serde_json::to_value(server::store::survey::kiosk::seal(&key, &sub).expect("seal")).expect("json")
        })
        .collect();
    let mut broken = sealed[0].clone();
    broken["ct"] = json!("AAAA");
    sealed.push(broken);
    let invalid: domain::survey::api::Submission = serde_json::from_value(json!({"answer": {"choices": {"q4": ["age", "sex"]}}})).expect("sub");
    sealed.push(serde_json::to_value(server::store::survey::kiosk::seal(&key, &invalid).expect("seal")).expect("json"));
    let r = app.request(Method::POST, &format!("/api/v1/survey/{token}/sealed"), Some(&json!({"answers": sealed})), None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let statuses = |r: &Response| -> Vec<String> {
        r.json()["fates"].as_array().expect("fates").iter().map(|f| f["status"].as_str().unwrap_or("").to_string()).collect()
    };
    assert_eq!(statuses(&r), ["received", "received", "received", "received", "received", "refused", "refused"]);
    assert_eq!((counted(&app, &id).await, waiting(&app, &coord, &id).await), (0, 5));
    // The kiosk sends the five again until it hears "counted": they are held once.
    let again = app.request(Method::POST, &format!("/api/v1/survey/{token}/sealed"), Some(&json!({"answers": sealed[..5]})), None).await;
    assert_eq!(statuses(&again), ["received"; 5]);
    assert_eq!(waiting(&app, &coord, &id).await, 5);
    close(&app, &coord, &id).await;
    assert_eq!(counted(&app, &id).await, 5);
    let late = app.request(Method::POST, &format!("/api/v1/survey/{token}/sealed"), Some(&json!({"answers": sealed[..2]})), None).await;
    assert_eq!(statuses(&late), ["closed", "closed"], "after closing, the kiosk is told to drop what it kept");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// What the administrator reads from the tables after one submission.
#[derive(Clone, Default)]
struct Tables {
    counters: std::collections::BTreeMap<(String, String), i64>,
    texts: Vec<String>,
}

async fn tables(db: &server::Db, round: &str) -> Tables {
    let counters: Vec<(String, String, i64)> =
        sqlx::query_as("SELECT question, choice, n FROM survey_counters WHERE survey_id = $1").bind(round).fetch_all(&db.pool).await.expect("counters");
    let texts: Vec<(String,)> = sqlx::query_as("SELECT body FROM survey_texts WHERE survey_id = $1").bind(round).fetch_all(&db.pool).await.expect("texts");
    let pooled: Vec<(i64,)> = sqlx::query_as("SELECT COUNT(*) FROM survey_pool").fetch_all(&db.pool).await.expect("pool");
    assert_eq!(pooled[0].0, 0, "no answer is ever pooled in storage");
    Tables { counters: counters.into_iter().map(|(q, c, n)| ((q, c), n)).collect(), texts: texts.into_iter().map(|(b,)| b).collect() }
}

/// The threat model's administrator: knows every respondent's metrics, the order in
/// which they answered and when; copies the database file, its WAL and shared memory
/// and takes a backup after every single submission (once while another process holds
/// a read transaction across the fifth answer, which keeps SQLite from cutting its
/// WAL); reads the tables on PostgreSQL. Nothing may tie an opinion to a person, or to
/// the time or order of a submission, beyond the sum of a batch of at least 5.
#[tokio::test(flavor = "current_thread")]
async fn an_administrator_who_copies_the_database_after_every_answer_cannot_tie_an_answer_to_a_person() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let sqlite = app.url.starts_with("sqlite");
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    // Answers given on a consultant's signed-in tablet carry the session cookie along:
    // the survey path must not use it.
    let consultant = app.login("consultant.a@test").await;
    let dir = std::path::PathBuf::from(app.url.trim_start_matches("sqlite://")).parent().expect("dir").to_path_buf();
    let people = 12;
    let mut before = tables(&app.db, &id).await;
    let mut reader: Option<sqlx::AnyConnection> = None;
    let mut batches = Vec::new();
    for i in 0..people {
        if sqlite && i == 4 {
            let mut other = <sqlx::AnyConnection as sqlx::Connection>::connect(&app.url).await.expect("reader");
            sqlx::query("BEGIN").execute(&mut other).await.expect("begin");
            sqlx::query("SELECT COUNT(*) FROM survey_counters").fetch_all(&mut other).await.expect("read");
            reader = Some(other);
        }
        let agent = format!("Respondent-UA-{i:02}");
        let cookie = (i % 2 == 0).then_some(consultant.cookie.as_str());
        let r = submit_as(&app, &token, &person(i), [203, 0, 113, 10 + i as u8], &agent, cookie).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        assert!(!r.headers.contains_key(header::SET_COOKIE), "the survey sets no cookie");
        if i == 5 {
            if let Some(mut other) = reader.take() {
                sqlx::query("ROLLBACK").execute(&mut other).await.expect("rollback");
            }
        }

        // The tables, one submission apart: nothing changed, or a batch of at least 5.
        let after = tables(&app.db, &id).await;
        let total = |t: &Tables| t.counters.get(&("*".to_string(), "*".to_string())).copied().unwrap_or(0);
        let batch = total(&after) - total(&before);
        assert!(batch == 0 || batch >= 5, "after answer {i} the counters moved by {batch}");
        if batch == 0 {
            assert_eq!(after.counters, before.counters, "a counter moved without a batch after answer {i}");
            assert_eq!(after.texts.len(), before.texts.len(), "a text arrived alone after answer {i}");
        } else {
            batches.push(batch);
        }

        // The files, one submission apart: no whole answer, and a person's texts only
        // once counted, in a batch.
        if sqlite {
            let backup = dir.join(format!("backup-{i}.db"));
            app.db.backup(&backup).await.expect("backup");
            let mut files = vec![];
            for name in ["test.db", "test.db-wal", "test.db-shm", &format!("backup-{i}.db")] {
                files.push((name.to_string(), std::fs::read(dir.join(name)).unwrap_or_default()));
            }
            std::fs::remove_file(&backup).expect("remove backup");
            for (name, bytes) in &files {
                assert!(!contains(bytes, "\"choices\""), "{name} holds a whole answer after answer {i}");
                let texts_found = (0..people).filter(|j| contains(bytes, &format!("Odpowiedź-osoby-{j:02}"))).count();
                let texts_found = i64::try_from(texts_found).expect("n");
                // The live file may not hold the newest batch yet (it is in the WAL); a
                // backup holds exactly what is counted.
                assert!(texts_found <= total(&after), "{name} after answer {i}: a text of an answer not yet counted");
                if name.starts_with("backup") {
                    assert_eq!(texts_found, total(&after), "{name} after answer {i}: a counted text is missing");
                }
                for j in 0..people {
                    assert!(!contains(bytes, &format!("203.0.113.{}", 10 + j)), "{name} holds a respondent's address");
                    assert!(!contains(bytes, &format!("Respondent-UA-{j:02}")), "{name} holds a respondent's browser");
                }
            }
        }
        before = after;
    }
    assert_eq!(batches, [5], "ten waiting make one batch of 5; the rest wait for the close");
    close(&app, &coord, &id).await;
    let after = tables(&app.db, &id).await;
    assert_eq!(after.counters[&("*".to_string(), "*".to_string())], 12, "the last batch is the 7 kept back");

    // What is stored: counters keyed by question and option, texts keyed by question,
    // receipts (gone with the close). No column can carry a person, a device, a session or a time.
    for (table, allowed) in [
        ("survey_counters", &["survey_id", "question", "choice", "n"][..]),
        ("survey_texts", &["survey_id", "question", "body", "id"][..]),
        ("survey_receipts", &["survey_id", "hash"][..]),
    ] {
        let cols: Vec<(String,)> = if sqlite {
            sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')")).fetch_all(&app.db.pool).await.expect("cols")
        } else {
            sqlx::query_as("SELECT column_name::text FROM information_schema.columns WHERE table_name = $1").bind(table).fetch_all(&app.db.pool).await.expect("cols")
        };
        for (c,) in cols {
            assert!(allowed.contains(&c.as_str()), "{table}.{c} could identify");
        }
    }
    // Texts carry random ids, and a batch's texts are shuffled.
    let stored: Vec<(String, String)> = sqlx::query_as("SELECT id, body FROM survey_texts WHERE question = 'q5'").fetch_all(&app.db.pool).await.expect("texts");
    assert_eq!(stored.len(), people);
    assert!(stored.iter().all(|(id, _)| uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)), "text ids must be random");
    if sqlite {
        let order: Vec<(String,)> = sqlx::query_as("SELECT body FROM survey_texts WHERE question = 'q5' ORDER BY rowid").fetch_all(&app.db.pool).await.expect("texts");
        let given: Vec<String> = (0..people).map(|i| format!("Odpowiedź-osoby-{i:02}")).collect();
        // A random 5 of the first 10, then the other 7, each shuffled: the submission
        // order survives with chance below one in a million.
        assert_ne!(order.into_iter().map(|(b,)| b).collect::<Vec<_>>(), given, "texts are stored in the order people answered");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_arriving_together_are_all_held_and_counted() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let other = open_round(&app, &coord, "2026-10", false).await["token"].as_str().expect("t").to_string();
    let sends = (0..42).map(|i| {
        let (app, token, other) = (&app, token.clone(), other.clone());
        async move {
            // A few requests for another round and one for a round that does not exist ride along.
            let target = match i {
                40 => "no-such-round".to_string(),
                _ if i % 10 == 0 => other,
                _ => token,
            };
            submit(app, &target, &person(i)).await.status
        }
    });
    let statuses = futures::future::join_all(sends).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::ACCEPTED).count(), 41);
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::NOT_FOUND).count(), 1);
    let held = waiting(&app, &coord, &id).await;
    assert_eq!(counted(&app, &id).await + held, 37, "every acknowledged answer is counted or held");
    assert!((5..10).contains(&held), "{held}");
    assert_eq!(counted(&app, &id).await % 5, 0, "batches of 5");
    close(&app, &coord, &id).await;
    assert_eq!(counted(&app, &id).await, 37);
}

/// A post of the phone's plain HTML form, as a browser without a script sends it.
async fn post_form(app: &TestApp, token: &str, fields: &[(&str, &str)]) -> Response {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(format!("/ankieta/{token}"))
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("accept-language", "pl-PL,pl;q=0.9")
        .body(Body::from(body))
        .expect("request");
    req.extensions_mut().insert(ConnectInfo(std::net::SocketAddr::from(([192, 0, 2, 9], 40000))));
    app.raw(req).await
}

#[tokio::test]
async fn the_phone_form_is_plain_html_that_keeps_the_answers_when_refused_and_counts_them_when_accepted() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let token = round["token"].as_str().expect("token");
    let id = round["id"].as_str().expect("id");
    let waiting = || waiting(&app, &coord, id);

    // The page: a form posting to itself, no wasm, no cookie, its own strict policy.
    let page = app.raw(Request::builder().uri(format!("/ankieta/{token}")).header("accept-language", "pl").body(Body::empty()).expect("get")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text.contains(&format!("action=\"/ankieta/{token}\"")), "{}", &page.text[..page.text.len().min(600)]);
    assert!(page.text.contains("method=\"post\""));
    assert!(!page.text.contains(".wasm") && !page.text.contains("hydrate"), "the phone page loads no app");
    assert!(page.headers.get(header::SET_COOKIE).is_none());
    let csp = page.headers[header::CONTENT_SECURITY_POLICY].to_str().expect("csp");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe"), "{csp}");
    // Every question is a fieldset with a legend; question 2 names what skips it.
    assert_eq!(page.text.matches("<fieldset").count(), domain::survey::QUESTIONS.len());
    assert!(page.text.contains("data-skip-if=\"q1:no\""));
    // The answer's id comes with the form, and the key the script seals a kept copy to.
    assert!(page.text.contains("name=\"sid\""));
    assert!(page.text.contains("data-key=\""));

    // Refused: the same form again with what was chosen and typed, each error beside
    // its question, and a summary first.
    let refused = post_form(&app, token, &[("s-q1", "yes"), ("s-q12", "def_yes"), ("s-q12", "def_no"), ("s-q5", "other"), ("t-q5", "Kurs <b>spawania</b></textarea><script>alert(1)</script>"), ("lang", "pl")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text.contains("id=\"survey-errors\""));
    assert!(refused.text.contains("id=\"s-q12-error\""), "the error sits beside question 12");
    assert!(refused.text.contains("tylko jedną odpowiedź"));
    assert!(!refused.text.contains("<script>alert"), "a posted text cannot write markup");
    assert!(refused.text.contains("Kurs &lt;b&gt;spawania&lt;/b&gt;&lt;/textarea&gt;"), "the text is kept, escaped: {}", &refused.text[refused.text.find("s-q5-text").unwrap_or(0)..][..400]);
    assert!(tag_has(&refused.text, "id=\"s-q1-yes\"", "checked"), "the choice is kept");
    assert_eq!(waiting().await, 0, "a refused answer is not kept");

    // "No" to question 1 drops an answer to question 2 the page could not have sent.
    let accepted = post_form(&app, token, &[("s-q1", "no"), ("s-q2", "over10"), ("s-q12", "def_yes"), ("lang", "pl")]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.text);
    let to = accepted.headers[header::LOCATION].to_str().expect("location");
    assert!(to.starts_with(&format!("/ankieta/{token}?dziekujemy")), "{to}");
    let thanks = app.raw(Request::builder().uri(to).body(Body::empty()).expect("get")).await;
    assert!(thanks.text.contains("id=\"survey-thanks\""));
    assert_eq!(waiting().await, 1, "the answer waits for its batch like one from the kiosk");
    // Posted twice (a double tap, the back button): the form's id holds it once.
    let sid = "form-given-id";
    for _ in 0..2 {
        let r = post_form(&app, token, &[("s-q1", "yes"), ("s-q12", "def_yes"), ("sid", sid), ("lang", "pl")]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(waiting().await, 2);
    // What the phone's script keeps is this same post, sealed; sent again, it is the same answer.
    let key = app.request(Method::GET, &format!("/api/v1/survey/{token}"), None, None).await.json()["kiosk_key"].as_str().expect("key").to_string();
    let mut kept = server::store::survey::kiosk::seal_bytes(&key, format!("s-q1=yes&s-q12=def_yes&sid={sid}&lang=pl").as_bytes()).expect("seal");
    kept.form = true;
    let r = app.request(Method::POST, &format!("/api/v1/survey/{token}/sealed"), Some(&json!({"answers": [kept]})), None).await;
    assert_eq!(r.json()["fates"][0]["status"], "received", "{}", r.text);
    assert_eq!(waiting().await, 2);

    // An unknown link and a closed round say so, in a page.
    let unknown = post_form(&app, "no-such-link", &[("s-q1", "yes")]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.text.contains("id=\"survey-unknown\""));
}

#[tokio::test]
async fn a_wrong_code_on_the_phone_form_comes_back_beside_the_code_box_with_the_answers_kept() {
    let app = TestApp::spawn().await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", true).await;
    let token = round["token"].as_str().expect("token");
    let page = app.raw(Request::builder().uri(format!("/ankieta/{token}")).body(Body::empty()).expect("get")).await;
    assert!(page.text.contains("id=\"s-code\""), "a round with codes asks for one");
    let refused = post_form(&app, token, &[("code", "ABCDE-FGHJK"), ("s-q1", "yes"), ("s-q12", "def_yes"), ("lang", "pl")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &refused.text[..refused.text.len().min(300)]);
    assert!(refused.headers[header::CONTENT_TYPE].to_str().expect("type").starts_with("text/html"), "a page, not a problem document");
    assert!(refused.text.contains("id=\"s-code-error\""));
    assert!(refused.text.contains("został już wykorzystany"));
    assert!(tag_has(&refused.text, "id=\"s-code\"", "value=\"ABCDE-FGHJK\""), "the typed code is kept");
    assert!(tag_has(&refused.text, "id=\"s-q12-def-yes\"", "checked"), "the answers are kept");
}

/// Whether the tag that contains `marker` also carries `attribute`.
fn tag_has(html: &str, marker: &str, attribute: &str) -> bool {
    html.find(marker).is_some_and(|at| {
        let start = html[..at].rfind('<').unwrap_or(0);
        let end = at + html[at..].find('>').unwrap_or(0);
        html[start..end].contains(attribute)
    })
}

/// Anyone with the public link can type a formula into a free text: the exports carry
/// it as text that a spreadsheet program does not run.
#[tokio::test]
async fn survey_exports_carry_typed_formulas_as_inert_text() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let risky = ["=HYPERLINK(\"http://zly.example\",\"kliknij\")", "+1+2", "@SUM(1,1)", "-1+2", "=cmd|' /C calc'!A0"];
    for (i, text) in risky.iter().enumerate() {
        let mut body = person(i);
        body["answer"]["texts"]["q8"] = json!(text);
        assert_eq!(submit(&app, &token, &body).await.status, StatusCode::ACCEPTED);
    }
    close(&app, &coord, &id).await;

    let csv = app.get(&format!("/api/v1/surveys/{id}/results.csv"), &coord).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(csv.text.trim_start_matches('\u{feff}').as_bytes());
    let cells: Vec<String> = reader.records().flat_map(|r| r.expect("row").iter().map(str::to_string).collect::<Vec<_>>()).collect();
    for text in risky {
        assert!(cells.contains(&format!("'{text}")), "{text} is not neutralised: {cells:?}");
    }
    for cell in &cells {
        let formula = cell.starts_with(['=', '+', '-', '@']) && cell.parse::<f64>().is_err();
        assert!(!formula, "a cell a spreadsheet would run: {cell}");
    }

    let xlsx = app
        .raw(Request::builder().uri(format!("/api/v1/surveys/{id}/results.xlsx")).header(header::COOKIE, &coord.cookie).body(Body::empty()).expect("req"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.bytes.clone())).expect("xlsx");
    let name = calamine::Reader::sheet_names(&book)[0].clone();
    let formulas = calamine::Reader::worksheet_formula(&mut book, &name).expect("formulas");
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "the workbook holds a formula");
    let values = calamine::Reader::worksheet_range(&mut book, &name).expect("range");
    for text in risky {
        let found = values.used_cells().any(|(_, _, c)| matches!(c, calamine::Data::String(s) if s == text));
        assert!(found, "{text} is not a text cell of the workbook");
    }
}

/// A resend that reaches a second server process (no sticky routing) is held by both;
/// whichever counts it first, it is counted once, and the receipts go a while after
/// the close.
#[tokio::test]
async fn a_resend_held_by_two_processes_is_counted_once() {
    let a = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = a.login("coord.a@test").await;
    let round = open_round(&a, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let ids: Vec<String> = (0..12).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for (i, sid) in ids.iter().enumerate() {
        assert_eq!(submit(&a, &token, &sent_by(i, sid)).await.status, StatusCode::ACCEPTED);
    }
    // The replies were lost on the way: the devices send everything again, to process B.
    let b = a.second_process().await;
    for (i, sid) in ids.iter().enumerate() {
        assert_eq!(submit(&b, &token, &sent_by(i, sid)).await.status, StatusCode::ACCEPTED);
    }
    assert_eq!((counted(&a, &id).await, waiting(&a, &coord, &id).await, waiting(&b, &coord, &id).await), (5, 7, 7));
    // A closes the round and counts its seven; B settles and finds them counted.
    close(&a, &coord, &id).await;
    b.desk.sweep(&b.db).await.expect("sweep");
    assert_eq!(counted(&a, &id).await, 12);
    let results = a.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json();
    assert_eq!(results["current"]["few"], false, "nothing was left out");

    // The receipts outlive the close for a few minutes, then go.
    let receipts = || async { sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM survey_receipts").fetch_one(&a.db.pool).await.expect("n") };
    assert_eq!(receipts().await, 12);
    sqlx::query("UPDATE survey_periods SET closed_at = closed_at - 601").execute(&a.db.pool).await.expect("age");
    a.desk.sweep(&a.db).await.expect("sweep");
    assert_eq!(receipts().await, 0);
}

/// A kiosk of the version before kept its answers sealed without an id: sent again,
/// the same sealed text is the same answer.
#[tokio::test]
async fn a_sealed_answer_without_an_id_sent_again_is_held_once() {
    let app = TestApp::spawn_with(|c| c.survey_per_minute = 1000).await;
    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    let key = app.request(Method::GET, &format!("/api/v1/survey/{token}"), None, None).await.json()["kiosk_key"].as_str().expect("key").to_string();
    let sub: domain::survey::api::Submission = serde_json::from_value(person(1)).expect("submission");
    assert!(sub.id.is_none());
    let sealed = serde_json::to_value(server::store::survey::kiosk::seal(&key, &sub).expect("seal")).expect("json");
    for _ in 0..3 {
        let r = app.request(Method::POST, &format!("/api/v1/survey/{token}/sealed"), Some(&json!({"answers": [sealed]})), None).await;
        assert_eq!(r.json()["fates"][0]["status"], "received", "{}", r.text);
    }
    assert_eq!(waiting(&app, &coord, &id).await, 1);
}
