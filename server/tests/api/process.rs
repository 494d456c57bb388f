//! The real `sciezka serve` process for tests that kill it, restart it or read its
//! output, and a bare HTTP/1.1 client whose every request comes from a port of its own.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub struct Server {
    pub child: Child,
    pub port: u16,
    pub log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A port nothing listens on.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port()
}

pub async fn start(url: &str, log: &Path) -> Server {
    start_on(url, log, free_port()).await
}

/// Starts the server on `port` (again, after a kill: devices keep its address).
pub async fn start_on(url: &str, log: &Path, port: u16) -> Server {
    let out = std::fs::OpenOptions::new().create(true).append(true).open(log).expect("log");
    let child = Command::new(env!("CARGO_BIN_EXE_sciezka"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("SCIEZKA_BIND", format!("127.0.0.1:{port}"))
        .env("SCIEZKA_CONFIG", "/nonexistent/sciezka.env")
        .env("SCIEZKA_SURVEY_PER_MINUTE", "1000")
        .env("SCIEZKA_BACKUP_HOURS", "0")
        .env("RUST_LOG", "trace")
        .stdout(Stdio::from(out.try_clone().expect("log")))
        .stderr(Stdio::from(out))
        .spawn()
        .expect("start sciezka");
    let server = Server { child, port, log: log.to_path_buf() };
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(60), "the server did not start: {}", std::fs::read_to_string(log).unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    server
}

/// One respondent's request from a port of its own; returns that port, the status
/// and the body.
pub async fn post(port: u16, path: &str, body: &Value, agent: &str) -> (u16, u16, Value) {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().expect("addr")).expect("bind");
    let local = socket.local_addr().expect("local").port();
    let mut stream = socket.connect(([127, 0, 0, 1], port).into()).await.expect("connect");
    let body = body.to_string();
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nUser-Agent: {agent}\r\nAccept-Language: pl\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let text = String::from_utf8_lossy(&response);
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let json = text.split("\r\n\r\n").nth(1).and_then(|b| serde_json::from_str(b).ok()).unwrap_or(Value::Null);
    (local, status, json)
}

pub async fn get(port: u16, path: &str) -> (u16, u16, Value) {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    let local = stream.local_addr().expect("local").port();
    stream.write_all(format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").as_bytes()).await.expect("write");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("read");
    let text = String::from_utf8_lossy(&response);
    (local, text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0), Value::Null)
}


/// Any request, with headers; a connection refused or cut is an error, as a device
/// sees it. Returns the status, the response head and the body as JSON.
pub async fn try_request(port: u16, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&Value>) -> std::io::Result<(u16, String, Value)> {
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if !body.is_empty() {
        request.push_str("Content-Type: application/json\r\n");
    }
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let text = String::from_utf8_lossy(&response).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").ok_or_else(|| std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "no response"))?;
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    Ok((status, head.to_string(), serde_json::from_str(rest).unwrap_or(Value::Null)))
}

/// Signs in at the real server; the headers a browser would then send.
pub async fn sign_in(port: u16, email: &str) -> Vec<(String, String)> {
    let login = serde_json::json!({"email": email, "password": crate::helpers::PASSWORD});
    let (status, head, body) = try_request(port, "POST", "/api/v1/auth/login", &[], Some(&login)).await.expect("login");
    assert_eq!(status, 200, "{body}");
    let cookie = head
        .lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .map(|c| c.split(';').next().unwrap_or("").to_string())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = body["csrf_token"].as_str().expect("csrf").to_string();
    vec![("Cookie".to_string(), cookie), ("X-CSRF-Token".to_string(), csrf)]
}
