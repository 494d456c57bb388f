#!/usr/bin/env bash
# The release build (wasm split by route, precompressed, as deployed), made only when
# something it is built from changed. cargo-leptos re-runs wasm-bindgen, wasm-opt and the
# precompression on every call even when cargo has nothing to do (about 40 s on 2 cores),
# so a second `bash .ci/demo.sh` would wait for them. The stamp holds a hash of every
# source file and of what the build produced; a debug build in between (the test command
# makes one in the same target/site) changes the second half and forces a rebuild.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=target/release-build.stamp

sources() {
  # Tracked and new (not ignored) files; outside a git checkout there is no stamp.
  git ls-files -z -co --exclude-standard 2>/dev/null | grep -zvE '^(end2end/|\.ci/|.*\.md$)' \
    | xargs -0 -r sha256sum 2>/dev/null | sha256sum | cut -d' ' -f1
  rustc --version
}
outputs() {
  find target/site target/release/sciezka target/release/hash.txt -type f 2>/dev/null \
    | LC_ALL=C sort | xargs -r sha256sum | sha256sum | cut -d' ' -f1
}

if git rev-parse --git-dir >/dev/null 2>&1 && [ -x target/release/sciezka ] && [ -f "$stamp" ] \
   && [ "$(cat "$stamp")" = "$(sources; outputs)" ]; then
  echo "release build is up to date (nothing it is built from changed)"
  exit 0
fi
rm -f "$stamp"
cargo leptos build --release --precompress --split
if git rev-parse --git-dir >/dev/null 2>&1; then
  { sources; outputs; } > "$stamp"
fi
