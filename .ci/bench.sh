#!/usr/bin/env bash
# Prints the figures the issues ask for: release wasm size (raw, gzip, brotli) and the
# server's p50/p95 for the client list at 10,000 clients, plus the server's memory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
cargo leptos build --release --precompress >/dev/null 2>&1
echo "== Machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== Release bundle (target/site/pkg)"
for f in target/site/pkg/*.wasm target/site/pkg/*.js target/site/pkg/*.css; do
  printf '%-12s raw %8d B   gzip %8d B   brotli %8d B\n' "${f##*.}" "$(stat -c%s "$f")" \
    "$(stat -c%s "$f.gz" 2>/dev/null || echo 0)" "$(stat -c%s "$f.br" 2>/dev/null || echo 0)"
done
dir=$(mktemp -d /tmp/sciezka-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$dir/bench.db" SCIEZKA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site
./target/release/sciezka seed-demo >/dev/null
./target/release/sciezka seed-bench --clients 10000
./target/release/sciezka serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.2; done
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
for label, path in [("first page of 50", "/api/v1/clients?limit=50"), ("page 100 of 50", "/api/v1/clients?limit=50&offset=5000"), ("search 'kowal'", "/api/v1/clients?q=kowal&limit=50")]:
    total, p50, p95 = measure(path)
    print(f"client list, {label:<18} total {total:>6}: p50 {p50:6.2f} ms  p95 {p95:6.2f} ms")
PY
echo "server RSS after the run: $(awk '/VmRSS/{print $2, $3}' /proc/$pid/status)"
