//! Walks every documented API route as a user of another partnership. A route that
//! this walk does not know how to call fails the test, so new routes must be added here.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::helpers::TestApp;

#[tokio::test]
async fn a_user_of_another_partnership_gets_nothing_from_any_route() {
    let app = TestApp::spawn().await;
    let mut secret = app.person(1, Some(app.consultant_a));
    secret["surname"] = json!("Tajemnicza");
    let client_id = app.insert_client(&secret).await;
    let pesel = secret["pesel"].as_str().expect("pesel").to_string();
    let outsider = app.login("consultant.b@test").await;
    // A case document with a secret in it, written by the client's own consultant.
    let owner = app.login("consultant.a@test").await;
    let ipd_id = domain::docs::doc_id_for(client_id, domain::docs::DocType::Ipd);
    let create = json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "written_at": 1_780_000_000_000_i64,
        "op": "create", "doc_type": "ipd", "doc_id": ipd_id, "data": {"client_id": client_id, "goal": "Tajemnicza praca"}}]});
    let r = app.post("/api/v1/sync/push", &create, &owner).await;
    assert_eq!(r.json()["results"][0]["outcome"]["status"], "applied", "{}", r.text);

    // A survey round of partnership A with one pooled answer and codes.
    let coordinator = app.login("coord.a@test").await;
    let round = app.post(&format!("/api/v1/partnerships/{}/surveys", app.partnership_a), &json!({"period": "2026-11"}), &coordinator).await.json();
    let round_id = round["id"].as_str().expect("round").to_string();
    let token = round["token"].as_str().expect("token").to_string();
    let r = app.request(Method::POST, &format!("/api/v1/survey/{token}/answers"), Some(&json!({"answer": {"texts": {"q8": "Tajemnicza opinia"}}})), None).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.text);

    let doc: serde_json::Value = serde_json::to_value(server::routes::document()).expect("doc");
    let mut walked = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("methods").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let (uri, body, expect): (String, serde_json::Value, &[StatusCode]) = match (method.as_str(), path.as_str()) {
                // Routes that concern only the caller's own account.
                ("POST", "/api/v1/auth/login" | "/api/v1/auth/second-factor/enrolment" | "/api/v1/auth/forgotten-password") => continue,
                // What the accessibility statement shows, for everyone: no client data.
                ("GET", "/api/v1/accessibility") => (path.clone(), json!(null), &[StatusCode::OK]),
                ("POST", "/api/v1/auth/logout") => continue,
                ("GET", "/api/v1/auth/me") => (path.clone(), json!(null), &[StatusCode::OK]),
                // The caller's own second factor: nobody else's can be named.
                ("GET", "/api/v1/auth/second-factor") => (path.clone(), json!(null), &[StatusCode::OK]),
                ("POST", "/api/v1/auth/second-factor/offer") => (path.clone(), json!({"password": "haslo-intruza-123"}), &[StatusCode::UNPROCESSABLE_ENTITY]),
                ("POST", "/api/v1/auth/second-factor" | "/api/v1/auth/second-factor/recovery-codes" | "/api/v1/auth/second-factor/removal") => {
                    (path.clone(), json!({"code": "123456"}), &[StatusCode::CONFLICT])
                }
                ("POST", "/api/v1/auth/password") => (path.clone(), json!({"current_password": "x", "new_password": "y"}), &[StatusCode::UNPROCESSABLE_ENTITY]),
                ("GET", "/api/v1/clients") => (format!("{path}?partnership_id={}", app.partnership_a), json!(null), &[StatusCode::NOT_FOUND]),
                ("POST", "/api/v1/clients") => (path.clone(), app.person(2, None), &[StatusCode::NOT_FOUND]),
                ("GET" | "PUT", "/api/v1/clients/{id}") => (path.replace("{id}", &client_id.to_string()), secret.clone(), &[StatusCode::NOT_FOUND]),
                ("GET", "/api/v1/partnerships/{id}/consultants" | "/api/v1/partnerships/{id}/audit" | "/api/v1/partnerships/{id}/audit/export.csv" | "/api/v1/partnerships/{id}/audit/export.xlsx" | "/api/v1/partnerships/{id}/dashboard") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN])
                }
                ("POST", "/api/v1/sync/push") => (
                    path.clone(),
                    json!({"device_id": uuid::Uuid::now_v7(), "mutations": [{"id": uuid::Uuid::now_v7(), "written_at": 1, "op": "edit",
                        "doc_type": "client", "doc_id": client_id, "base_revision": 1,
                        "changes": [{"path": ["surname"], "old": "Tajemnicza", "new": "Zmieniona"}]}]}),
                    &[StatusCode::OK],
                ),
                ("GET", "/api/v1/sync/caseload") => (path.clone(), json!(null), &[StatusCode::OK]),
                ("GET", "/api/v1/clients/{id}/conflicts" | "/api/v1/clients/{id}/notes" | "/api/v1/clients/{id}/history") => {
                    (path.replace("{id}", &client_id.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/conflicts/{id}/resolve") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"value": "x"}), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/partnerships/{id}/devices" | "/api/v1/partnerships/{id}/held") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                // People of partnership A, as an outsider: nothing listed, nobody invited,
                // switched off or reset.
                ("POST", "/api/v1/partnerships/{id}/import") => (
                    path.replace("{id}", &app.partnership_a.to_string()),
                    json!({"file_name": "a.csv", "content": "TmF6d2lza287UEVTRUwKVGFqZW1uaWN6YTsK", "on_duplicate": "update", "confirm": true}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("GET", "/api/v1/partnerships/{id}/imports" | "/api/v1/partnerships/{id}/import/template.csv" | "/api/v1/partnerships/{id}/import/template.xlsx") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET" | "POST", "/api/v1/partnerships/{id}/members") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"organisation_id": uuid::Uuid::now_v7()}), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/partnerships/{id}/people") => (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND]),
                ("POST", "/api/v1/partnerships/{id}/people/import") => (
                    path.replace("{id}", &app.partnership_a.to_string()),
                    json!({"file_name": "a.csv", "content": "TmF6d2lza287UEVTRUwKVGFqZW1uaWN6YTsK", "confirm": true}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("POST", "/api/v1/partnerships/{id}/people") => (
                    path.replace("{id}", &app.partnership_a.to_string()),
                    json!({"email": "intruz@test.pl", "display_name": "Intruz", "organisation_id": uuid::Uuid::now_v7(), "role": "coordinator"}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("PUT", "/api/v1/partnerships/{id}/people/{person}/authorisation") => (
                    path.replace("{id}", &app.partnership_a.to_string()).replace("{person}", &app.consultant_a.to_string()),
                    json!({"number": "1/2026", "issued": "2026-01-01", "expires": "2026-01-02"}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("PUT", "/api/v1/partnerships/{id}/people/{person}/role") => (
                    path.replace("{id}", &app.partnership_a.to_string()).replace("{person}", &app.consultant_a.to_string()),
                    json!({"role": "coordinator"}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("POST", "/api/v1/partnerships/{id}/people/{person}/deactivate" | "/api/v1/partnerships/{id}/people/{person}/reactivate" | "/api/v1/partnerships/{id}/people/{person}/reset" | "/api/v1/partnerships/{id}/people/{person}/second-factor/reset") => {
                    (path.replace("{id}", &app.partnership_a.to_string()).replace("{person}", &app.consultant_a.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                // A link is its secret: a guessed one is not found.
                ("GET", "/api/v1/account-links/{token}") => (path.replace("{token}", "zgadniety-token"), json!(null), &[StatusCode::NOT_FOUND]),
                // The installation's setup answers whether it is needed, and refuses a
                // first run on a database with people (and from another machine).
                ("GET", "/api/v1/setup") => (path.clone(), json!(null), &[StatusCode::OK]),
                ("POST", "/api/v1/setup") => (
                    path.clone(),
                    json!({"organisation": {"name": "Przejęcie", "org_type": "other"}, "display_name": "Intruz", "email": "intruz@example.com", "password": "haslo-intruza-123"}),
                    &[StatusCode::FORBIDDEN],
                ),
                // Only installation administrators; a partnership's people get nothing.
                ("GET" | "PUT", "/api/v1/admin/settings") => (path.clone(), json!({"two_factor_required": false}), &[StatusCode::FORBIDDEN]),
                ("GET" | "POST", "/api/v1/admin/organisations") => (path.clone(), json!({"name": "Tajemnicza fundacja", "org_type": "ngo"}), &[StatusCode::FORBIDDEN]),
                ("GET" | "POST", "/api/v1/admin/partnerships") => (
                    path.clone(),
                    json!({"name": "Tajemnicze partnerstwo", "kind": "local", "members": [], "coordinator": {"email": "a@b.pl", "display_name": "A", "organisation_id": uuid::Uuid::now_v7()}}),
                    &[StatusCode::FORBIDDEN],
                ),
                ("GET" | "POST", "/api/v1/partnerships/{id}/breaches") => (
                    path.replace("{id}", &app.partnership_a.to_string()),
                    json!({"found_at": "2026-01-01T10:00", "what_happened": "Tajemnica", "data": "Dane", "risk": "risk"}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("PUT", "/api/v1/partnerships/{id}/breaches/{breach}") => (
                    path.replace("{id}", &app.partnership_a.to_string()).replace("{breach}", &uuid::Uuid::now_v7().to_string()),
                    json!({"found_at": "2026-01-01T10:00", "what_happened": "Tajemnica", "data": "Dane", "risk": "risk", "closed": false}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("GET", "/api/v1/clients/{id}/personal-data" | "/api/v1/clients/{id}/personal-data/export.json" | "/api/v1/clients/{id}/personal-data/export.csv" | "/api/v1/clients/{id}/personal-data/export.xlsx")
                | ("POST", "/api/v1/clients/{id}/personal-data/export.zip") => {
                    (path.replace("{id}", &client_id.to_string()), json!({"password": "haslo-intruza-123"}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/partnerships/{id}/audit/export.zip") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"password": "haslo-intruza-123"}), &[StatusCode::NOT_FOUND, StatusCode::FORBIDDEN])
                }
                ("GET", "/api/v1/partnerships/{id}/disposals/due" | "/api/v1/partnerships/{id}/disposals") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/partnerships/{id}/disposals") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"client_ids": [client_id], "justification": "Upływ okresu przechowywania"}), &[StatusCode::NOT_FOUND])
                }
                ("PUT", "/api/v1/partnerships/{id}/archive-date") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"archive_until": "2020-01-01"}), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/clients/{id}/information-clause") => (path.replace("{id}", &client_id.to_string()), json!(null), &[StatusCode::NOT_FOUND]),
                ("PUT", "/api/v1/clients/{id}/restriction") => {
                    (path.replace("{id}", &client_id.to_string()), json!({"restricted": true, "reason": "Przejęcie"}), &[StatusCode::NOT_FOUND])
                }
                ("PUT", "/api/v1/admin/organisations/{id}") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"name": "Przejęta fundacja", "org_type": "ngo"}), &[StatusCode::FORBIDDEN])
                }
                ("PUT", "/api/v1/admin/partnerships/{id}") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"name": "Przejęte partnerstwo"}), &[StatusCode::FORBIDDEN])
                }
                ("POST", "/api/v1/account-links/{token}") => (path.replace("{token}", "zgadniety-token"), json!({"password": "haslo-intruza-123"}), &[StatusCode::NOT_FOUND]),
                ("POST", "/api/v1/devices/{id}/revoke") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"user_id": app.consultant_a}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/held/{id}/decide") => {
                    (path.replace("{id}", &uuid::Uuid::now_v7().to_string()), json!({"apply": true}), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/clients/{id}/documents") => (path.replace("{id}", &client_id.to_string()), json!(null), &[StatusCode::NOT_FOUND]),
                ("GET", "/api/v1/documents/{id}" | "/api/v1/documents/{id}/history") => {
                    (path.replace("{id}", &ipd_id.to_string()), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/documents/{id}/versions/{revision}") => {
                    (path.replace("{id}", &ipd_id.to_string()).replace("{revision}", "1"), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET" | "POST", "/api/v1/partnerships/{id}/services") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"name": "Tajemnicza usługa"}), &[StatusCode::NOT_FOUND])
                }
                // The public survey paths need the link's secret, not a session.
                ("GET", "/api/v1/survey/{token}") => (path.replace("{token}", "not-the-token"), json!(null), &[StatusCode::NOT_FOUND]),
                ("POST", "/api/v1/survey/{token}/answers") => {
                    (path.replace("{token}", "not-the-token"), json!({"answer": {"choices": {"q1": ["yes"]}}}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/survey/{token}/sealed") => (path.replace("{token}", "not-the-token"), json!({"answers": []}), &[StatusCode::NOT_FOUND]),
                ("GET" | "POST", "/api/v1/partnerships/{id}/surveys") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"period": "2026-12"}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/surveys/{id}/close") => (path.replace("{id}", &round_id), json!({}), &[StatusCode::NOT_FOUND]),
                ("POST", "/api/v1/surveys/{id}/codes") => (path.replace("{id}", &round_id), json!({"count": 5}), &[StatusCode::NOT_FOUND]),
                ("GET", "/api/v1/surveys/{id}/results" | "/api/v1/surveys/{id}/results.csv" | "/api/v1/surveys/{id}/results.xlsx" | "/api/v1/surveys/{id}/qr.svg") => {
                    (path.replace("{id}", &round_id), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET" | "PUT", "/api/v1/partnerships/{id}/reports/{month}")
                | ("GET", "/api/v1/partnerships/{id}/reports/{month}/export.xlsx" | "/api/v1/partnerships/{id}/reports/{month}/export.csv") => (
                    path.replace("{id}", &app.partnership_a.to_string()).replace("{month}", "2026-10"),
                    json!({"base": {}, "narrative": {"realised": "Tajemnicza"}}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("GET", "/api/v1/partnerships/{id}/indicators/{year}" | "/api/v1/partnerships/{id}/indicators/{year}/export.xlsx" | "/api/v1/partnerships/{id}/indicators/{year}/export.csv") => {
                    (path.replace("{id}", &app.partnership_a.to_string()).replace("{year}", "2026"), json!(null), &[StatusCode::NOT_FOUND])
                }
                ("GET", "/api/v1/partnerships/{id}/docs") => (path.replace("{id}", &app.partnership_a.to_string()), json!(null), &[StatusCode::NOT_FOUND]),
                ("GET" | "PUT", "/api/v1/partnerships/{id}/docs/{kind}") => (
                    path.replace("{id}", &app.partnership_a.to_string()).replace("{kind}", "plan"),
                    json!({"base": {}, "data": {"goals_now": "Tajemnicza"}}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("POST", "/api/v1/partnerships/{id}/agreement/sign") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"organisation_id": uuid::Uuid::now_v7()}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/partnerships/{id}/agreement/withdraw") => (
                    path.replace("{id}", &app.partnership_a.to_string()),
                    json!({"organisation_id": uuid::Uuid::now_v7(), "notice": "2026-01-01"}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("POST", "/api/v1/partnerships/{id}/agreement/amendments") => {
                    (path.replace("{id}", &app.partnership_a.to_string()), json!({"text": "Tajemnicza zmiana"}), &[StatusCode::NOT_FOUND])
                }
                ("POST", "/api/v1/partnerships/{id}/agreement/accessions") => (
                    path.replace("{id}", &app.partnership_a.to_string()),
                    json!({"organisation_id": uuid::Uuid::now_v7(), "representative": "Intruz", "function": "Prezes", "obligations": "Nic", "tasks_from": "2026-01-01"}),
                    &[StatusCode::NOT_FOUND],
                ),
                ("POST", "/api/v1/partnerships/{id}/agreement/amendments/{amendment}/consent") => (
                    path.replace("{id}", &app.partnership_a.to_string()).replace("{amendment}", &uuid::Uuid::now_v7().to_string()),
                    json!({"organisation_id": uuid::Uuid::now_v7(), "via": "email"}),
                    &[StatusCode::NOT_FOUND],
                ),
                other => panic!("route {other:?} is not covered by the scoping test: add it here"),
            };
            let body = if method == Method::GET { None } else { Some(&body) };
            let mut r = app.request(method.clone(), &uri, body, Some(&outsider)).await;
            if method == Method::PUT {
                // With the version header the request gets as far as the scoping check.
                let req = axum::http::Request::builder()
                    .method(Method::PUT)
                    .uri(&uri)
                    .header("cookie", &outsider.cookie)
                    .header("x-csrf-token", &outsider.csrf)
                    .header("if-match", "\"1\"")
                    .header("content-type", "application/json")
                    .body(axum::body::Body::from(body.map(std::string::ToString::to_string).unwrap_or_default()))
                    .expect("request");
                r = app.raw(req).await;
            }
            assert!(expect.contains(&r.status), "{method} {uri}: {} {}", r.status, r.text);
            assert!(!r.text.contains("Tajemnicza") && !r.text.contains(&pesel) && !r.text.contains(&token), "{method} {uri} leaked data: {}", r.text);
            walked += 1;
        }
    }
    assert!(walked >= 8, "walked only {walked} routes");
    // The outsider's own list shows nothing of partnership A either.
    let own = app.get("/api/v1/clients", &outsider).await;
    assert_eq!(own.json()["total"], 0);
    // And nothing was written.
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM clients").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(n, 1);
    let (surname,): (String,) = sqlx::query_as("SELECT display_name FROM clients").fetch_one(&app.db.pool).await.expect("name");
    assert!(surname.starts_with("Tajemnicza"));
    let (goal,): (String,) = sqlx::query_as("SELECT data FROM documents").fetch_one(&app.db.pool).await.expect("doc");
    assert!(goal.contains("Tajemnicza praca"));
    let (services,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM custom_services").fetch_one(&app.db.pool).await.expect("count");
    assert_eq!(services, 0);
    let (rounds, codes): (i64, i64) = sqlx::query_as("SELECT (SELECT COUNT(*) FROM survey_periods), (SELECT COUNT(*) FROM survey_codes)")
        .fetch_one(&app.db.pool)
        .await
        .expect("rounds");
    assert_eq!((rounds, codes), (1, 0));
    let (reports, docs, events): (i64, i64, i64) =
        sqlx::query_as("SELECT (SELECT COUNT(*) FROM reports), (SELECT COUNT(*) FROM partnership_docs), (SELECT COUNT(*) FROM agreement_events)")
            .fetch_one(&app.db.pool)
            .await
            .expect("reports");
    assert_eq!((reports, docs, events), (0, 0, 0));
    let (open,): (i64,) = sqlx::query_as("SELECT closed FROM survey_periods").fetch_one(&app.db.pool).await.expect("open");
    assert_eq!(open, 0);
}

#[tokio::test]
async fn every_documented_route_exists_and_needs_a_session() {
    let app = TestApp::spawn().await;
    let served = app.request(Method::GET, "/api/v1/openapi.json", None, None).await;
    assert_eq!(served.status, StatusCode::OK);
    let doc = served.json();
    assert_eq!(doc, serde_json::to_value(server::routes::document()).expect("doc"));
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("methods").keys() {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let uri = path.replace("{id}", &uuid::Uuid::new_v4().to_string()).replace("{revision}", "1").replace("{token}", "unknown").replace("{month}", "2026-10").replace("{year}", "2026").replace("{kind}", "plan").replace("{amendment}", &uuid::Uuid::new_v4().to_string());
            let body = json!({});
            let r = app.request(method.clone(), &uri, (method != Method::GET).then_some(&body), None).await;
            // An unknown survey or account link answers 404 by design; their own tests show
            // those routes work.
            let link = path.starts_with("/api/v1/survey/") || path.starts_with("/api/v1/account-links/");
            assert!(
                (r.status != StatusCode::NOT_FOUND || link) && r.status != StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed: {}",
                r.status
            );
            if link {
                // Public by design: anyone with the link's secret acts without a session.
                assert!(matches!(r.status, StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY), "{method} {path}: {}", r.status);
            } else if path == "/api/v1/setup" {
                // Public by design: the first run happens before anyone has an account.
                let expected = if method == Method::GET { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
                assert_eq!(r.status, expected, "{method} {path}");
            } else if path == "/api/v1/accessibility" {
                // Public by design: who runs the installation and whom to contact.
                assert_eq!(r.status, StatusCode::OK, "{method} {path}");
            } else if ["/api/v1/auth/second-factor/enrolment", "/api/v1/auth/forgotten-password"].contains(&path.as_str()) {
                // Public by design, before any session: an empty body is refused.
                assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{method} {path}");
            } else if path != "/api/v1/auth/login" {
                assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{method} {path} must need a session");
            }
        }
    }
}
