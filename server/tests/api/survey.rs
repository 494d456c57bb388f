//! The anonymous survey: answers without signing in, the rules, single-use codes,
//! closed rounds, the rate limit, kiosk uploads, results and exports — and a test that
//! plays an administrator trying to tie answers to the people who gave them.

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Response, Session, TestApp};

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
    }
    // Four answers wait whole in the pool; nothing is counted yet, results are withheld.
    assert_eq!(counted(&app, &id).await, 0);
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await;
    assert_eq!(results.json()["current"]["withheld"], true);
    assert_eq!(results.json()["waiting"], 4);
    assert_eq!(results.json()["current"]["questions"], json!([]));
    assert_eq!(app.get(&format!("/api/v1/surveys/{id}/results.csv"), &coord).await.status, StatusCode::FORBIDDEN);

    assert_eq!(submit(&app, &token, &person(4)).await.status, StatusCode::ACCEPTED);
    assert_eq!(counted(&app, &id).await, 5);
    let (pooled,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_pool").fetch_one(&app.db.pool).await.expect("pool");
    assert_eq!(pooled, 0, "a full batch leaves the pool");
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json();
    let current = &results["current"];
    assert_eq!((current["respondents"].as_u64(), current["withheld"].as_bool()), (Some(5), Some(false)));
    let q1 = &current["questions"][0];
    assert_eq!((q1["answered"].as_u64(), q1["options"][0]["count"].as_u64(), q1["options"][0]["percent"].as_f64()), (Some(5), Some(3), Some(60.0)));
    let q5 = &current["questions"][4];
    let mut texts: Vec<String> = serde_json::from_value(q5["texts"].clone()).expect("texts");
    texts.sort();
    assert_eq!(texts, (0..5).map(|i| format!("Odpowiedź-osoby-{i:02}")).collect::<Vec<_>>());
    let sex = current["questions"].as_array().expect("q").iter().find(|q| q["question"] == "sex").expect("sex").clone();
    assert_eq!((sex["options"][0]["count"].as_u64(), sex["options"][1]["count"].as_u64()), (Some(3), Some(2)));

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
    assert!(csv.text.contains("Czy Pani /Pan -i pracował/a kiedykolwiek zawodowo?") && csv.text.contains(",3,60.0,5"), "{}", csv.text);
    assert!(csv.text.contains("Kobieta,3,60.0,5"));
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
    let (pooled,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_pool").fetch_one(&app.db.pool).await.expect("pool");
    assert_eq!(pooled, 0, "nothing refused was kept");
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
    assert_eq!(submit(&app, &token, &json!({"answer": answer, "code": typed})).await.status, StatusCode::ACCEPTED);
    let again = submit(&app, &token, &json!({"answer": answer, "code": codes[0]})).await;
    let unknown = submit(&app, &token, &json!({"answer": answer, "code": "ZZZZZ-ZZZZZ"})).await;
    assert_eq!((again.status, unknown.status), (StatusCode::FORBIDDEN, StatusCode::FORBIDDEN));
    // A used code is refused exactly like a code that never existed: nothing about the first answer shows.
    assert_eq!(again.text, unknown.text);
    let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_codes").fetch_one(&app.db.pool).await.expect("codes");
    assert_eq!(left, 2);
    let rounds = app.get(&format!("/api/v1/partnerships/{}/surveys", app.partnership_a), &coord).await.json();
    assert_eq!(rounds[0]["codes_left"], 2);
}

#[tokio::test]
async fn a_closed_round_counts_what_waited_and_refuses_more_answers() {
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
    // The two acknowledged answers are not lost; with fewer than 5 they stay withheld.
    assert_eq!(counted(&app, &id).await, 2);
    let results = app.get(&format!("/api/v1/surveys/{id}/results"), &coord).await.json();
    assert_eq!((results["current"]["respondents"].as_u64(), results["current"]["withheld"].as_bool()), (Some(2), Some(true)));
    let late = submit(&app, &token, &person(3)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.json()["title"].as_str().unwrap_or("").contains("zamknięta"), "{}", late.text);
    let public = app.request(Method::GET, &format!("/api/v1/survey/{token}"), None, None).await;
    assert_eq!(public.json()["open"], false);
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
            let sub: domain::survey::api::Submission = serde_json::from_value(person(i)).expect("submission");
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
    assert_eq!(r.json()["accepted"], 5);
    assert_eq!(r.json()["refused"].as_array().map(Vec::len), Some(2));
    assert_eq!(counted(&app, &id).await, 5);
}

/// Everything written to the tracing output while the guard lives.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The administrator knows every respondent's metrics, the order in which they
/// answered and when, and holds the database file, its write-ahead log, a backup and
/// the server's logs. None of it may tie an opinion to a person.
#[tokio::test(flavor = "current_thread")]
async fn an_administrator_with_the_database_logs_and_backups_cannot_tie_an_answer_to_a_person() {
    let app = TestApp::spawn().await;
    if !app.url.starts_with("sqlite") {
        return; // The files examined are SQLite's; PostgreSQL's WAL is discussed in the README.
    }
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt().with_max_level(tracing::Level::TRACE).with_ansi(false).with_writer(move || writer.clone()).finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let coord = app.login("coord.a@test").await;
    let round = open_round(&app, &coord, "2026-11", false).await;
    let (id, token) = (round["id"].as_str().expect("id").to_string(), round["token"].as_str().expect("t").to_string());
    // Answers given on a consultant's signed-in tablet carry the session cookie along:
    // the survey path must not use it.
    let consultant = app.login("consultant.a@test").await;
    let people = 10;
    for i in 0..people {
        let agent = format!("Respondent-UA-{i:02}");
        let cookie = (i % 2 == 0).then_some(consultant.cookie.as_str());
        let r = submit_as(&app, &token, &person(i), [203, 0, 113, 10 + i as u8], &agent, cookie).await;
        assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);
        assert!(!r.headers.contains_key(header::SET_COOKIE), "the survey sets no cookie");
    }
    assert_eq!(counted(&app, &id).await, 10);

    let dir = std::path::PathBuf::from(app.url.trim_start_matches("sqlite://")).parent().expect("dir").to_path_buf();
    let backup = dir.join("backup.db");
    app.db.backup(&backup).await.expect("backup");
    let mut files = vec![];
    for name in ["test.db", "test.db-wal", "backup.db"] {
        files.push((name, std::fs::read(dir.join(name)).unwrap_or_default()));
    }
    files.push(("log", log.0.lock().expect("log").clone()));
    for (name, bytes) in &files {
        for i in 0..people {
            let ip = format!("203.0.113.{}", 10 + i);
            assert!(!contains(bytes, &ip), "{name} holds a respondent's address");
            assert!(!contains(bytes, &format!("Respondent-UA-{i:02}")), "{name} holds a respondent's browser");
        }
        // No whole answer (metrics beside opinions) survives anywhere.
        assert!(!contains(bytes, "\"choices\""), "{name} holds a whole answer");
        if *name == "log" {
            assert!(!contains(bytes, "Odpowiedź-osoby"), "the log holds an answer");
        }
    }

    // What is stored: counters keyed by question and option, texts keyed by question.
    // No column can carry a person, a device, a session or a time.
    for table in ["survey_counters", "survey_texts", "survey_pool"] {
        let cols: Vec<(String,)> = sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')")).fetch_all(&app.db.pool).await.expect("cols");
        for (c,) in cols {
            assert!(["survey_id", "question", "choice", "n", "id", "body", "answer"].contains(&c.as_str()), "{table}.{c} could identify");
        }
    }
    // Texts are stored in an order unrelated to who answered when, with random ids.
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT id, body FROM survey_texts WHERE question = 'q5' ORDER BY rowid").fetch_all(&app.db.pool).await.expect("texts");
    assert_eq!(stored.len(), people);
    let order: Vec<String> = stored.iter().map(|(_, b)| b.clone()).collect();
    let given: Vec<String> = (0..people).map(|i| format!("Odpowiedź-osoby-{i:02}")).collect();
    // Two batches of 5 each shuffled: the submission order survives with chance 1/14,400.
    assert_ne!(order, given, "texts are stored in the order people answered");
    assert!(stored.iter().all(|(id, _)| uuid::Uuid::parse_str(id).is_ok_and(|u| u.get_version_num() == 4)), "text ids must be random");
    // A person's two texts sit in different rows with nothing to join them: their
    // positions in the table do not pair them up beyond chance.
    let q8: Vec<(String,)> = sqlx::query_as("SELECT body FROM survey_texts WHERE question = 'q8' ORDER BY rowid").fetch_all(&app.db.pool).await.expect("q8");
    let pairs = order.iter().zip(&q8).filter(|(a, (b,))| a[a.len() - 2..] == b[b.len() - 2..]).count();
    assert!(pairs < people, "every q5 text sits beside the same person's q8 text");
    // Only counters hold the metrics, and each counter is one question and one option.
    let (width,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM survey_counters WHERE survey_id = $1 AND question <> '*' AND choice <> '*' AND n > 0")
        .bind(&id)
        .fetch_one(&app.db.pool)
        .await
        .expect("counters");
    assert!(width > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_arriving_together_are_committed_together_and_all_counted() {
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
    let pooled: i64 = sqlx::query_as::<_, (i64,)>("SELECT pooled FROM survey_periods WHERE id = $1").bind(&id).fetch_one(&app.db.pool).await.expect("p").0;
    assert_eq!(counted(&app, &id).await + pooled, 37, "every acknowledged answer is counted or pooled");
    assert!(pooled < 5);
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
    let waiting = || async {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM survey_pool WHERE survey_id = $1").bind(round["id"].as_str().expect("id")).fetch_one(&app.db.pool).await.expect("pool");
        n
    };

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
