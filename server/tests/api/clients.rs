use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use serde_json::json;

use crate::helpers::{self, TestApp};

#[tokio::test]
async fn register_read_and_list_a_client() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let r = app.post("/api/v1/clients", &app.person(7, Some(app.consultant_a)), &s).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let created = r.json();
    assert_eq!(created["data"]["birth_date"], "1985-03-14");
    assert_eq!(created["data"]["sex"], "female");
    let id = created["id"].as_str().expect("id").to_string();
    let mine = app.get("/api/v1/clients?mine=true", &s).await.json();
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["id"], id.as_str());
    assert_eq!(mine["items"][0]["display_name"], "Nowak7 Anna");
}

#[tokio::test]
async fn an_invalid_pesel_is_explained_in_polish_and_english() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let mut body = app.person(1, None);
    body["pesel"] = json!("85031401235");
    let r = app.post("/api/v1/clients", &body, &s).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = r.json();
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["errors"][0]["pointer"], "/pesel");
    assert_eq!(problem["errors"][0]["code"], "check_digit");
    assert_eq!(problem["errors"][0]["message"], "Nieprawidłowa cyfra kontrolna.");
    let req = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v1/clients")
        .header(header::COOKIE, &s.cookie)
        .header("x-csrf-token", &s.csrf)
        .header(header::ACCEPT_LANGUAGE, "en-GB")
        .header(header::CONTENT_TYPE, "application/json")
        .body(axum::body::Body::from(body.to_string()))
        .expect("request");
    assert_eq!(app.raw(req).await.json()["errors"][0]["message"], "The check digit is wrong.");
}

#[tokio::test]
async fn a_pesel_is_registered_once_per_partnership() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    assert_eq!(app.post("/api/v1/clients", &app.person(3, None), &s).await.status, StatusCode::CREATED);
    let r = app.post("/api/v1/clients", &app.person(3, None), &s).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["code"], "duplicate");
}

#[tokio::test]
async fn the_list_is_in_polish_alphabetical_order_and_searchable() {
    let app = TestApp::spawn().await;
    for (n, surname) in ["Żak", "Łukasik", "Lis", "Mazur", "Śliwa", "Sowa", "Zając"].iter().enumerate() {
        let mut p = app.person(n as u16, None);
        p["surname"] = json!(surname);
        app.insert_client(&p).await;
    }
    let s = app.login("consultant.a@test").await;
    let page = app.get("/api/v1/clients", &s).await.json();
    let names: Vec<&str> = page["items"].as_array().expect("items").iter().map(|c| c["display_name"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["Lis Anna", "Łukasik Anna", "Mazur Anna", "Sowa Anna", "Śliwa Anna", "Zając Anna", "Żak Anna"]);
    let found = app.get("/api/v1/clients?q=%C5%81UKA", &s).await.json();
    assert_eq!(found["total"], 1);
    let none = app.get("/api/v1/clients?q=%25", &s).await.json();
    assert_eq!(none["total"], 0, "LIKE wildcards typed by a user are literal");
    let first = app.get("/api/v1/clients?limit=2", &s).await.json();
    let paged = app.get(&format!("/api/v1/clients?limit=2&after={}", first["next"].as_str().expect("next")), &s).await.json();
    assert_eq!(paged["items"][0]["display_name"], "Mazur Anna");
    assert_eq!(paged["total"], 7);
}

fn names(page: &serde_json::Value) -> Vec<String> {
    page["items"].as_array().expect("items").iter().map(|c| c["display_name"].as_str().unwrap_or("").to_string()).collect()
}

/// Search is served by a trigram index on SQLite (three letters or more) and by
/// `pg_trgm` on PostgreSQL: the same answers as a substring scan, Polish letters and
/// case folded, in Polish order, following every change of a name.
#[tokio::test]
async fn search_finds_substrings_of_names_in_polish_order() {
    let app = TestApp::spawn().await;
    let mut ids = Vec::new();
    for (n, (surname, first)) in
        [("Kowalska", "Anna"), ("Nowakowska", "Żaneta"), ("Zając", "Łucja"), ("Kowalczyk", "Ewa"), ("Śliwa", "Kowal"), ("Ząbek", "Ola")].iter().enumerate()
    {
        let mut p = app.person(n as u16, None);
        p["surname"] = json!(surname);
        p["first_names"] = json!(first);
        ids.push(app.insert_client(&p).await);
    }
    let s = app.login("consultant.a@test").await;
    let search = |q: &str| {
        let q = form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>();
        let app = &app;
        let s = &s;
        async move { names(&app.get(&format!("/api/v1/clients?q={q}"), s).await.json()) }
    };
    assert_eq!(search("kowal").await, ["Kowalczyk Ewa", "Kowalska Anna", "Śliwa Kowal"], "surname or first name, Polish order");
    assert_eq!(search("KOWALS").await, ["Kowalska Anna"]);
    assert_eq!(search("ŻANE").await, ["Nowakowska Żaneta"], "Polish capitals fold");
    assert_eq!(search("ząb").await, ["Ząbek Ola"], "ą is not a");
    assert_eq!(search("ZA").await, ["Zając Łucja"], "two letters: the start of the surname");
    assert_eq!(search("zą").await, ["Ząbek Ola"]);
    assert_eq!(search("Ś").await, ["Śliwa Kowal"]);
    assert_eq!(search("wa").await, Vec::<String>::new(), "not inside a name");
    assert_eq!(search("wska żan").await, ["Nowakowska Żaneta"], "across surname and first name");
    assert_eq!(search("\"kowal\"").await, Vec::<String>::new(), "quotes are literal, not search syntax");
    assert_eq!(search("kow*").await, Vec::<String>::new(), "so is a star");
    assert_eq!(search("Kie").await.len(), 6, "the town");
    // A renamed client is found by the new name only.
    sqlx::query("UPDATE clients SET search_text = 'kowalewska maria 00000000000 radom' WHERE id = $1")
        .bind(ids[2].to_string())
        .execute(&app.db.pool)
        .await
        .expect("rename");
    assert_eq!(search("łucja").await, Vec::<String>::new());
    assert_eq!(search("kowalew").await, ["Zając Łucja"]);
    // What the list filters by follows the client too.
    sqlx::query("UPDATE clients SET status = 'closed', key_consultant_id = $1 WHERE id = $2")
        .bind(app.consultant_a.to_string())
        .bind(ids[3].to_string())
        .execute(&app.db.pool)
        .await
        .expect("close");
    assert_eq!(search("kowal").await.len(), 4);
    let closed = names(&app.get("/api/v1/clients?q=kowal&status=closed", &s).await.json());
    assert_eq!(closed, ["Kowalczyk Ewa"]);
    let mine = names(&app.get("/api/v1/clients?q=kowal&mine=true", &s).await.json());
    assert_eq!(mine, ["Kowalczyk Ewa"]);
    // The index follows its clients through VACUUM, which may renumber SQLite's row ids.
    if app.url.starts_with("sqlite:") {
        sqlx::query("DELETE FROM clients WHERE id = $1").bind(ids[0].to_string()).execute(&app.db.pool).await.expect("delete");
        sqlx::query("VACUUM").execute(&app.db.pool).await.expect("vacuum");
        assert_eq!(search("kowal").await, ["Kowalczyk Ewa", "Śliwa Kowal", "Zając Łucja"]);
        assert_eq!(search("nowako").await, ["Nowakowska Żaneta"]);
    }
}

/// Deep pages by keyset: walking `next` visits every client once, in order, and a
/// cursor that names no client of the list is refused, not answered with a guess.
#[tokio::test]
async fn pages_follow_one_another_by_keyset() {
    let app = TestApp::spawn().await;
    for n in 0..23u16 {
        let mut p = app.person(n, None);
        p["surname"] = json!(["Ćwik", "Cebula", "Łoś", "Lis", "Żuk", "Zych"][usize::from(n) % 6]);
        app.insert_client(&p).await;
    }
    let s = app.login("consultant.a@test").await;
    let all = names(&app.get("/api/v1/clients?limit=100", &s).await.json());
    assert_eq!(all.len(), 23);
    let mut walked = Vec::new();
    let mut after = String::new();
    loop {
        let page = app.get(&format!("/api/v1/clients?limit=5&after={after}"), &s).await.json();
        assert_eq!(page["total"], 23);
        walked.extend(names(&page));
        match page["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(walked, all);
    let r = app.get(&format!("/api/v1/clients?after={}", uuid::Uuid::new_v4()), &s).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text);
    // A client of partnership A is no cursor for a user of partnership B.
    let first = app.get("/api/v1/clients?limit=1", &s).await.json();
    let b = app.login("consultant.b@test").await;
    let r = app.get(&format!("/api/v1/clients?after={}", first["next"].as_str().expect("next")), &b).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// A search pages by keyset too, through clients whose names sort alike (the trigram
/// index's order breaks their ties by its own row ids): walking `next` visits every
/// match once, in order, and never a client of another partnership.
#[tokio::test]
async fn a_search_pages_by_keyset_through_equal_names() {
    let app = TestApp::spawn().await;
    for n in 0..17u16 {
        let mut p = app.person(n, None);
        p["surname"] = json!(["Kowalska", "Kowalczyk", "Nowak"][usize::from(n) % 3]);
        p["first_names"] = json!("Anna");
        app.insert_client(&p).await;
    }
    let b: String = sqlx::query_scalar("SELECT id FROM partnerships WHERE name = 'Partnerstwo B'").fetch_one(&app.db.pool).await.expect("b");
    let mut other = app.person(90, None);
    other["partnership_id"] = json!(b);
    other["surname"] = json!("Kowalska");
    other["first_names"] = json!("Anna");
    app.insert_client(&other).await;
    let s = app.login("consultant.a@test").await;
    let all = app.get("/api/v1/clients?q=kowal&limit=100", &s).await.json();
    assert_eq!(all["total"], 12, "six of each, none of partnership B");
    let ids = |page: &serde_json::Value| page["items"].as_array().expect("items").iter().map(|c| c["id"].as_str().unwrap_or("").to_string()).collect::<Vec<_>>();
    let everyone = ids(&all);
    assert_eq!(names(&all).iter().filter(|n| n.as_str() == "Kowalczyk Anna").count(), 6);
    assert!(names(&all).windows(2).all(|w| w[0] <= w[1]), "Kowalczyk before Kowalska: {:?}", names(&all));
    let mut walked = Vec::new();
    let mut after = String::new();
    loop {
        let page = app.get(&format!("/api/v1/clients?q=kowal&limit=5&after={after}"), &s).await.json();
        assert_eq!(page["total"], 12, "every page counts the whole list");
        walked.extend(ids(&page));
        match page["next"].as_str() {
            Some(next) => after = next.to_string(),
            None => break,
        }
    }
    assert_eq!(walked, everyone, "each match once, in the same order");
    // Past the last match the page is empty, and its count still the list's.
    let last = everyone.last().expect("last");
    let end = app.get(&format!("/api/v1/clients?q=kowal&after={last}"), &s).await.json();
    assert_eq!((end["items"].as_array().map(Vec::len), end["total"].as_i64()), (Some(0), Some(12)));
    // Closing one leaves it out of the active list, page by page as well.
    sqlx::query("UPDATE clients SET status = 'closed' WHERE id = $1").bind(&everyone[0]).execute(&app.db.pool).await.expect("close");
    let active = app.get("/api/v1/clients?q=kowal&status=active&limit=5", &s).await.json();
    assert_eq!(active["total"], 11);
    assert_eq!(ids(&active)[0], everyone[1]);
}

/// A search in a small part of the database (here one partnership of five) tests that
/// partnership's own clients rather than every match the trigram index holds, with
/// the same answers: substrings, Polish order, literal quotes and stars, keyset pages.
#[tokio::test]
async fn a_search_in_one_partnership_of_many_reads_its_own_clients() {
    let app = TestApp::spawn().await;
    let ngo: String = sqlx::query_scalar("SELECT id FROM organisations WHERE name = 'NGO B'").fetch_one(&app.db.pool).await.expect("org");
    for i in 0..3 {
        let org = uuid::Uuid::parse_str(&ngo).expect("uuid");
        server::seed::partnership(&app.db, &format!("Partnerstwo {i}"), domain::org::PartnershipKind::Local, &[org]).await.expect("p");
    }
    let mut ids = Vec::new();
    for (n, (surname, first)) in [("Kowalska", "Anna"), ("Śliwa", "Kowal"), ("Kowalczyk", "Ewa"), ("Nowak", "Ola"), ("Kowalczyk", "Ewa")].iter().enumerate() {
        let mut p = app.person(n as u16, None);
        p["surname"] = json!(surname);
        p["first_names"] = json!(first);
        ids.push(app.insert_client(&p).await);
    }
    // The index no longer knows one of them: only a search of the partnership's own
    // clients finds her, so the answers below come from that search.
    let forgotten = ids[0].to_string();
    let unindex = if app.url.starts_with("sqlite") {
        "DELETE FROM clients_search WHERE rowid = (SELECT rowid FROM client_search_keys WHERE id = $1)"
    } else {
        "DELETE FROM client_search_order WHERE id = $1"
    };
    sqlx::query(unindex).bind(&forgotten).execute(&app.db.pool).await.expect("unindex");
    let s = app.login("consultant.a@test").await;
    let all = app.get("/api/v1/clients?q=KOWAL", &s).await.json();
    assert_eq!(names(&all), ["Kowalczyk Ewa", "Kowalczyk Ewa", "Kowalska Anna", "Śliwa Kowal"]);
    assert_eq!(all["total"], 4);
    assert_eq!(names(&app.get("/api/v1/clients?q=wska", &s).await.json()), Vec::<String>::new());
    assert_eq!(names(&app.get("/api/v1/clients?q=%22kowal%22", &s).await.json()), Vec::<String>::new(), "quotes are literal");
    assert_eq!(names(&app.get("/api/v1/clients?q=kow%25", &s).await.json()), Vec::<String>::new(), "so is a percent sign");
    assert_eq!(names(&app.get("/api/v1/clients?q=kow_l", &s).await.json()), Vec::<String>::new(), "and an underscore");
    let first = app.get("/api/v1/clients?q=kowal&limit=2", &s).await.json();
    let next = first["next"].as_str().expect("next");
    let rest = app.get(&format!("/api/v1/clients?q=kowal&limit=2&after={next}"), &s).await.json();
    assert_eq!([names(&first), names(&rest)].concat(), names(&all), "pages by keyset through equal names");
}

/// A search counts its matches up to 1,000 and says there are more; its pages still
/// reach every match, and the plain list and a narrower search count exactly.
#[tokio::test]
async fn a_search_over_a_thousand_clients_counts_to_a_thousand_and_pages_through_all() {
    let app = TestApp::spawn().await;
    // 1,010 women born on 1 and 2 January 1950: every PESEL starts with 50010.
    server::seed::bench(&app.db, 1_010).await.expect("bench");
    let s = app.login_with("bench@demo", "bench-password-2026").await;
    let first = app.get("/api/v1/clients?q=50010&limit=200", &s).await.json();
    assert_eq!((first["total"].as_i64(), first["total_capped"].as_bool()), (Some(1_000), Some(true)), "{first}");
    // Every client matches, so the search's pages name them as the plain list's do.
    let walk = |q: &'static str| {
        let (app, s) = (&app, &s);
        async move {
            let mut seen = std::collections::HashSet::new();
            let mut in_order = Vec::new();
            let mut after = String::new();
            loop {
                let page = app.get(&format!("/api/v1/clients?q={q}&limit=200&after={after}"), s).await.json();
                for c in page["items"].as_array().expect("items") {
                    assert!(seen.insert(c["id"].as_str().expect("id").to_string()), "each client once");
                }
                in_order.extend(names(&page));
                match page["next"].as_str() {
                    Some(next) => after = next.to_string(),
                    None => break,
                }
            }
            in_order
        }
    };
    let searched = walk("50010").await;
    assert_eq!(searched.len(), 1_010, "the pages reach past the count");
    assert_eq!(searched, walk("").await, "in Polish order");
    let last = app.get("/api/v1/clients?q=50010&limit=1", &s).await.json();
    assert_eq!(last["total_capped"], true);
    let all = app.get("/api/v1/clients?limit=1", &s).await.json();
    assert_eq!((all["total"].as_i64(), all["total_capped"].as_bool()), (Some(1_010), Some(false)), "the plain list counts exactly");
    // Kowalska is one surname in eighteen: 56 of them, counted exactly.
    let few = app.get("/api/v1/clients?q=kowal&limit=1", &s).await.json();
    assert_eq!((few["total"].as_i64(), few["total_capped"].as_bool()), (Some(56), Some(false)), "{few}");
}

/// Migration 0024 moved the search's order into a narrow table: clients registered
/// before it are found, counted and paged as those registered after.
#[tokio::test]
async fn clients_registered_before_the_search_order_table_are_found() {
    let url = helpers::database_url().await;
    let db = server::Db::connect(&url).await.expect("connect");
    let engine = if url.starts_with("sqlite") { "sqlite" } else { "postgres" };
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(engine);
    let before = std::env::temp_dir().join(format!("sciezka-migrations-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&before).expect("dir");
    for entry in std::fs::read_dir(&src).expect("migrations") {
        let path = entry.expect("entry").path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_string();
        if name.as_str() < "0024" {
            std::fs::copy(&path, before.join(&name)).expect("copy");
        }
    }
    sqlx::migrate::Migrator::new(before.as_path()).await.expect("migrator").run(&db.pool).await.expect("up to 0023");
    std::fs::remove_dir_all(&before).ok();
    let org = server::seed::organisation(&db, "OPS Dawny", domain::org::OrgType::Ops, "Kielce").await.expect("org");
    let early = server::seed::partnership(&db, "Partnerstwo Dawne", domain::org::PartnershipKind::Local, &[org]).await.expect("p");
    let by = server::seed::user(&db, "dawny@test", "Dawny", org, helpers::PASSWORD).await.expect("user").to_string();
    for (i, (id, name)) in [(uuid::Uuid::new_v4(), "Kowalska Ewa"), (uuid::Uuid::new_v4(), "Kowalczyk Jan")].iter().enumerate() {
        sqlx::query(
            "INSERT INTO clients (id, partnership_id, kind, work_form, status, display_name, birth_date, city, sort_key, search_text, data, version, created_by, created_at, updated_by, updated_at)
             VALUES ($1, $2, 'person', 'individual', 'active', $3, '1980-01-01', '', $4, $5, '{}', 1, $6, 0, $6, 0)",
        )
        .bind(id.to_string())
        .bind(early.to_string())
        .bind(*name)
        .bind(domain::collation::sort_key(&domain::text::fold(name)))
        .bind(domain::text::fold(name))
        .bind(&by)
        .execute(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("client {i}: {e}"));
    }
    db.pool.close().await;
    let app = TestApp::spawn_on(url, |_| {}).await;
    server::seed::grant(&app.db, app.coordinator_a, early, domain::org::Role::Coordinator).await.expect("grant");
    let s = app.login("coord.a@test").await;
    let page = app.get(&format!("/api/v1/clients?q=kowal&partnership_id={early}&limit=1"), &s).await.json();
    assert_eq!((page["total"].as_i64(), names(&page)), (Some(2), vec!["Kowalczyk Jan".to_string()]));
    let next = page["next"].as_str().expect("next");
    let rest = app.get(&format!("/api/v1/clients?q=kowal&partnership_id={early}&after={next}"), &s).await.json();
    assert_eq!(names(&rest), ["Kowalska Ewa"]);
    // A partnership made after the migration is numbered, and its clients found.
    let id = app.insert_client(&{
        let mut p = app.person(3, None);
        p["surname"] = json!("Kowalewska");
        p
    }).await;
    let found = app.get("/api/v1/clients?q=kowalew", &s).await.json();
    assert_eq!(found["items"][0]["id"], id.to_string());
}

#[tokio::test]
async fn edits_need_the_version_they_started_from() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let created = app.post("/api/v1/clients", &app.person(1, None), &s).await.json();
    let id = created["id"].as_str().expect("id").to_string();
    let mut data = created["data"].clone();
    data["city"] = json!("Radom");
    let put = |version: Option<&str>, body: serde_json::Value| {
        let mut b = axum::http::Request::builder()
            .method(Method::PUT)
            .uri(format!("/api/v1/clients/{id}"))
            .header(header::COOKIE, &s.cookie)
            .header("x-csrf-token", &s.csrf)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(v) = version {
            b = b.header(header::IF_MATCH, v);
        }
        b.body(axum::body::Body::from(body.to_string())).expect("request")
    };
    assert_eq!(app.raw(put(None, data.clone())).await.status, StatusCode::PRECONDITION_REQUIRED);
    let ok = app.raw(put(Some("\"1\""), data.clone())).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);
    assert_eq!(ok.json()["version"], 2);
    assert_eq!(ok.json()["data"]["city"], "Radom");
    // A second device still holding version 1 does not overwrite silently.
    data["city"] = json!("Kielce");
    assert_eq!(app.raw(put(Some("\"1\""), data)).await.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn reads_and_changes_are_audited_and_the_log_is_append_only() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let id = app.post("/api/v1/clients", &app.person(1, None), &s).await.json()["id"].as_str().expect("id").to_string();
    app.get(&format!("/api/v1/clients/{id}"), &s).await;
    let log_path = format!("/api/v1/partnerships/{}/audit", app.partnership_a);
    assert_eq!(app.get(&log_path, &s).await.status, StatusCode::FORBIDDEN, "consultants do not read the audit log");
    let coordinator = app.login("coord.a@test").await;
    let log = app.get(&log_path, &coordinator).await.json()["items"].clone();
    let actions: Vec<&str> = log.as_array().expect("entries").iter().map(|e| e["action"].as_str().unwrap_or("")).collect();
    assert_eq!(actions, ["read", "create"]);
    assert_eq!(log[0]["user_name"], "Konsultant A");
    assert_eq!(log[0]["client_name"], "Nowak1 Anna");
    assert!(sqlx::query("UPDATE audit_log SET action = 'x'").execute(&app.db.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM audit_log").execute(&app.db.pool).await.is_err());
}

/// A list spanning several partnerships leaves one entry in the log of each
/// partnership whose clients the page shows, naming the search, and none in a
/// partnership the page shows nobody of.
#[tokio::test]
async fn a_list_over_several_partnerships_is_logged_once_in_each_shown() {
    let app = TestApp::spawn().await;
    let b: String = sqlx::query_scalar("SELECT id FROM partnerships WHERE name = 'Partnerstwo B'").fetch_one(&app.db.pool).await.expect("b");
    let b = uuid::Uuid::parse_str(&b).expect("uuid");
    server::seed::grant(&app.db, app.coordinator_a, b, domain::org::Role::Coordinator).await.expect("grant");
    let a_consultant = app.login("consultant.a@test").await;
    app.post("/api/v1/clients", &app.person(1, None), &a_consultant).await;
    let b_worker = app.login("consultant.b@test").await;
    let mut other = app.person(2, None);
    other["partnership_id"] = json!(b.to_string());
    assert_eq!(app.post("/api/v1/clients", &other, &b_worker).await.status, StatusCode::CREATED);
    let coordinator = app.login("coord.a@test").await;
    let page = app.get("/api/v1/clients?q=nowak1", &coordinator).await.json();
    assert_eq!(page["total"], 1, "{page}");
    let logged = |p: uuid::Uuid| {
        let pool = app.db.pool.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT detail FROM audit_log WHERE partnership_id = $1 AND action = 'list'")
                .bind(p.to_string())
                .fetch_all(&pool)
                .await
                .expect("log")
        }
    };
    assert_eq!(logged(app.partnership_a).await, ["q=nowak1"]);
    assert!(logged(b).await.is_empty(), "the page showed nobody of partnership B");
    app.get("/api/v1/clients", &coordinator).await;
    assert_eq!(logged(app.partnership_a).await, ["q=nowak1", ""]);
    assert_eq!(logged(b).await, [""]);
}

/// One opening of a client's card is one entry in the access log, whatever the card
/// reads and however often; another opening, another person's or one without an
/// opening id is an entry of its own.
#[tokio::test]
async fn one_opening_of_a_card_is_one_entry_in_the_access_log() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let id = app.post("/api/v1/clients", &app.person(3, None), &s).await.json()["id"].as_str().expect("id").to_string();
    let reads = |opening: Option<uuid::Uuid>, s: helpers::Session| {
        let app = &app;
        let id = id.clone();
        async move {
            for path in ["", "/notes", "/documents", "/conflicts", "/history", "", "/notes"] {
                let mut b = Request::builder().uri(format!("/api/v1/clients/{id}{path}")).header(header::COOKIE, &s.cookie);
                if let Some(o) = opening {
                    b = b.header("x-sciezka-opening", o.to_string());
                }
                assert_eq!(app.raw(b.body(Body::empty()).expect("request")).await.status, StatusCode::OK, "{path}");
            }
        }
    };
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_log WHERE action = 'read' AND client_id = $1").bind(&id).fetch_one(&app.db.pool).await.expect("count")
    };
    let opening = uuid::Uuid::new_v4();
    reads(Some(opening), s.clone()).await;
    assert_eq!(count().await, 1, "seven reads of one opening");
    let detail: String = sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'read' AND client_id = $1").bind(&id).fetch_one(&app.db.pool).await.expect("detail");
    assert!(detail.contains("notes") && detail.contains("history") && detail.contains("conflicts") && detail.contains("art. 9"), "{detail}");
    // A card left open: one more entry every 10 minutes, not one per read.
    sqlx::query("UPDATE access_openings SET at = at - 700").execute(&app.db.pool).await.expect("age the opening");
    reads(Some(opening), s.clone()).await;
    assert_eq!(count().await, 2, "ten minutes on: one more entry");
    reads(Some(opening), s.clone()).await;
    assert_eq!(count().await, 2);
    reads(Some(uuid::Uuid::new_v4()), s.clone()).await;
    assert_eq!(count().await, 3, "a second opening");
    // Another person presenting the same opening id gets no grouping: each read is logged.
    let coordinator = app.login("coord.a@test").await;
    reads(Some(opening), coordinator).await;
    assert_eq!(count().await, 3 + 7);
    // Without an opening id (an API client), every read is an entry.
    reads(None, s).await;
    assert_eq!(count().await, 3 + 7 + 7);
}

/// Names that hide or disguise what is written are refused with a clear message; a
/// name typed with a combining accent is stored composed and found either way.
#[tokio::test]
async fn names_are_composed_and_invisible_or_reordering_characters_are_refused() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let cases = [("Kowal\u{202E}ska", "bidi_chars"), ("\u{200B}", "invisible"), ("Anna\nNowak", "line_break"), ("Now\u{2028}ak", "line_separator"), ("Nowak\u{FFFF}", "non_character")];
    for (i, (surname, code)) in cases.iter().enumerate() {
        let mut body = app.person(40 + i as u16, Some(app.consultant_a));
        body["surname"] = serde_json::json!(surname);
        let r = app.post("/api/v1/clients", &body, &s).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{surname:?}: {}", r.text);
        let e = &r.json()["errors"][0];
        assert_eq!((e["pointer"].as_str(), e["code"].as_str()), (Some("/surname"), Some(*code)), "{}", r.text);
        assert!(!e["message"].as_str().unwrap_or("").is_empty());
    }
    let mut body = app.person(50, Some(app.consultant_a));
    body["surname"] = serde_json::json!("Zoe\u{0301}");
    let r = app.post("/api/v1/clients", &body, &s).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    for typed in ["zoé", "Zoe\u{0301}", "ZOÉ"] {
        let q: String = form_urlencoded::byte_serialize(typed.as_bytes()).collect();
        let found = app.get(&format!("/api/v1/clients?q={q}"), &s).await.json();
        assert_eq!(found["total"], 1, "{typed:?}: {found}");
    }
}

/// A name stored decomposed before names were composed on the way in is composed by
/// the one-off fix, and then found by a search typed composed.
#[tokio::test]
async fn names_stored_before_are_composed_once_by_the_data_fix() {
    let app = TestApp::spawn().await;
    let s = app.login("consultant.a@test").await;
    let id = app.insert_client(&app.person(51, Some(app.consultant_a))).await;
    let data: String = sqlx::query_scalar("SELECT data FROM clients WHERE id = $1").bind(id.to_string()).fetch_one(&app.db.pool).await.expect("data");
    let mut data: serde_json::Value = serde_json::from_str(&data).expect("json");
    data["surname"] = serde_json::json!("Zoe\u{0301}");
    sqlx::query("UPDATE clients SET data = $1, search_text = $2 WHERE id = $3")
        .bind(data.to_string())
        .bind("zoe\u{0301} anna")
        .bind(id.to_string())
        .execute(&app.db.pool)
        .await
        .expect("decomposed");
    let q: String = form_urlencoded::byte_serialize("zoé".as_bytes()).collect();
    assert_eq!(app.get(&format!("/api/v1/clients?q={q}"), &s).await.json()["total"], 0, "not found before the fix");
    assert_eq!(server::store::fixes::run(&app.db).await.expect("fix"), 1);
    assert_eq!(app.get(&format!("/api/v1/clients?q={q}"), &s).await.json()["total"], 1);
    assert_eq!(app.get(&format!("/api/v1/clients/{id}"), &s).await.json()["data"]["surname"], "Zoé");
    assert_eq!(server::store::fixes::run(&app.db).await.expect("again"), 0, "done once");
}
