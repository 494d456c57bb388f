#!/usr/bin/env bash
# Builds the release app, loads the fictional demo data into an embedded SQLite
# database (data/sciezka.db) and serves it. Installs what is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
bash .ci/release-build.sh
export LEPTOS_SITE_ROOT=target/site
./target/release/sciezka seed-demo
exec ./target/release/sciezka serve
