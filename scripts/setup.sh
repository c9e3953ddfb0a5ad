#!/usr/bin/env bash
# Installs what the build (and, with `test`, the tests) need; only what is missing.
#   scripts/setup.sh build   # Rust wasm target + std sources, wasm-bindgen-cli, npm packages
#   scripts/setup.sh test    # the above + wasm-pack, Chromium and chromedriver
set -euo pipefail
cd "$(dirname "$0")/.."
need=${1:-build}

# The wasm-bindgen CLI must match the crate version pinned in Cargo.toml exactly.
wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' Cargo.toml)

say() { echo "setup: $*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
  say "adding rust-src (the MVP build rebuilds std)"
  rustup component add rust-src
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wasm_bindgen_version" ]; then
  say "installing wasm-bindgen-cli $wasm_bindgen_version (a few minutes)"
  # --locked fails when the registry lacks a version the CLI's lockfile pins; then let
  # cargo resolve compatible versions.
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version" --locked ||
    cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  npm ci --no-audit --no-fund
fi

if [ "$need" = test ]; then
  if ! command -v wasm-pack >/dev/null; then
    say "installing wasm-pack (a few minutes)"
    cargo install wasm-pack --locked || cargo install wasm-pack
  fi
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Chromium and chromedriver from Debian"
    sudo_if_needed=""
    [ "$(id -u)" = 0 ] || sudo_if_needed="sudo"
    $sudo_if_needed apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_if_needed apt-get install -y -qq chromium chromium-driver
  fi
fi
