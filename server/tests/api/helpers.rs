use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use domain::client::ClientInput;
use domain::ident::{Pesel, Sex};
use domain::org::{OrgType, PartnershipKind, Role};
use http_body_util::BodyExt;
use serde_json::Value;
use server::{build_app, seed, AppState, Config, Db};
use tower::ServiceExt;
use uuid::Uuid;

pub const PASSWORD: &str = "test-password-123";

/// The first-run link's secret of [`TestApp::spawn_empty`].
pub const SETUP_TOKEN: &str = "sekret-pierwszego-uruchomienia";

/// One signed-in browser: its cookies and CSRF token.
#[derive(Clone, Debug)]
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

pub struct Response {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub text: String,
    pub bytes: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }
}

pub struct TestApp {
    pub db: Db,
    pub router: axum::Router,
    pub partnership_a: Uuid,
    pub coordinator_a: Uuid,
    pub consultant_a: Uuid,
    pub consultant_b: Uuid,
    pub url: String,
    /// The survey answers this process holds in memory.
    pub desk: Arc<server::store::survey::Desk>,
    /// The app that made the database removes it (a SQLite file in the temp dir) when
    /// the test ends; a second process on the same database does not.
    owner: bool,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(file) = self.url.strip_prefix("sqlite://").filter(|_| self.owner) {
            if let Some(dir) = std::path::Path::new(file).parent().filter(|d| d.starts_with(std::env::temp_dir())) {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }
}

pub async fn database_url() -> String {
    match std::env::var("TEST_POSTGRES_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("sciezka_test_{}", Uuid::new_v4().simple());
            sqlx::any::install_default_drivers();
            let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.expect("connect to PostgreSQL");
            sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut conn).await.expect("create database");
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
            format!("{base}/{name}")
        }
        _ => {
            let dir = std::env::temp_dir().join(format!("sciezka-test-{}", Uuid::new_v4()));
            format!("sqlite://{}/test.db", dir.display())
        }
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        let url = database_url().await;
        Self::spawn_on(url, adjust).await
    }

    /// The app on a database of the test's choosing (a SQLite file on a small disk).
    pub async fn spawn_on(url: String, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = Config::for_database(&url);
        adjust(&mut config);
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let ops = seed::organisation(&db, "OPS A", OrgType::Ops, "Kielce").await.expect("org");
        let ngo = seed::organisation(&db, "NGO B", OrgType::Ngo, "Radom").await.expect("org");
        let partnership_a = seed::partnership(&db, "Partnerstwo A", PartnershipKind::Local, &[ops]).await.expect("p");
        let partnership_b = seed::partnership(&db, "Partnerstwo B", PartnershipKind::Local, &[ngo]).await.expect("p");
        let coordinator_a = seed::user(&db, "coord.a@test", "Koordynator A", ops, PASSWORD).await.expect("user");
        seed::grant(&db, coordinator_a, partnership_a, Role::Coordinator).await.expect("grant");
        let consultant_a = seed::user(&db, "consultant.a@test", "Konsultant A", ops, PASSWORD).await.expect("user");
        seed::grant(&db, consultant_a, partnership_a, Role::KeyConsultant).await.expect("grant");
        let consultant_b = seed::user(&db, "consultant.b@test", "Konsultant B", ngo, PASSWORD).await.expect("user");
        seed::grant(&db, consultant_b, partnership_b, Role::SocialWorker).await.expect("grant");
        let leptos = leptos::config::LeptosOptions::builder().output_name("sciezka").build();
        let desk = Arc::new(server::store::survey::Desk::default());
        let state = AppState { db: db.clone(), config: Arc::new(config), leptos, survey: desk.clone() };
        TestApp { router: build_app(state), db, partnership_a, coordinator_a, consultant_a, consultant_b, url, desk, owner: true }
    }

    /// The app on a fresh database with nothing in it: no organisation, nobody, as a
    /// new installation starts (the ids of the seeded fixtures are nil).
    pub async fn spawn_empty() -> TestApp {
        let url = database_url().await;
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let leptos = leptos::config::LeptosOptions::builder().output_name("sciezka").build();
        let desk = Arc::new(server::store::survey::Desk::default());
        let mut config = Config::for_database(&url);
        config.setup_token = SETUP_TOKEN.into();
        let state = AppState { db: db.clone(), config: Arc::new(config), leptos, survey: desk.clone() };
        let nil = Uuid::nil();
        TestApp { router: build_app(state), db, partnership_a: nil, coordinator_a: nil, consultant_a: nil, consultant_b: nil, url, desk, owner: true }
    }

    /// A request as the server's own machine sends it (a loopback peer), with `extra`
    /// headers.
    pub async fn local(&self, method: Method, path: &str, body: &Value, extra: &[(&str, &str)]) -> Response {
        let mut b = Request::builder().method(method).uri(path).header("accept-language", "pl").header(header::CONTENT_TYPE, "application/json");
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let mut request = b.body(Body::from(body.to_string())).expect("request");
        request.extensions_mut().insert(axum::extract::ConnectInfo(std::net::SocketAddr::from(([127, 0, 0, 1], 50000))));
        self.raw(request).await
    }

    /// Another server process on the same database: its own pool and state, nothing
    /// shared in memory with the first.
    pub async fn second_process(&self) -> TestApp {
        let db = Db::connect(&self.url).await.expect("connect");
        let leptos = leptos::config::LeptosOptions::builder().output_name("sciezka").build();
        let desk = Arc::new(server::store::survey::Desk::default());
        let mut config = Config::for_database(&self.url);
        config.survey_per_minute = 1000;
        let state = AppState { db: db.clone(), config: Arc::new(config), leptos, survey: desk.clone() };
        TestApp {
            router: build_app(state),
            db,
            partnership_a: self.partnership_a,
            coordinator_a: self.coordinator_a,
            consultant_a: self.consultant_a,
            consultant_b: self.consultant_b,
            url: self.url.clone(),
            desk,
            owner: false,
        }
    }

    pub async fn raw(&self, request: Request<Body>) -> Response {
        let response = self.router.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("body").to_bytes();
        Response { status, headers, text: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn request(&self, method: Method, path: &str, body: Option<&Value>, session: Option<&Session>) -> Response {
        let mut b = Request::builder().method(method).uri(path).header("accept-language", "pl");
        if let Some(s) = session {
            b = b.header(header::COOKIE, &s.cookie).header("x-csrf-token", &s.csrf);
        }
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        self.raw(b.body(body).expect("request")).await
    }

    pub async fn get(&self, path: &str, s: &Session) -> Response {
        self.request(Method::GET, path, None, Some(s)).await
    }

    pub async fn post(&self, path: &str, body: &Value, s: &Session) -> Response {
        self.request(Method::POST, path, Some(body), Some(s)).await
    }

    pub async fn login(&self, email: &str) -> Session {
        self.login_with(email, PASSWORD).await
    }

    pub async fn login_with(&self, email: &str, password: &str) -> Session {
        let r = self.try_login(email, password).await;
        assert_eq!(r.status, StatusCode::OK, "login failed: {}", r.text);
        let cookies: Vec<String> = r
            .headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|c| c.split(';').next().unwrap_or("").to_string())
            .collect();
        let csrf = r.json()["csrf_token"].as_str().expect("csrf").to_string();
        Session { cookie: cookies.join("; "), csrf }
    }

    pub async fn try_login(&self, email: &str, password: &str) -> Response {
        let body = serde_json::json!({ "email": email, "password": password });
        self.request(Method::POST, "/api/v1/auth/login", Some(&body), None).await
    }

    /// A valid person for partnership A led by `consultant`.
    pub fn person(&self, n: u16, consultant: Option<Uuid>) -> Value {
        let pesel = Pesel::generate(time::macros::date!(1985 - 03 - 14), n, Sex::Female).expect("pesel");
        serde_json::json!({
            "partnership_id": self.partnership_a,
            "kind": "person",
            "work_form": "individual",
            "key_consultant_id": consultant,
            "surname": format!("Nowak{n}"),
            "first_names": "Anna",
            "pesel": pesel.as_str(),
            "consent": true,
            "consent_date": "2026-01-10",
            "city": "Kielce",
        })
    }

    /// Stores a client directly, bypassing the API, for fixtures.
    pub async fn insert_client(&self, body: &Value) -> Uuid {
        let input: ClientInput = serde_json::from_value(body.clone()).expect("input");
        seed::client(&self.db, &input, self.coordinator_a).await.expect("insert")
    }

    /// Writes a case document through the sync engine, as a device would; on a
    /// document that exists the fields merge into it.
    pub async fn create_doc(&self, s: &Session, client: Uuid, doc_type: domain::docs::DocType, data: Value) {
        let mut data = data;
        data["client_id"] = serde_json::json!(client);
        let body = serde_json::json!({"device_id": Uuid::now_v7(), "mutations": [{"id": Uuid::now_v7(), "written_at": 1_780_000_000_000_i64,
            "op": "create", "doc_type": doc_type.as_str(), "doc_id": domain::docs::doc_id_for(client, doc_type), "data": data}]});
        let r = self.post("/api/v1/sync/push", &body, s).await;
        assert_eq!(r.json()["results"][0]["outcome"]["status"], "applied", "{}", r.text);
    }
}
