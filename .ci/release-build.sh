#!/usr/bin/env bash
# The release build (wasm split by route, precompressed, as deployed), made only when
# something it is built from changed. `--frontend-only` makes the front end alone (what
# the browser gets: `bash .ci/demo.sh` and `bash .ci/size.sh` serve it with the debug
# server). cargo-leptos re-runs wasm-bindgen, wasm-opt and the precompression on every
# call even when cargo has nothing to do (about 40 s on 2 cores), so a second
# `bash .ci/demo.sh` would wait for them. A stamp holds a hash of every source file and
# of what the build produced; a debug build in between (the test command makes one in
# the same target/site) changes the second half and forces a rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
front_only=false
[ "${1:-}" = "--frontend-only" ] && front_only=true

sources() {
  # Tracked and new (not ignored) files; outside a git checkout there is no stamp.
  git ls-files -z -co --exclude-standard 2>/dev/null | grep -zvE '^(end2end/|\.ci/|.*\.md$)' \
    | xargs -0 -r sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
  rustc --version
}
# What a build produced: the front end (the site and the hashed names beside the
# release server), and for the whole build the server too.
outputs() {
  local files=(target/site target/release/hash.txt)
  [ "$1" = front ] || files+=(target/release/sciezka)
  find "${files[@]}" -type f 2>/dev/null | LC_ALL=C sort | xargs -r sha256sum | sha256sum | cut -d' ' -f1
}
stamp() { echo "target/release-build.$1.stamp"; }
current() {
  git rev-parse --git-dir >/dev/null 2>&1 && [ -f "$(stamp "$1")" ] \
    && [ "$(cat "$(stamp "$1")")" = "$(sources; outputs "$1")" ] \
    && { [ "$1" = front ] || [ -x target/release/sciezka ]; }
}
write_stamp() { git rev-parse --git-dir >/dev/null 2>&1 && { sources; outputs "$1"; } > "$(stamp "$1")" || true; }

if $front_only; then
  if current front; then echo "release front end is up to date (nothing it is built from changed)"; exit 0; fi
  rm -f "$(stamp front)"
  cargo leptos build --release --precompress --split --frontend-only
  write_stamp front
else
  if current whole; then echo "release build is up to date (nothing it is built from changed)"; exit 0; fi
  rm -f "$(stamp whole)" "$(stamp front)"
  cargo leptos build --release --precompress --split
  write_stamp whole
  write_stamp front
fi
