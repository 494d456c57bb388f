#!/usr/bin/env bash
# What a tablet downloads before the sign-in page, the caseload and a client card
# respond (issue 18). Bytes are deterministic, so this is a test: it makes the release
# build (the wasm split by route and precompressed, as deployed) and serves it. The same
# build is what `bash .ci/demo.sh` runs, so a demo after the tests starts at once.
# Run after the end-to-end tests: the release build replaces target/site.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/release-build.sh
dir=$(mktemp -d /tmp/sciezka-size.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$dir/size.db" SCIEZKA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site SCIEZKA_BACKUP_HOURS=0
export SCIEZKA_CONFIG=/nonexistent/sciezka.env
./target/release/sciezka seed-demo >/dev/null
./target/release/sciezka serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.2; done
(cd end2end && BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 --test-reporter=spec size/)
# The demo after the test command starts from this build instead of redoing its last
# 40 s (issue 18: a second `bash .ci/demo.sh` within 30 s).
bash .ci/release-build.sh | grep -q "up to date" \
  || { echo "FAIL: the release build would be made again although nothing changed"; exit 1; }
