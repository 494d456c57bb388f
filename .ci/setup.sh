#!/usr/bin/env bash
# Installs what a fresh Debian machine with only the Rust toolchain lacks. Idempotent:
# each step checks first, so a second run takes seconds.
#   setup.sh            tools to build and run the app (release: includes wasm-opt)
#   setup.sh --test     also Chromium, PostgreSQL and the end-to-end test packages
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=false
[ "${1:-}" = "--test" ] && want_test=true

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# The newest cargo-leptos needs a newer rustc; 0.3.10 builds here. no_downloads makes it
# use the wasm-bindgen and wasm-opt installed below instead of fetching binaries.
if ! cargo leptos --version 2>/dev/null | grep -q '0\.3\.10'; then
  say "Installing cargo-leptos 0.3.10 (about 20 minutes, once)"
  cargo install cargo-leptos@0.3.10 --locked --features no_downloads
fi

wb_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q "$wb_version"; then
  say "Installing wasm-bindgen-cli $wb_version (the version in Cargo.lock)"
  # --locked fails: the registry index lacks one of its pinned dependencies.
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

# Release builds (the demo, and the test command's size check) optimise the wasm.
# Debian's binaryen 108 produces wasm that fails to hydrate; this one (116) works.
if ! "$HOME/.cargo/bin/wasm-opt" --version 2>/dev/null | grep -q 'version 11[6-9]\|version 1[2-9][0-9]'; then
  say "Installing wasm-opt (about 12 minutes, once)"
  cargo install wasm-opt --locked
fi

if ! $want_test; then
  exit 0
fi

if ! cargo clippy --version >/dev/null 2>&1; then
  say "Adding clippy"
  rustup component add clippy
fi

apt_missing=()
command -v chromium >/dev/null || apt_missing+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_missing+=(postgresql)
command -v node >/dev/null || apt_missing+=(nodejs)
command -v npm >/dev/null || apt_missing+=(npm)
python3 -c 'import venv, ensurepip' 2>/dev/null || apt_missing+=(python3-venv)
# The reverse proxy of the two-process fault test; the test starts its own instance.
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_missing+=(nginx-light)
if [ ${#apt_missing[@]} -gt 0 ]; then
  say "Installing ${apt_missing[*]} from Debian"
  sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${apt_missing[@]}"
  # Debian starts the packaged nginx on port 80; nothing here uses that instance.
  if printf '%s\n' "${apt_missing[@]}" | grep -qx nginx-light && [ -f /run/nginx.pid ]; then
    $sudo_cmd nginx -s stop 2>/dev/null || true
  fi
fi

if [ ! -d end2end/node_modules/playwright-core ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "Installing the end-to-end test packages"
  (cd end2end && npm ci --no-audit --no-fund)
fi

# The Python test tools (PyPI): schemathesis checks the API against its OpenAPI
# document; aiosmtpd is the real SMTP server the e-mail tests read their messages from
# (.ci/smtp-sink.py). Pinned with every dependency in .ci/python-requirements.txt, in a
# virtual environment of their own.
if [ ! -x .ci/.venv/bin/schemathesis ] || [ .ci/python-requirements.txt -nt .ci/.venv/installed ]; then
  say "Installing the Python test tools (schemathesis, aiosmtpd)"
  python3 -m venv .ci/.venv
  .ci/.venv/bin/pip install --quiet --disable-pip-version-check -r .ci/python-requirements.txt
  touch .ci/.venv/installed
fi
