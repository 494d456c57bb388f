//! Two `sciezka serve` processes on one PostgreSQL behind a real nginx (Debian's), as
//! README's "Several server processes" section configures it; one process is killed
//! (SIGKILL) while a device syncs and a coordinator reads the dashboard. Sessions live
//! in the database, so nobody is signed out; nginx sends what the dead process did not
//! answer to the other one, and the sync's mutation ids make a repeated batch harmless.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::{json, Value};
use uuid::Uuid;

use crate::helpers::TestApp;
use crate::process::{free_port, sign_in, start, try_request, Server};

struct Nginx(Child);

impl Drop for Nginx {
    /// SIGTERM, so the master stops its workers too (after a SIGKILL they would linger,
    /// orphaned, on the test's port); SIGKILL only if it does not go within 5 s.
    fn drop(&mut self) {
        let _ = Command::new("kill").args(["-TERM", &self.0.id().to_string()]).status();
        for _ in 0..50 {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The proxy README documents, with one test-only line: `X-Upstream` names the process
/// that answered, so the test can see that both served before the kill.
fn nginx_conf(dir: &Path, port: u16, upstreams: &[u16]) -> String {
    let d = dir.display();
    let servers: String = upstreams.iter().map(|p| format!("    server 127.0.0.1:{p} max_fails=1 fail_timeout=30s;\n")).collect();
    format!(
        "daemon off;\npid {d}/nginx.pid;\nerror_log {d}/nginx-error.log;\nevents {{ worker_connections 512; }}\nhttp {{\n  access_log off;\n  \
         client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi; uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;\n  \
         upstream sciezka {{\n{servers}  }}\n  server {{\n    listen 127.0.0.1:{port};\n    client_max_body_size 8m;\n    client_body_buffer_size 8m;\n    \
         location / {{\n      proxy_pass http://sciezka;\n      proxy_http_version 1.1;\n      proxy_set_header Connection \"\";\n      \
         proxy_set_header Host $http_host;\n      proxy_set_header X-Forwarded-For $remote_addr;\n      proxy_set_header X-Forwarded-Proto $scheme;\n      \
         proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n      proxy_next_upstream_tries 2;\n      \
         add_header X-Upstream $upstream_addr always;\n    }}\n  }}\n}}\n"
    )
}

fn upstream(head: &str) -> Option<u16> {
    let line = head.lines().find(|l| l.to_ascii_lowercase().starts_with("x-upstream:"))?;
    // After a retry nginx lists both addresses; the last one answered.
    line.rsplit(':').next()?.trim().parse().ok()
}

/// One request as a person sends it, with what came back: status, answering process.
async fn send(port: u16, method: &str, path: &str, headers: &[(String, String)], body: Option<&Value>) -> (u16, Option<u16>, Value) {
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    match try_request(port, method, path, &headers, body).await {
        Ok((status, head, body)) => (status, upstream(&head), body),
        Err(_) => (0, None, Value::Null),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_behind_nginx_one_killed_during_load_nobody_is_signed_out_and_nothing_is_lost() {
    let app = TestApp::spawn().await;
    if !app.url.starts_with("postgres") {
        return; // Several processes share PostgreSQL; SQLite is served by one.
    }
    let nginx_bin = ["/usr/sbin/nginx", "/usr/bin/nginx"].into_iter().find(|p| Path::new(p).exists());
    let Some(nginx_bin) = nginx_bin else {
        // `.ci/setup.sh --test` installs it; a developer's machine may lack it.
        assert!(std::env::var_os("CI").is_none(), "nginx is missing: run .ci/setup.sh --test");
        eprintln!("skipped: no nginx");
        return;
    };
    let client = app.insert_client(&app.person(72, Some(app.consultant_a))).await;
    let dir = std::env::temp_dir().join(format!("sciezka-proxy-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("dir");
    let first = start(&app.url, &dir.join("first.log")).await;
    let second = start(&app.url, &dir.join("second.log")).await;
    let port = free_port();
    std::fs::write(dir.join("nginx.conf"), nginx_conf(&dir, port, &[first.port, second.port])).expect("conf");
    let nginx = Nginx(
        Command::new(nginx_bin)
            .args(["-p", &dir.display().to_string(), "-c", "nginx.conf", "-e", &dir.join("nginx-error.log").display().to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start nginx"),
    );
    let started = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(20), "nginx did not start: {}", std::fs::read_to_string(dir.join("nginx-error.log")).unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let consultant = sign_in(port, "consultant.a@test").await;
    let coordinator = sign_in(port, "coord.a@test").await;
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let notes: Vec<Value> = (0..5_000)
        .map(|i| json!({"id": Uuid::now_v7(), "written_at": now - 10_000 + i, "op": "add_note", "note_id": Uuid::now_v7(),
            "client_id": client, "text": format!("przez proxy {i:05}")}))
        .collect();

    // The device: each batch is sent until it is answered; a person would see any
    // failure as a retry, so the test counts them.
    let device = Uuid::now_v7();
    let pushing = tokio::spawn({
        let consultant = consultant.clone();
        async move {
            let (mut outcomes, mut answered_by, mut failures) = (Vec::new(), Vec::new(), Vec::new());
            for batch in notes.chunks(500) {
                loop {
                    let body = json!({"device_id": device, "mutations": batch});
                    let (status, by, answer) = send(port, "POST", "/api/v1/sync/push", &consultant, Some(&body)).await;
                    if status == 200 {
                        let results = answer["results"].as_array().cloned().unwrap_or_default();
                        outcomes.extend(results.iter().map(|r| r["outcome"]["status"].as_str().unwrap_or("").to_string()));
                        answered_by.extend(by);
                        break;
                    }
                    failures.push(status);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
            (outcomes, answered_by, failures)
        }
    });
    let dashboard = format!("/api/v1/partnerships/{}/dashboard", app.partnership_a);
    let reading = tokio::spawn({
        let (coordinator, dashboard) = (coordinator.clone(), dashboard.clone());
        async move {
            let mut seen = Vec::new();
            let until = Instant::now() + Duration::from_secs(120);
            while Instant::now() < until {
                let (status, by, _) = send(port, "GET", &dashboard, &coordinator, None).await;
                seen.push((Instant::now(), status, by));
                if seen.len() >= 400 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(15)).await;
            }
            seen
        }
    });

    // The kill comes when a random share of the sync is stored.
    let at = rand::thread_rng().gen_range(1000..3500);
    let waited = Instant::now();
    loop {
        let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notes WHERE client_id = $1").bind(client.to_string()).fetch_one(&app.db.pool).await.expect("count");
        if stored >= at || pushing.is_finished() {
            break;
        }
        assert!(waited.elapsed() < Duration::from_secs(120), "the sync stalled");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(!pushing.is_finished(), "the kill came after the sync: the test proves nothing");
    let mut killed = first;
    killed.child.kill().expect("SIGKILL");
    killed.child.wait().expect("wait");
    let killed_at = Instant::now();

    let (outcomes, answered_by, failures) = tokio::time::timeout(Duration::from_secs(180), pushing).await.expect("the sync finished").expect("device");
    let seen = reading.await.expect("reader");
    assert_eq!(outcomes.len(), 5_000);
    assert!(outcomes.iter().all(|o| o == "applied"), "{:?}", outcomes.iter().find(|o| *o != "applied"));
    // nginx passed what the dead process left unanswered to the living one.
    assert!(failures.is_empty(), "the device saw failures: {failures:?}");
    let stored: (i64, i64) = sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT text) FROM notes WHERE client_id = $1")
        .bind(client.to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("count");
    assert_eq!(stored, (5_000, 5_000), "every change exactly once");

    let before: Vec<_> = seen.iter().filter(|(t, ..)| *t < killed_at).collect();
    let after: Vec<_> = seen.iter().filter(|(t, ..)| *t > killed_at).collect();
    assert!(!after.is_empty(), "no dashboard read after the kill");
    assert!(seen.iter().all(|(_, status, _)| *status == 200), "a dashboard read failed: {:?}", seen.iter().map(|s| s.1).collect::<Vec<_>>());
    // Both processes served this load before the kill, and only the living one after.
    let served: std::collections::BTreeSet<u16> = before.iter().filter_map(|s| s.2).chain(answered_by.iter().copied()).collect();
    assert!(served.contains(&killed.port) && served.contains(&second.port), "both processes served: {served:?}");
    assert!(after.iter().all(|s| s.2 == Some(second.port)), "only the living process answers after the kill");

    // Still signed in, on the other process: the session is in the database.
    let (status, by, me) = send(port, "GET", "/api/v1/auth/me", &coordinator, None).await;
    assert_eq!((status, by), (200, Some(second.port)), "{me}");
    let body = json!({"device_id": device, "mutations": [{"id": Uuid::now_v7(), "written_at": now, "op": "add_note", "note_id": Uuid::now_v7(), "client_id": client, "text": "po awarii"}]});
    let (status, ..) = send(port, "POST", "/api/v1/sync/push", &consultant, Some(&body)).await;
    assert_eq!(status, 200, "the consultant's session and CSRF token still work");

    drop(nginx);
    drop::<Server>(second);
    let _ = std::fs::remove_dir_all(&dir);
}
