#!/usr/bin/env bash
# What a tablet downloads before the sign-in page, the caseload and a client card
# respond (issue 18). Bytes are deterministic, so this is a test: it makes the release
# front end (the wasm split by route, optimised and precompressed, as deployed) and
# serves it with the debug server the end-to-end tests built. The server's own release
# build would add a cold optimised compile of every dependency to the test command and
# change no byte a browser receives: the HTML, script and wasm come from the same code.
# Run after the end-to-end tests: the release front end replaces target/site.
set -euo pipefail
cd "$(dirname "$0")/.."
# The front end alone, as `bash .ci/demo.sh` serves it (which then has nothing to build).
bash .ci/release-build.sh --frontend-only
[ -x target/debug/sciezka ] || cargo leptos build --split --server-only
dir=$(mktemp -d /tmp/sciezka-size.XXXXXX)
# The server finds the hashed file names in hash.txt beside its executable.
cp target/debug/sciezka target/release/hash.txt "$dir/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$dir/size.db" SCIEZKA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site SCIEZKA_BACKUP_HOURS=0
export SCIEZKA_CONFIG=/nonexistent/sciezka.env
"$dir/sciezka" seed-demo >/dev/null
"$dir/sciezka" serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
for _ in $(seq 150); do curl -sf "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.2; done
(cd end2end && BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 --test-reporter=spec size/)
