#!/usr/bin/env bash
# Runs the wasm-bindgen tests (tests/wasm_browser.rs) in headless Chromium through chromedriver.
#
# Why the retry: wasm-bindgen-test-runner serves the test page with tiny_http, whose thread pool
# can leave a connection unserved when Chromium opens several at once (tiny_http 0.12
# TaskPool::spawn counts a woken thread as still waiting). A module request then never gets a
# response, the page never finishes loading, and the runner waits for it forever. That happens
# before any test starts, so a run that never printed "running N tests" is started again; a run
# that did start is final, pass or fail.
set -uo pipefail

attempts=5
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Compile first, so the time limit below covers only the run.
cargo test --target wasm32-unknown-unknown --test wasm_browser --no-run || exit

for attempt in $(seq 1 "$attempts"); do
  WASM_BINDGEN_TEST_TIMEOUT=120 CHROMEDRIVER=/usr/bin/chromedriver CHROMEDRIVER_ARGS=--silent \
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
    timeout --kill-after=10 90 cargo test --target wasm32-unknown-unknown --test wasm_browser 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$status" -eq 0 ]; then
    exit 0
  fi
  if grep -Eq '^running [0-9]+ tests?' "$log"; then
    exit "$status"
  fi
  echo "test-wasm-browser: the test page did not load (attempt $attempt of $attempts); starting again" >&2
done
echo "test-wasm-browser: the test page never loaded in $attempts attempts" >&2
exit 1
