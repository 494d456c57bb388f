#!/usr/bin/env bash
# Prints the figures the issues ask for: release wasm size (raw, gzip, brotli), Lighthouse
# (mobile) on the sign-in page, a caseload, a client card and the public survey, the
# server's p50/p95 for the client list at 10,000 clients, sync throughput (10,000
# mutations from one device; 50 devices at once) over loopback HTTP on SQLite, survey
# submissions per second and the results of a round of 10,000 answers, the server's memory,
# region-scale dashboard and report, a 10-minute soak on both engines, and fuzzing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
bash .ci/release-build.sh >/dev/null 2>&1
# A new user's wait: `bash .ci/demo.sh` until it prints the address, twice (the first
# builds what the test command did not leave: budget 10 minutes after the test command;
# the second finds everything built: budget 30 s).
demo_wait() {
  local dir port start pid
  dir=$(mktemp -d /tmp/sciezka-demo.XXXXXX)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  start=$(date +%s.%N)
  DATABASE_URL="sqlite://$dir/demo.db" SCIEZKA_BIND="127.0.0.1:$port" SCIEZKA_BACKUP_HOURS=0 \
    setsid bash .ci/demo.sh >"$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 12000); do grep -q "is running at" "$dir/log" && break; sleep 0.1; done
  echo "$1: demo ready in $(python3 -c "import time; print(f'{time.time() - $start:.1f}')") s"
  kill -- -"$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"
}
echo "== A new user's wait: bash .ci/demo.sh until it prints the address"
demo_wait "first run (builds what is missing; 10 min after the test command)"
demo_wait "second run (budget 30 s)"
echo "== Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== Release bundle (target/site/pkg): the part every page loads, and all chunks"
python3 - <<'PY'
import glob, os
def size(pattern):
    files = [f for f in glob.glob("target/site/pkg/" + pattern) if not f.endswith((".br", ".gz"))]
    raw = sum(os.path.getsize(f) for f in files)
    br = sum(os.path.getsize(f + ".br") for f in files if os.path.exists(f + ".br"))
    return len(files), raw, br
for label, pattern in [("app script", "sciezka.*.js"), ("shared wasm", "sciezka.*.wasm"), ("chunk loader", "__wasm_split.*.js"),
                       ("page chunks", "split_*.wasm"), ("shared chunks", "chunk_*.wasm"), ("stylesheet", "sciezka.*.css")]:
    n, raw, br = size(pattern)
    print(f"{label:<14} {n:4} files  raw {raw:9} B  brotli {br:9} B")
PY
dir=$(mktemp -d /tmp/sciezka-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$dir/bench.db" SCIEZKA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site
# The load generator sends every survey answer from one address.
export SCIEZKA_SURVEY_PER_MINUTE=100000000
# No scheduled backup competing with the measurements.
export SCIEZKA_BACKUP_HOURS=0
./target/release/sciezka seed-demo >/dev/null
./target/release/sciezka seed-bench --clients 10000
./target/release/sciezka serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.2; done
echo "== First load before the page responds (empty cache, brotli; budget 250 KiB)"
(cd end2end && BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 size/ 2>&1 | grep '^# first load' | sed 's/^# //') || true
echo "== Lighthouse, mobile profile (slow 4G and a mid-range phone, simulated), release build"
(cd end2end && node bench/lighthouse.mjs "http://127.0.0.1:$port") || echo "lighthouse: an accessibility audit failed (above)"
python3 - "$port" <<'PY'
import json, sys, time, urllib.request, http.cookiejar, statistics
port = sys.argv[1]
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
req = urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": "bench@demo", "password": "bench-password-2026"}).encode(), headers={"content-type": "application/json"})
opener.open(req).read()
def measure(path, n=300):
    times = []
    for _ in range(n):
        t = time.perf_counter(); body = opener.open(base + path).read(); times.append((time.perf_counter() - t) * 1000)
    total = json.loads(body)["total"]
    times.sort()
    return total, statistics.median(times), times[int(len(times) * 0.95) - 1]
for label, path in [("first page of 50", "/api/v1/clients?limit=50"), ("search 'kowal'", "/api/v1/clients?q=kowal&limit=50")]:
    total, p50, p95 = measure(path)
    print(f"client list, {label:<18} total {total:>6}: p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")

# --- Sync ---------------------------------------------------------------------------
import threading, uuid, subprocess
def session(email, password="demo-sciezka-2026"):
    jar = http.cookiejar.CookieJar()
    op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    r = op.open(urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": email, "password": password}).encode(), headers={"content-type": "application/json"}))
    csrf = json.loads(r.read())["csrf_token"]
    def push(device, mutations):
        req = urllib.request.Request(base + "/api/v1/sync/push", data=json.dumps({"device_id": device, "mutations": mutations}).encode(),
                                     headers={"content-type": "application/json", "x-csrf-token": csrf})
        return json.loads(op.open(req).read())["results"]
    def get(path):
        return json.loads(op.open(base + path).read())
    return push, get

def uid():
    # UUID v7 layout is not needed by the server; any unique UUID is a valid mutation id.
    return str(uuid.uuid4())

push, get = session("anna.nowak@mops.demo")
clients = get("/api/v1/sync/caseload")["clients"]

# --- A client card with every case document and 200 notes ----------------------------
card = clients[0]["id"]
def ns(kind):
    # The document id is derived from the client's (UUID v5), as in the domain crate.
    return str(uuid.uuid5(uuid.UUID(card), kind))
task = lambda n: {"id": f"t{n}", "task": f"Zadanie {n}", "owner": "ops", "from": "2026-11-03", "to": "2026-12-20", "description": "Opis " * 20}
docs = {
    "assessment": {"strengths": "Punktualna", "skills": {"motivation": 8, "leadership": 4}, "education": "primary"},
    "ipd": {"date": "2026-11-02", "goal": "Zatrudnienie", "social": {"tasks_ops": [task(n) for n in range(10)]}, "vocational": {"tasks_pup": [dict(task(n + 10), owner="pup") for n in range(10)]}},
    "contract": {"date": "2026-11-02", "main_goal": "Praca", "person_actions": [{"id": f"a{n}", "action": f"Działanie {n}", "deadline": "2026-12-01"} for n in range(5)]},
    "services": {"rows": [{"id": f"s{n}", "date": "2026-11-10", "service": "job_club", "scope": "grupowe"} for n in range(30)]},
    "effects": {"rows": [{"id": "e1", "indicator": "employment", "date": "2026-11-20"}], "employment_date": "2026-03-01"},
    "path": {"directions": ["conversion"], "steps": {"monitoring": {"annotations": [{"id": f"n{n}", "date": "2026-11-01", "text": "Adnotacja " * 10} for n in range(20)]}}},
}
# The demo's clients come with their documents: only the kinds missing are written.
existing = {d["doc_type"] for d in get(f"/api/v1/clients/{card}/documents")}
muts = [{"id": uid(), "written_at": 1780000000000, "op": "create", "doc_type": k, "doc_id": ns(k), "data": dict(v, client_id=card)} for k, v in docs.items() if k not in existing]
muts += [{"id": uid(), "written_at": 1780000000000 + n, "op": "add_note", "note_id": uid(), "client_id": card, "text": f"Wizyta {n}: " + "treść " * 30} for n in range(200 - len(get(f"/api/v1/clients/{card}/notes")))]
assert all(r["outcome"]["status"] == "applied" for r in push(uid(), muts))
def timed(path, n=50):
    times = []
    for _ in range(n):
        t = time.perf_counter(); op_get(path); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]
jar2 = http.cookiejar.CookieJar()
op2 = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar2))
op2.open(urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": "anna.nowak@mops.demo", "password": "demo-sciezka-2026"}).encode(), headers={"content-type": "application/json"})).read()
op_get = lambda p: op2.open(base + p).read()
p50, p95 = timed(f"/clients/{card}")
print(f"client card, server-rendered page: p50 {p50:.2f} ms p95 {p95:.2f} ms")
total = [0.0, 0.0]
for path in ["", "/notes", "/documents", "/conflicts", "/history"]:
    a, b = timed(f"/api/v1/clients/{card}{path}")
    total[0] += a; total[1] += b
print(f"client card, its five API reads (record, 200 notes, 6 documents, conflicts, history): sum of p50 {total[0]:.2f} ms, sum of p95 {total[1]:.2f} ms")
print(subprocess.run(["node", "bench/card.mjs", base, card], cwd="end2end", capture_output=True, text=True).stdout.strip())
cities = {c["id"]: c["data"]["city"] for c in clients}
ids = list(cities)
mutations = []
for i in range(10000):
    cid = ids[i % len(ids)]
    if i % 2:
        new = f"Bench {i}"
        mutations.append({"id": uid(), "written_at": 1780000000000 + i, "op": "edit", "doc_type": "client", "doc_id": cid,
                          "base_revision": 1, "changes": [{"path": ["city"], "old": cities[cid], "new": new}]})
        cities[cid] = new
    else:
        mutations.append({"id": uid(), "written_at": 1780000000000 + i, "op": "add_note", "note_id": uid(), "client_id": cid, "text": f"Notatka {i}"})
device = uid()
t = time.perf_counter()
statuses = {}
for k in range(0, len(mutations), 500):
    for r in push(device, mutations[k:k + 500]):
        statuses[r["outcome"]["status"]] = statuses.get(r["outcome"]["status"], 0) + 1
elapsed = time.perf_counter() - t
print(f"sync, one device, 10000 mutations (5000 notes + 5000 field edits) in batches of 500: {elapsed:.2f} s "
      f"({10000 / elapsed:.0f} mutations/s), outcomes {statuses}")

latencies, errors, lock = [], [], threading.Lock()
def device_run(n):
    try:
        push, _ = session(["anna.nowak@mops.demo", "koordynator@mops.demo"][n % 2])
    except Exception as e:
        with lock: errors.append(f"login: {e}")
        return
    dev = uid()
    for b in range(4):
        batch = [{"id": uid(), "written_at": 1790000000000 + n * 1000 + b * 50 + j, "op": "add_note", "note_id": uid(),
                  "client_id": ids[(n + j) % len(ids)], "text": f"Urządzenie {n} wpis {b * 50 + j}"} for j in range(50)]
        t = time.perf_counter()
        try:
            res = push(dev, batch)
            bad = [r for r in res if r["outcome"]["status"] != "applied"]
            with lock:
                latencies.append((time.perf_counter() - t) * 1000)
                errors.extend(bad)
        except Exception as e:
            with lock: errors.append(str(e))
threads = [threading.Thread(target=device_run, args=(n,)) for n in range(50)]
t = time.perf_counter()
for th in threads: th.start()
for th in threads: th.join()
wall = time.perf_counter() - t
latencies.sort()
print(f"sync, 50 devices x 200 notes at once (batches of 50): {wall:.2f} s wall incl. sign-in, {len(errors)} errors, "
      f"batch latency p50 {statistics.median(latencies):.0f} ms p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms")
PY
(cd end2end && node bench/survey.mjs "http://127.0.0.1:$port" bench@demo bench-password-2026)
echo "server RSS after the run: $(awk '/VmRSS/{print $2, $3}' /proc/$pid/status)"

echo "== Region scale (issue 7): 500 partnerships, 100,000 clients with their IPD, services (500,000), course of support, assessments, contracts and effects, 1,500,000 notes"
kill $pid 2>/dev/null || true
region() {
  local url=$1 label=$2 rport
  rport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  DATABASE_URL="$url" ./target/release/sciezka seed-region
  DATABASE_URL="$url" SCIEZKA_BIND="127.0.0.1:$rport" ./target/release/sciezka serve >"$dir/region-$label.log" 2>&1 &
  local rpid=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$rport/login" >/dev/null && break; sleep 0.2; done
  python3 - "$rport" "$label" <<'PY'
import json, sys, time, statistics, urllib.request, http.cookiejar
base, label = f"http://127.0.0.1:{sys.argv[1]}", sys.argv[2]
jar = http.cookiejar.CookieJar()
op = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
me = json.loads(op.open(urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": "region@demo", "password": "bench-password-2026"}).encode(), headers={"content-type": "application/json"})).read())
p = me["memberships"][0]["partnership_id"]
times = []
for _ in range(200):
    t = time.perf_counter(); d = json.loads(op.open(f"{base}/api/v1/partnerships/{p}/dashboard").read()); times.append((time.perf_counter() - t) * 1000)
times.sort()
print(f"dashboard of one partnership ({d['active_clients']} active clients, {len(d['due'])} due items) on {label}: "
      f"p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms")
month = time.strftime("%Y-%m", time.gmtime(time.time() - 30 * 86400))
times = []
for _ in range(50):
    t = time.perf_counter(); r = json.loads(op.open(f"{base}/api/v1/partnerships/{p}/reports/{month}").read()); times.append((time.perf_counter() - t) * 1000)
times.sort()
tb = r["tables"]
print(f"monthly report {month} of one partnership (IX {len(tb['characteristics'])} clients, X {sum(len(s['services']) for s in tb['services'])} services, "
      f"XI {len(tb['endings'])} endings) on {label}: p50 {statistics.median(times):.1f} ms, p95 {times[int(len(times) * 0.95) - 1]:.1f} ms, max {times[-1]:.1f} ms")
t = time.perf_counter(); x = op.open(f"{base}/api/v1/partnerships/{p}/reports/{month}/export.xlsx").read()
print(f"its XLSX export on {label}: {(time.perf_counter() - t) * 1000:.1f} ms, {len(x)} bytes")

# The access log as a coordinator uses it (issue 19): seed-region leaves 2,000,000
# entries, a year of a region's reads and changes, about 4,000 per partnership.
log = f"{base}/api/v1/partnerships/{p}/audit"
first = json.loads(op.open(f"{log}?limit=1").read())["items"][0]
who = json.loads(op.open(f"{log}?limit=100&action=update").read())["items"][-1]
mid = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 180 * 86400))
end = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 150 * 86400))
cursor = None
for _ in range(20):
    cursor = json.loads(op.open(f"{log}?limit=100" + (f"&before={cursor}" if cursor else "")).read())["next"]
for what, q in [("first page of 100", "limit=100"), ("one client (art. 15)", f"limit=100&client={who['client_id']}"),
                ("one person", f"limit=100&person={who['user_id']}"), ("action 'update'", "limit=100&action=update"),
                ("30 days, half a year ago", f"limit=100&from={mid}&to={end}"), ("page 21 (before)", f"limit=100&before={cursor}"),
                ("one client, CSV export", f"client={who['client_id']}")]:
    url = f"{log}/export.csv?{q}" if "export" in what else f"{log}?{q}"
    times = []
    for _ in range(100):
        t = time.perf_counter(); body = op.open(url).read(); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    shown = body.count(b"\n") - 1 if "export" in what else len(json.loads(body)["items"])
    print(f"access log of one partnership on {label}, {what:<26} {shown:>4} entries: p50 {statistics.median(times):6.2f} ms  p95 {times[int(len(times) * 0.95) - 1]:6.2f} ms")

# Client search and deep pages over the whole region (issue 18): region-all@demo
# coordinates all 500 partnerships, so its list spans 100,000 clients.
jar2 = http.cookiejar.CookieJar()
op2 = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar2))
op2.open(urllib.request.Request(base + "/api/v1/auth/login", data=json.dumps({"email": "region-all@demo", "password": "bench-password-2026"}).encode(), headers={"content-type": "application/json"})).read()
def timed(path, n=100):
    times = []
    for _ in range(n):
        t = time.perf_counter(); page = json.loads(op2.open(base + path).read()); times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return page, statistics.median(times), times[int(len(times) * 0.95) - 1]
# The cursor of page 101 (clients 5,001-5,050), found by walking the pages once.
after = ""
for _ in range(100):
    after = json.loads(op2.open(f"{base}/api/v1/clients?limit=50&after={after}").read())["next"]
# The cursor of the search's 4th page (the count stops at 1,000 matches; the pages go on).
kowal4 = ""
for _ in range(3):
    kowal4 = json.loads(op2.open(f"{base}/api/v1/clients?limit=50&q=kowal&after={kowal4}").read())["next"]
for what, path in [("first page of 50", "/api/v1/clients?limit=50"), ("page 101 of 50 (keyset)", f"/api/v1/clients?limit=50&after={after}"),
                   ("search 'kowal'", "/api/v1/clients?limit=50&q=kowal"), ("search 'kowal', page 4", f"/api/v1/clients?limit=50&q=kowal&after={kowal4}"),
                   ("search 'żurek'", "/api/v1/clients?limit=50&q=%C5%BCurek"), ("search 'łuczak'", "/api/v1/clients?limit=50&q=%C5%81UCZAK"),
                   ("search 'małgo'", "/api/v1/clients?limit=50&q=ma%C5%82go"), ("search 'ska'", "/api/v1/clients?limit=50&q=ska"),
                   ("first page, 1 partn.", f"/api/v1/clients?limit=50&partnership_id={p}"),
                   ("search 'kowal', 1 partn.", f"/api/v1/clients?limit=50&q=kowal&partnership_id={p}"),
                   ("search 'żu' (2 letters)", "/api/v1/clients?limit=50&q=%C5%BCu")]:
    page, p50, p95 = timed(path)
    total = f"{page['total']}{'+' if page.get('total_capped') else ''}"
    print(f"client list over the region on {label}, {what:<24} total {total:>6}: p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
PY
  echo "server RSS on $label after the dashboard and report runs: $(awk '/VmRSS/{print $2, $3}' /proc/$rpid/status)"
  kill $rpid
}
region "sqlite://$dir/region.db" SQLite
source .ci/pg.sh >/dev/null
trap 'stop_pg; rm -rf "$dir"' EXIT
region "$TEST_POSTGRES_URL" PostgreSQL

# The soak (issue 16): a bounded mixed load — 100 devices syncing, 20 coordinators
# reading dashboards and lists, 10 respondents answering a survey — for SOAK_SECONDS
# (600) on SQLite with one process, then on PostgreSQL with two processes sharing it.
soak_seconds=${SOAK_SECONDS:-600}
echo "== Soak: ${soak_seconds} s of mixed load on SQLite (one process) and PostgreSQL (two processes)"
soak_serve() {
  local url=$1 sport=$2 log=$3
  DATABASE_URL="$url" SCIEZKA_BIND="127.0.0.1:$sport" ./target/release/sciezka serve >"$log" 2>&1 &
  echo $!
}
soak_wait() { for _ in $(seq 100); do curl -sf "http://127.0.0.1:$1/login" >/dev/null && return; sleep 0.2; done; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
soak_url="sqlite://$dir/soak.db"
DATABASE_URL="$soak_url" ./target/release/sciezka seed-demo >/dev/null
sport=$(free_port)
spid=$(soak_serve "$soak_url" "$sport" "$dir/soak-sqlite.log")
soak_wait "$sport"
(cd end2end && node bench/soak.mjs "$soak_seconds" "$spid" "http://127.0.0.1:$sport") || echo "soak on SQLite: errors (above)"
kill "$spid"
"$pg_bin/psql" -q "$TEST_POSTGRES_URL" -c "CREATE DATABASE soak" >/dev/null
soak_url="${TEST_POSTGRES_URL%/*}/soak"
DATABASE_URL="$soak_url" ./target/release/sciezka seed-demo >/dev/null
sport1=$(free_port); spid1=$(soak_serve "$soak_url" "$sport1" "$dir/soak-pg1.log")
sport2=$(free_port); spid2=$(soak_serve "$soak_url" "$sport2" "$dir/soak-pg2.log")
soak_wait "$sport1"; soak_wait "$sport2"
(cd end2end && node bench/soak.mjs "$soak_seconds" "$spid1,$spid2" "http://127.0.0.1:$sport1" "http://127.0.0.1:$sport2") || echo "soak on PostgreSQL: errors (above)"
kill "$spid1" "$spid2"

# Fuzzing the domain's parsers and validators (cargo fuzz; needs the host's nightly
# toolchain, which has no wasm target and is not installed by setup). Anything found
# is saved under app/domain/fuzz/artifacts/ and becomes a regression test.
if cargo +nightly --version >/dev/null 2>&1; then
  cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --locked
  seconds=${FUZZ_SECONDS:-120}
  for target in identifiers sync_push survey_answer documents; do
    runs=$(cd app/domain && cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -rss_limit_mb=2048 2>&1 | awk '/^Done/{print $2}')
    echo "fuzz $target: $runs runs in $seconds s, no failure"
  done
else
  echo "fuzzing skipped: no nightly toolchain on this machine"
fi
