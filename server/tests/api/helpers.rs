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

/// What an authenticator app shows for this secret, `steps` time steps from now.
pub fn totp_code(secret: &str, steps: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret).expect("base32 secret");
    let totp = totp_rs::Builder::new().with_secret(secret).build().expect("totp");
    let now = time::OffsetDateTime::now_utc().unix_timestamp() + steps * 30;
    totp.generate(u64::try_from(now).expect("after 1970")).to_string()
}

/// A real SMTP server (aiosmtpd, `.ci/smtp-sink.py`) that keeps each message it takes
/// as a file; stopped when dropped.
pub struct MailSink {
    pub port: u16,
    dir: std::path::PathBuf,
    child: std::process::Child,
}

impl MailSink {
    pub fn start() -> MailSink {
        use std::io::BufRead;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let python = root.join(".ci/.venv/bin/python");
        assert!(python.exists(), "the mail tests need aiosmtpd: run `bash .ci/setup.sh --test` first");
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let dir = std::env::temp_dir().join(format!("sciezka-mail-{}", Uuid::new_v4()));
        let mut child = std::process::Command::new(python)
            .arg(root.join(".ci/smtp-sink.py"))
            .arg(port.to_string())
            .arg(&dir)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start the mail sink");
        let mut line = String::new();
        let out = child.stdout.take().expect("stdout");
        std::io::BufReader::new(out).read_line(&mut line).expect("mail sink started");
        assert_eq!(line.trim(), "ready");
        MailSink { port, dir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message taken so far, oldest first.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<_> = std::fs::read_dir(&self.dir)
            .map(|d| d.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect())
            .unwrap_or_default();
        names.sort();
        names.iter().map(|p| serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")).collect()
    }

    /// Waits (up to ten seconds) until `n` messages have arrived.
    pub async fn wait_for(&self, n: usize) -> Vec<Value> {
        for _ in 0..100 {
            let m = self.messages();
            if m.len() >= n {
                return m;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("{n} messages did not arrive: {:?}", self.messages());
    }
}

impl Drop for MailSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

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
        // Two-factor sign-in is tried in its own tests; these sign in with a password.
        seed::second_factor_optional(&db).await.expect("settings");
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

    /// An installation administrator of the first partnership's organisation, with the
    /// fixtures' password; not signed in.
    pub async fn add_admin(&self, email: &str, name: &str) {
        let org: String = sqlx::query_scalar("SELECT organisation_id FROM users WHERE id = $1")
            .bind(self.coordinator_a.to_string())
            .fetch_one(&self.db.pool)
            .await
            .expect("organisation");
        let hash = server::auth::password::hash(PASSWORD.to_string()).await.expect("hash");
        let mut conn = self.db.pool.acquire().await.expect("conn");
        server::store::installation::insert_admin(&mut conn, email, name, org.parse().expect("uuid"), &hash).await.expect("admin");
    }

    pub async fn put(&self, path: &str, body: &Value, s: &Session) -> Response {
        self.request(Method::PUT, path, Some(body), Some(s)).await
    }

    pub async fn login(&self, email: &str) -> Session {
        self.login_with(email, PASSWORD).await
    }

    pub async fn login_with(&self, email: &str, password: &str) -> Session {
        let mut r = self.try_login(email, password).await;
        // An installation that requires a second factor: enrol it as the first sign-in does.
        if r.status == StatusCode::UNPROCESSABLE_ENTITY && r.text.contains("second_factor_enrol") {
            r = self.enrol(email, password).await.0;
        }
        self.session_of(r)
    }

    /// The session a successful sign-in's answer opened.
    pub fn session_of(&self, r: Response) -> Session {
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
        self.try_login_code(email, password, "").await
    }

    pub async fn try_login_code(&self, email: &str, password: &str, code: &str) -> Response {
        let body = serde_json::json!({ "email": email, "password": password, "code": code });
        self.request(Method::POST, "/api/v1/auth/login", Some(&body), None).await
    }

    /// The first sign-in of an account that must add a second factor: asks for the
    /// secret, then signs in with the code an authenticator app would show now.
    /// Returns the sign-in's answer (with the recovery codes) and the secret.
    pub async fn enrol(&self, email: &str, password: &str) -> (Response, String) {
        let body = serde_json::json!({ "email": email, "password": password });
        let e = self.request(Method::POST, "/api/v1/auth/second-factor/enrolment", Some(&body), None).await;
        assert_eq!(e.status, StatusCode::OK, "enrolment: {}", e.text);
        let secret = e.json()["secret"].as_str().expect("secret").replace(' ', "");
        let r = self.try_login_code(email, password, &totp_code(&secret, 0)).await;
        (r, secret)
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
