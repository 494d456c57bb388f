//! Pages the server draws with their data (issue 18): the caseload and a client's card
//! are on screen as soon as the page arrives, and carry that data for the browser's
//! first render. The data is what the API would answer the same person: the same
//! scoping, the same access-log entries.

use axum::http::{header, StatusCode};
use serde_json::{json, Value};

use crate::helpers::{Session, TestApp};

/// The page data a page carries (`<meta name="sciezka-page-data">`), if any.
fn page_data(html: &str) -> Option<Value> {
    let at = html.find(r#"name="sciezka-page-data""#)?;
    let tag = &html[html[..at].rfind('<')?..at + html[at..].find('>')?];
    let start = tag.find(r#"content=""#)? + r#"content=""#.len();
    let raw = &tag[start..start + tag[start..].find('"')?];
    let json = raw.replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'").replace("&#39;", "'").replace("&amp;", "&");
    Some(serde_json::from_str(&json).expect("the page data is JSON"))
}

async fn page(app: &TestApp, path: &str, s: Option<&Session>) -> String {
    let r = app.request(axum::http::Method::GET, path, None, s).await;
    assert_eq!(r.status, StatusCode::OK, "{path}");
    assert!(r.headers[header::CONTENT_TYPE].to_str().expect("type").starts_with("text/html"), "{path}");
    assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "a page with personal data is never stored");
    r.text
}

async fn reads_of(app: &TestApp, client: uuid::Uuid) -> Vec<String> {
    sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'read' AND client_id = $1")
        .bind(client.to_string())
        .fetch_all(&app.db.pool)
        .await
        .expect("log")
}

#[tokio::test]
async fn the_caseload_is_drawn_with_the_consultants_own_active_clients() {
    let app = TestApp::spawn().await;
    let mut mine = app.person(1, Some(app.consultant_a));
    mine["surname"] = json!("Wiśniewska");
    app.insert_client(&mine).await;
    let mut unassigned = app.person(2, None);
    unassigned["surname"] = json!("Zielińska");
    app.insert_client(&unassigned).await;
    let s = app.login("consultant.a@test").await;

    let html = page(&app, "/", Some(&s)).await;
    assert!(html.contains("id=\"caseload-count\""), "the count is drawn, not a loading notice");
    assert!(html.contains("Wiśniewska Anna"), "the consultant's client is in the page");
    assert!(!html.contains("Zielińska"), "a client the consultant does not lead is not");
    let data = page_data(&html).expect("the caseload's data for the browser");
    let api = app.get(app::page_data::CASELOAD, &s).await.json();
    assert_eq!(data, api, "the page carries what the API answers");
    assert_eq!(data["total"], 1);
    assert!(!html.contains(&s.csrf), "never the CSRF token");

    // Signed out: the sign-in's redirect page, with nobody's data.
    let html = page(&app, "/", None).await;
    assert!(page_data(&html).is_none());
    assert!(!html.contains("Wiśniewska"));
}

#[tokio::test]
async fn a_card_is_drawn_with_its_record_and_its_opening_is_one_access_log_entry() {
    let app = TestApp::spawn().await;
    let mut body = app.person(3, Some(app.consultant_a));
    body["surname"] = json!("Kowalczyk");
    let id = app.insert_client(&body).await;
    let s = app.login("consultant.a@test").await;

    let html = page(&app, &format!("/clients/{id}"), Some(&s)).await;
    assert!(html.contains("Kowalczyk"), "the record is drawn");
    assert!(html.contains(body["pesel"].as_str().expect("pesel")));
    let data = page_data(&html).expect("the card's data for the browser");
    let api = app.get(&format!("/api/v1/clients/{id}"), &s).await.json();
    assert_eq!(data["record"], api, "the page carries what the API answers");

    // The server's read began an opening of the card: one entry, which the browser's
    // further reads of the same opening join.
    let opening = data["opening"].as_str().expect("opening").to_string();
    let before = reads_of(&app, id).await.len();
    for path in ["/notes", "/history", "/documents"] {
        let r = app
            .raw(
                axum::http::Request::builder()
                    .uri(format!("/api/v1/clients/{id}{path}"))
                    .header(header::COOKIE, &s.cookie)
                    .header("x-sciezka-opening", &opening)
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
    }
    assert_eq!(reads_of(&app, id).await.len(), before, "the card's reads join the page's opening");
    assert_eq!(before, 2, "the page's read and the API read above, which had no opening");
    assert!(reads_of(&app, id).await.iter().any(|d| d.contains("art. 9")), "the page's read is logged as a card opening");
}

#[tokio::test]
async fn a_card_of_another_partnership_is_drawn_without_data_and_logs_nothing() {
    let app = TestApp::spawn().await;
    let mut body = app.person(4, Some(app.consultant_a));
    body["surname"] = json!("Tajemnicza");
    let id = app.insert_client(&body).await;
    let outsider = app.login("consultant.b@test").await;

    let html = page(&app, &format!("/clients/{id}"), Some(&outsider)).await;
    assert!(page_data(&html).is_none());
    assert!(!html.contains("Tajemnicza"));
    assert!(!html.contains(body["pesel"].as_str().expect("pesel")));
    assert!(reads_of(&app, id).await.is_empty(), "nothing was read");
    // Paths that are not a client's card carry no card.
    for path in ["/clients/new", &format!("/clients/{id}/edit"), "/clients/not-a-uuid", "/offline"] {
        let owner = app.login("consultant.a@test").await;
        let html = page(&app, path, Some(&owner)).await;
        assert!(page_data(&html).is_none(), "{path}");
    }
}

/// The app is fetched after the page has painted: no resource hint in a page's head
/// starts a download while the browser reads it (the first paint needs only the HTML
/// and the stylesheet); the hints are there, held, for the shell's script to make real.
#[tokio::test]
async fn a_pages_hints_for_the_app_are_held_until_after_the_first_paint() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    for (path, who) in [("/login", None), ("/", Some(&s)), ("/offline", None)] {
        let html = page(&app, path, who).await;
        let head = &html[..html.find("</head>").expect("a head")];
        assert!(!head.contains(r#"rel="preload""#), "{path}: no preload while the head is read");
        assert!(!head.contains(r#"rel="modulepreload""#), "{path}: no module preload while the head is read");
        assert!(head.contains(r#"<link data-after-paint="modulepreload" href="/pkg/sciezka"#), "{path}: the app's JS, held");
        assert!(head.contains(r#"<link data-after-paint="preload" href="/pkg/sciezka"#), "{path}: the app's wasm, held");
        assert!(head.contains(r#"link[data-after-paint]"#), "{path}: the script that makes them real");
        assert!(head.contains("first-contentful-paint"), "{path}: the app starts once the page has painted");
    }
}
