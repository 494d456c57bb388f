#!/usr/bin/env bash
# The API against its own OpenAPI document: schemathesis generates requests for every
# operation (signed in as a coordinator of the demo data) and fails on a server error,
# a status or content type the document does not list, or a body that does not match
# its schema. Its own server and database, so the data it creates touches no other test.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/sciezka-api.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export DATABASE_URL="sqlite://$dir/api.db" SCIEZKA_BIND="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site SCIEZKA_BACKUP_HOURS=0
export SCIEZKA_CONFIG=/nonexistent/sciezka.env
./target/debug/sciezka seed-demo >/dev/null
./target/debug/sciezka serve >"$dir/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
base="http://127.0.0.1:$port"
for _ in $(seq 150); do curl -sf "$base/api/v1/openapi.json" >/dev/null && break; sleep 0.2; done
curl -sf -c "$dir/cookies" -H 'content-type: application/json' \
  -d '{"email":"koordynator@mops.demo","password":"demo-sciezka-2026"}' "$base/api/v1/auth/login" >/dev/null
csrf=$(awk '$6=="sciezka_csrf"{print $7}' "$dir/cookies")
session=$(awk '$6=="sciezka_session"{print $7}' "$dir/cookies")
# Signing out, changing the password and revoking devices would end the run's own
# session; everything else is generated and sent, bounded in examples and time.
# Run from the temporary directory: schemathesis keeps a cache where it runs.
root=$PWD
cd "$dir"
timeout 600 "$root/.ci/.venv/bin/schemathesis" run "$base/api/v1/openapi.json" --url "$base" \
  -H "Cookie: sciezka_session=$session; sciezka_csrf=$csrf" -H "X-CSRF-Token: $csrf" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --exclude-path-regex '/auth/(logout|password|sessions)|/devices' \
  --phases examples,coverage,fuzzing --max-examples 10 --seed 20261129 --no-color
