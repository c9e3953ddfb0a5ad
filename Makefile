# heartbeat-ws: `make demo` runs the demo, `make test` runs every test. Both install what
# is missing first (scripts/setup.sh) and rebuild only what changed.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

WASM_TARGET := wasm32-unknown-unknown
# The shipped wasm is built with MVP features only (plus mutable globals), which iOS
# mini-programs require, and with std rebuilt to abort on panic without formatting
# messages or source locations (smaller). Both need -Zbuild-std and unstable flags, which
# RUSTC_BOOTSTRAP allows on stable.
MVP_ENV := RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Ctarget-cpu=mvp -Ctarget-feature=+mutable-globals -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"
MVP_WASM := target/mvp/$(WASM_TARGET)/release/heartbeat_ws.wasm
DEVSERVER := target/debug/heartbeat-ws-devserver
EXAMPLE_LIBRARY := examples/miniprogram/heartbeat-ws
DEMO_PORT ?= 8787

.PHONY: help setup setup-test build example-miniprogram demo devserver test test-native lint test-wasm test-devserver test-package test-js test-node test-miniprogram test-wasm-pack test-e2e test-reliability test-soak soak clean bench setup-bench

help:
	@echo "make demo   build everything, start the dev server and serve the demo page"
	@echo "make test   run every test (native, lint, wasm in Node and Chromium, end to end)"
	@echo "make build  build pkg/ (the npm package) and pkg/miniprogram/ (the mini-program folder)"
	@echo "make example-miniprogram  build, and copy the mini-program folder into examples/miniprogram/"
	@echo "make soak   5 minutes of random faults on 20 sockets in Chromium (RELIABILITY.md)"

setup:
	@scripts/setup.sh build

setup-test:
	@scripts/setup.sh test

build: setup
	$(MVP_ENV) cargo build --release --target $(WASM_TARGET) -Zbuild-std=std,panic_abort --target-dir target/mvp
	node scripts/package.mjs $(MVP_WASM) pkg
	node scripts/miniprogram.mjs pkg/miniprogram
	rm -rf $(EXAMPLE_LIBRARY) && cp -r pkg/miniprogram $(EXAMPLE_LIBRARY)

# The example project (opens in WeChat DevTools as it is) with the mini-program folder
# copied in as examples/miniprogram/heartbeat-ws/ (git-ignored); `make build` copies it too.
example-miniprogram: build
	@echo "example-miniprogram: open examples/miniprogram/ in WeChat DevTools (see its README.md)"

devserver:
	cargo build -p heartbeat-ws-devserver

demo: build devserver
	@echo "demo: http://127.0.0.1:$(DEMO_PORT)/"
	$(DEVSERVER) --port $(DEMO_PORT) --static /=demo --static /pkg=pkg

test: setup-test build devserver test-native lint test-devserver test-package test-node test-js test-miniprogram test-wasm test-wasm-pack test-e2e test-reliability test-soak
	@echo "make test: all passed"

test-native:
	cargo test --tests
	cargo test -p check-mvp

lint:
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target $(WASM_TARGET) --all-targets -- -D warnings
	cargo clippy -p heartbeat-ws-devserver -p check-mvp --all-targets -- -D warnings

test-devserver:
	cargo test -p heartbeat-ws-devserver

# The web package: its size budget, MVP-only wasm (iOS mini-programs reject newer
# features), the package as a Node project installs it, its types as projects see them
# (with each pinned TypeScript) and the documented defaults.
test-package:
	node scripts/size.mjs pkg
	cargo run -q -p check-mvp -- pkg/heartbeat_ws_bg.wasm pkg/miniprogram/heartbeat_ws_bg.wasm
	node --test tests/package/

test-js:
	node --test tests/js/

# ReconnectingWebSocket and Node: reconnecting-websocket's own suite as our conformance
# tests (tests/conformance/README.md maps them), every property, option and event against
# the dev server and ws servers, and the package installed by name in a scratch project
# (import and require, ws and Node's own WebSocket, the Node example until SIGTERM).
test-node:
	node --test tests/node/ tests/conformance/

# The mini-program transport: unit tests with scripted SocketTasks, its ES2017 / no-browser-
# globals check, its types against each platform's typings; the Node entry and the
# mini-program folder (in a phone-shaped sandbox) over fake platform APIs whose tasks are
# real WebSockets to the dev server; the example project's page, its view rendered.
test-miniprogram:
	node --test tests/miniprogram/

test-wasm:
	WASM_BINDGEN_TEST_TIMEOUT=120 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test --target $(WASM_TARGET) --test wasm_node
	scripts/test-wasm-browser.sh

# Each wasm-pack target, built once and used: bundler through Vite 8 and web in Chromium,
# nodejs in Node (needs the dev server).
test-wasm-pack:
	node --test --test-concurrency=1 tests/wasm-pack/

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

# The defects RELIABILITY.md lists, each proven fixed through the built package in Node
# (hostile calls, ws handshakes, GC, clock steps, closes under load, redaction, API edges).
test-reliability:
	node --test --test-concurrency=1 tests/reliability/

# The soak (tests/soak/): 20 sockets in Chromium under random dev server faults; 60 s here,
# 5 minutes with `make soak`. Figures in target/soak/results.json (RELIABILITY.md).
test-soak:
	SOAK_SECONDS=60 node --test tests/soak/

soak: build devserver
	SOAK_SECONDS=300 node --test tests/soak/

clean:
	cargo clean
	rm -rf pkg node_modules

# Benchmarks, not part of `make test`: per-message cost and silent-server detection in
# Chromium, idle cost and memory of 1,000 sockets in Node, and the package size. Prints
# tables, writes the raw numbers to benchmarks/results/ and takes about 9 minutes;
# BENCHMARKS.md records the results. `node benchmarks/run.mjs idle` runs one part.
# twiggy, for the wasm's bytes by crate (benchmarks/crates.mjs).
setup-bench:
	@command -v twiggy >/dev/null || cargo install twiggy --locked --version 0.8.0

bench: build devserver setup-bench
	node benchmarks/run.mjs

# Fuzzing the core, not part of `make test` (where tests/core_fuzz_corpus.rs replays the
# committed corpus): each target runs for FUZZ_SECONDS and adds what it finds to
# fuzz/corpus/; `make fuzz-cmin` then shrinks the corpus to inputs that together reach
# every code edge it reached (hit counts ignored, which keeps it small enough to commit).
# libFuzzer needs nightly flags, which RUSTC_BOOTSTRAP allows on stable; no sanitizer, as
# the core has no unsafe code. RELIABILITY.md records the runs.
FUZZ_SECONDS ?= 600
FUZZ_TARGETS := events extremes
FUZZ := RUSTC_BOOTSTRAP=1 cargo fuzz

.PHONY: fuzz fuzz-cmin setup-fuzz

setup-fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

fuzz: setup-fuzz
	for target in $(FUZZ_TARGETS); do \
		$(FUZZ) run --sanitizer none $$target -- -max_total_time=$(FUZZ_SECONDS) || exit 1; \
	done

fuzz-cmin: setup-fuzz
	for target in $(FUZZ_TARGETS); do \
		$(FUZZ) cmin --sanitizer none $$target -- -use_counters=0 || exit 1; \
	done

# A server restart, for a fleet (tests/fleet.rs, whose checks `make test` runs): writes
# docs/fleet-restart.svg and prints the table of RELIABILITY.md.
.PHONY: fleet

fleet:
	cargo test --test fleet -- --ignored --nocapture fleet_restart_chart
