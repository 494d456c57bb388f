#!/usr/bin/env bash
# Loads the fictional demo data into an embedded SQLite database (data/sciezka.db) and
# serves it, building what is missing first (installing the tools when absent).
#
# The browser gets the release front end, as deployed: the wasm split by route,
# optimised and precompressed; what a person trying the app sees and waits for is the
# real thing. The server is the debug build the test command makes (deps optimised,
# the app's own code not): a few milliseconds more per page and a slower sign-in hash,
# and no cold optimised compile of every dependency (12 minutes on 2 cores) before a
# new user sees anything. An installation builds the release server instead
# (`bash .ci/release-build.sh`, README "The server binary").
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
bash .ci/release-build.sh --frontend-only
# Nothing to do when the test command's build is current.
cargo leptos build --split --server-only
# The server finds the front end's hashed file names in hash.txt beside its executable.
mkdir -p target/demo
cp target/debug/sciezka target/demo/sciezka.new && mv target/demo/sciezka.new target/demo/sciezka
cp target/release/hash.txt target/demo/hash.txt
export LEPTOS_SITE_ROOT=target/site
./target/demo/sciezka seed-demo
exec ./target/demo/sciezka serve
