// Shared helpers of the browser end-to-end tests: the dev server, headless Chromium and
// the per-file suite plumbing (one server and one browser per test file).
//
// Public API (other test files rely on it):
//   startDevServer({ statics, args }) -> { url, wsUrl, api(path, body), stop(), logs() }
//   launchBrowser()                   -> { browser, newPage(url), closePages(), close() }
//   ARTIFACTS                         -> absolute path of tests/e2e/artifacts/
// Extras: setupSuite(), waitUntil(), sleep(), freePort(), ensureArtifacts(),
// connectionByLabel(), and the page helpers hbWait/hbLog/hbRaw/hbState/hbStats/hbConnects
// (see pages/harness.js for the page side).
//
// Importing it does nothing but register an 'exit' hook that prints the logs of the dev
// servers started here if the process fails (node:test is imported, not started), so
// scripts outside the test runner (benchmarks/harness.mjs) use it too.

import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, afterEach, before, beforeEach } from "node:test";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..", "..");
export const ARTIFACTS = path.join(HERE, "artifacts");
export const DEVSERVER = path.join(ROOT, "target", "debug", "heartbeat-ws-devserver");
export const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const DEFAULT_STATICS = { "/": "tests/e2e/pages", "/pkg": "pkg", "/demo": "demo" };

export function ensureArtifacts() {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` (sync or async) until it returns a truthy value, which is returned. */
export async function waitUntil(check, { timeout = 5000, interval = 25, message = "condition" } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await check();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? `: ${last.message}` : last === undefined ? "" : `: last ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeout} ms waiting for ${message}${detail}`);
    }
    await sleep(interval);
  }
}

/** A TCP port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

// Output of every server started in this process, printed at exit if a test failed and
// the suite helper has not printed it already.
const servers = new Set();
process.on("exit", (code) => {
  if (code === 0 && !process.exitCode) return;
  for (const server of servers) {
    const text = server.unprintedLogs();
    if (text) fs.writeSync(2, `--- dev server log (${server.url}) ---\n${text}\n`);
  }
});

/**
 * Starts the dev server on a free port with cwd = repository root.
 * `statics` maps URL prefixes to directories relative to the repository root; `args` are
 * further command-line arguments.
 */
export async function startDevServer({ statics = DEFAULT_STATICS, args = [] } = {}) {
  if (!fs.existsSync(DEVSERVER)) {
    throw new Error(`${DEVSERVER} is missing: run \`cargo build -p heartbeat-ws-devserver\` in ${ROOT}`);
  }
  const argv = ["--port", "0"];
  for (const [prefix, dir] of Object.entries(statics)) argv.push("--static", `${prefix}=${dir}`);
  argv.push(...args);
  const child = spawn(DEVSERVER, argv, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  let printedUpTo = 0;
  let stopping = null;
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));

  const url = await new Promise((resolve, reject) => {
    let stdout = "";
    const timer = setTimeout(() => fail(new Error("the dev server did not print its address within 15 s")), 15000);
    const fail = (error) => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`${error.message}\nstderr:\n${stderr}`));
    };
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const newline = stdout.indexOf("\n");
      if (newline < 0) return;
      const line = stdout.slice(0, newline);
      const match = /^listening on (http:\/\/[^\s]+)$/.exec(line);
      clearTimeout(timer);
      if (match) resolve(match[1]);
      else fail(new Error(`unexpected first stdout line: ${JSON.stringify(line)}`));
    });
    child.once("error", fail);
    exited.then(({ code, signal }) => fail(new Error(`the dev server exited early (code ${code}, signal ${signal})`)));
  });
  exited.then(({ code, signal }) => {
    if (!stopping) stderr += `[support] the dev server exited unexpectedly: code ${code}, signal ${signal}\n`;
  });
  // Keep draining stdout (the README promises nothing else is printed there).
  let extraStdout = "";
  child.stdout.on("data", (chunk) => (extraStdout += chunk));

  async function api(apiPath, body) {
    const init =
      body === undefined
        ? { method: "GET" }
        : { method: "POST", headers: { "content-type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) };
    let response;
    try {
      response = await fetch(url + apiPath, init);
    } catch (error) {
      const state = child.exitCode !== null || child.signalCode !== null
        ? ` (the dev server has exited: code ${child.exitCode}, signal ${child.signalCode})`
        : "";
      throw new Error(`${init.method} ${apiPath} failed: ${error.cause?.message ?? error.message}${state}`);
    }
    const text = await response.text();
    if (!response.ok) {
      const error = new Error(`${init.method} ${apiPath} -> ${response.status}: ${text}`);
      error.status = response.status;
      error.body = text;
      throw error;
    }
    return text === "" ? null : JSON.parse(text);
  }

  const server = {
    url,
    wsUrl: url.replace(/^http/, "ws") + "/ws",
    api,
    /** Everything the server logged so far (stderr). */
    logs: () => stderr,
    /** Logs from `offset` on; `mark()` gives the current offset. */
    mark: () => stderr.length,
    logsSince: (offset) => stderr.slice(offset),
    extraStdout: () => extraStdout,
    unprintedLogs: () => stderr.slice(printedUpTo),
    markPrinted: () => (printedUpTo = stderr.length),
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(timer);
        }
        return exited;
      })();
      return stopping;
    },
  };
  servers.add(server);
  return server;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Headless Chromium. `newPage(url)` opens a page in a fresh context (so `setOffline`
 * affects that page only) with its console collected in `page.consoleLines`
 * ({type, text}) and errors (console errors, uncaught exceptions) in `page.errors`.
 */
export async function launchBrowser() {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const contexts = new Set();
  return {
    browser,
    async newPage(url) {
      const context = await browser.newContext();
      contexts.add(context);
      const page = await context.newPage();
      page.consoleLines = [];
      page.errors = [];
      page.on("console", (message) => {
        const line = { type: message.type(), text: message.text() };
        page.consoleLines.push(line);
        if (line.type === "error") page.errors.push(`console.error: ${line.text}`);
      });
      page.on("pageerror", (error) => page.errors.push(`uncaught: ${error.stack || error.message}`));
      page.once("close", () => contexts.delete(context));
      if (url) await page.goto(url);
      return page;
    },
    async closePages() {
      await Promise.all([...contexts].map((context) => context.close().catch(() => {})));
      contexts.clear();
    },
    async close() {
      await this.closePages();
      await browser.close();
    },
  };
}

// ---------------------------------------------------------------------------------------
// Page helpers: thin wrappers over window.hbt (pages/harness.js).

/** Opens the fixture page and waits until the wasm is initialised. */
export async function openHarness(browser, server) {
  const page = await browser.newPage(server.url + "/");
  const loaded = await page.evaluate(() => (window.hbt ? window.hbt.ready.then(() => true) : false));
  if (!loaded) {
    const missing = fs.existsSync(path.join(ROOT, "pkg", "index.js")) ? "" : " (pkg/index.js does not exist: run `make build`)";
    throw new Error(`the fixture page could not load /pkg/index.js${missing}; page errors: ${page.errors.join("; ")}`);
  }
  return page;
}

/** Waits in the page for the `count`-th event of socket `name` matching `match`. */
export function hbWait(page, name, match, { timeout = 5000, count = 1, since = 0 } = {}) {
  return page.evaluate(([name, match, options]) => window.hbt.wait(name, match, options), [name, match, { timeout, count, since }]);
}

/** The event log of socket `name` (optionally only events of `type`). */
export function hbLog(page, name, type) {
  return page.evaluate(([name, type]) => window.hbt.log(name, type), [name, type ?? null]);
}

/** The raw transport log of socket `name` (created with tap: true). */
export function hbRaw(page, name) {
  return page.evaluate((name) => window.hbt.raw[name] ?? [], name);
}

export function hbState(page, name) {
  return page.evaluate((name) => window.hbt.sockets[name].state, name);
}

export function hbStats(page, name) {
  return page.evaluate((name) => window.hbt.sockets[name].stats(), name);
}

/** How many connection attempts socket `name` (created with tap: true) has made. */
export function hbConnects(page, name) {
  return page.evaluate((name) => window.hbt.connects[name], name);
}

/** Finds the dev server connection with `label` (waits for it). */
export async function connectionByLabel(server, label, { timeout = 5000, state } = {}) {
  return waitUntil(
    async () => {
      const list = await server.api("/api/connections");
      return list.filter((c) => c.label === label && (!state || c.state === state)).at(-1);
    },
    { timeout, message: `a dev server connection labelled ${label}` },
  );
}

// ---------------------------------------------------------------------------------------
// Suite plumbing.

/**
 * Registers before/after hooks: one dev server and one browser for the file, the server
 * reset and the pages closed around each test, and on failure the server log, the page
 * event logs and console written to stderr and to ARTIFACTS.
 */
export function setupSuite({ statics } = {}) {
  const suite = { server: null, browser: null, pages: [] };
  let mark = 0;
  before(async () => {
    suite.server = await startDevServer({ statics });
    suite.browser = await launchBrowser();
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
  });
  beforeEach(async () => {
    suite.pages = [];
    // Close whatever the previous test left, wait until it is gone, then zero the counters
    // again (closes done by closeAll would otherwise be counted after the reset).
    await suite.server.api("/api/reset", { closeAll: true });
    await waitUntil(async () => (await suite.server.api("/api/connections")).length === 0, {
      timeout: 3000,
      message: "the previous test's connections to go away",
    }).catch(() => {});
    await suite.server.api("/api/reset", {});
    mark = suite.server.mark();
  });
  afterEach(async (t) => {
    if (!t.passed) {
      const report = { test: t.name, error: String(t.error?.stack ?? t.error), pages: [] };
      for (const page of suite.pages) {
        let logs = null;
        try {
          logs = await page.evaluate(() => ({ logs: window.hbt.logs, raw: window.hbt.raw, t: performance.now() }));
        } catch (error) {
          logs = String(error);
        }
        report.pages.push({ console: page.consoleLines, errors: page.errors, hbt: logs });
      }
      report.server = suite.server.logsSince(mark);
      const file = path.join(ensureArtifacts(), `${t.name.replace(/[^\w.-]+/g, "_").slice(0, 80)}.json`);
      fs.writeFileSync(file, JSON.stringify(report, null, 1));
      process.stderr.write(`--- ${t.name}: dev server log ---\n${report.server}\n`);
      for (const [i, p] of report.pages.entries()) {
        process.stderr.write(`--- page ${i} console ---\n${p.console.map((l) => `[${l.type}] ${l.text}`).join("\n")}\n`);
        const uncaught = p.errors.filter((e) => e.startsWith("uncaught:"));
        if (uncaught.length) process.stderr.write(`--- page ${i} uncaught exceptions ---\n${[...new Set(uncaught)].join("\n")}\n`);
        process.stderr.write(`--- page ${i} events ---\n${JSON.stringify(p.hbt?.logs ?? p.hbt)}\n`);
      }
      process.stderr.write(`(full report: ${file})\n`);
    }
    suite.server.markPrinted();
    // Uncaught exceptions in a page (e.g. thrown by the library's socket handlers) fail
    // the test even if its assertions passed.
    const uncaught = suite.pages.flatMap((page) => page.errors.filter((e) => e.startsWith("uncaught:")));
    await suite.browser.closePages();
    if (t.passed && uncaught.length > 0) {
      throw new Error(`uncaught exception(s) in the page:\n${[...new Set(uncaught)].join("\n")}`);
    }
  });
  suite.page = async () => {
    const page = await openHarness(suite.browser, suite.server);
    suite.pages.push(page);
    return page;
  };
  /** ws URL of the dev server with query parameters. */
  suite.ws = (params = {}) => {
    const query = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
    return suite.server.wsUrl + (query ? "?" + query : "");
  };
  return suite;
}
