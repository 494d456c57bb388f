#!/usr/bin/env bash
# Every test: domain, server integration on SQLite and on PostgreSQL, and end-to-end in
# Chromium against the real server. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
# One cold build per run: incremental caches would only double the disk a fresh clone needs.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# Each step's wall time, printed at the end: CI has 90 minutes for all of this on a
# cold machine, and the summary shows where they go.
timings=(); run_start=$(date +%s)
step() {
  local now; now=$(date +%s)
  [ -z "${step_name:-}" ] || timings+=("$(printf '%5d s  %s' $((now - step_start)) "$step_name")")
  step_name=$1; step_start=$now
  [ "$1" = "done" ] || echo "== $1 (at $((now - run_start)) s)"
}

step "Tools (installed when missing)"
bash .ci/setup.sh --test

step "Lints (clippy; a warning fails the run)"
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy -p app --features ssr --all-targets -- -D warnings

step "Domain (unit and property tests)"
cargo test -p domain

step "App (server-rendered forms: every bound field exists in its document)"
cargo test -p app --features ssr --lib

step "Server integration tests on SQLite"
cargo test -p server

step "Server integration tests on PostgreSQL"
if [ -n "${TEST_POSTGRES_URL:-}" ]; then
  echo "using TEST_POSTGRES_URL"
else
  source .ci/pg.sh
fi
# PostgreSQL restarted under load is run on its own: the restart would cut off the
# other tests' databases in the same cluster.
cargo test -p server --test api -- --skip postgresql_restarted
if [ -n "${TEST_PG_RESTART:-}" ]; then
  cargo test -p server --test api postgresql_restarted
else
  echo "SKIPPED: PostgreSQL restarted under load (TEST_POSTGRES_URL was given, so this run cannot restart it)"
fi

step "End-to-end tests in Chromium"
# Pages are lazy routes: every build splits the wasm by route.
cargo leptos build --split
e2e_dir=$(mktemp -d /tmp/sciezka-e2e.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$e2e_dir/e2e.db" SCIEZKA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site
./target/debug/sciezka seed-demo >/dev/null
./target/debug/sciezka serve >"$e2e_dir/server.log" 2>&1 &
server_pid=$!
cleanup() { kill "$server_pid" 2>/dev/null || true; [ -n "${stop_pg:-}" ] || true; }
trap 'cleanup; declare -F stop_pg >/dev/null && stop_pg; rm -rf "$e2e_dir"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/login" >/dev/null && break; sleep 0.2; done
(cd end2end && BASE_URL="http://127.0.0.1:$port" node --test --test-concurrency=1 tests/)

step "The API against its OpenAPI document (schemathesis)"
bash .ci/api-conformance.sh

step "First-load size of the sign-in page, the caseload and a client card (release build)"
bash .ci/size.sh
step "done"
echo "== Time per step"
printf '%s\n' "${timings[@]}"
