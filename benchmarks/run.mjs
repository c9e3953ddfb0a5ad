// `make bench`: the per-message and silent-server benchmarks in headless Chromium and the
// package size. Prints a table and writes everything measured to benchmarks/results/.
// What the numbers mean: ../BENCHMARKS.md.

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, launchBrowser, startDevServer, startStaticServer } from "./harness.mjs";
import { LIBRARIES, MESSAGES_CONFIG, measureMessages } from "./messages.mjs";
import { SILENT_CONFIG, measureSilent } from "./silent.mjs";
import { measureSize } from "./size.mjs";

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function packageVersion(name) {
  return JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;
}

function commit() {
  const git = (...args) => execFileSync("git", args, { cwd: ROOT, encoding: "utf8" }).trim();
  return git("rev-parse", "--short", "HEAD") + (git("status", "--porcelain") ? " (with uncommitted changes)" : "");
}

function environment(chromiumVersion) {
  const release = fs.readFileSync("/etc/os-release", "utf8").match(/^PRETTY_NAME="?(.*?)"?$/m);
  return {
    date: new Date().toISOString(),
    commit: commit(),
    cpu: `${os.cpus()[0].model} (${os.availableParallelism()} cores)`,
    // Other work on the machine shows in the numbers; this says how busy it was.
    loadAverage: os.loadavg()[0],
    os: release ? release[1] : `${os.type()} ${os.release()}`,
    node: process.version,
    chromium: chromiumVersion,
    libraries: Object.fromEntries(
      ["reconnecting-websocket", "websocket-heartbeat-js"].map((name) => [name, packageVersion(name)]),
    ),
  };
}

function table(header, rows) {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("   ");
  return [line(header), ...rows.map(line)].join("\n");
}

function messagesTable({ samples, clock }, env) {
  const raw = { inbound: median(samples.raw.inbound), outbound: median(samples.raw.outbound) };
  const rows = LIBRARIES.map((library) => {
    const name = env.libraries[library] ? `${library} ${env.libraries[library]}` : library;
    const cells = ["inbound", "outbound"].flatMap((direction) => {
      const runs = samples[library][direction];
      const ns = median(runs);
      return [ns.toFixed(1), Math.min(...runs).toFixed(1), `${(ns / raw[direction]).toFixed(1)}×`];
    });
    return [name, ...cells];
  });
  const reference = `Date.now() in the same pages: ${median(clock).toFixed(1)} ns per call (heartbeat-ws reads the clock once per message)`;
  return `${table(["library", "inbound ns/msg", "best", "× raw", "outbound ns/msg", "best", "× raw"], rows)}\n${reference}`;
}

function silentTable(samples, cap) {
  // A step that did not happen within the sample sorts last, as if it took forever.
  const summary = (values, missing) => {
    const times = values.map((value) => value ?? Infinity);
    const show = (ms) => (ms === Infinity ? missing : ms.toFixed(0));
    return `${show(median(times))} / ${show(Math.max(...times))}`;
  };
  const rows = Object.entries(samples).map(([library, list]) => [
    library,
    summary(list.map((sample) => sample.reconnect), `> ${cap}`),
    summary(list.map((sample) => sample.nextAttempt), `> ${cap}`),
    summary(list.map((sample) => sample.browserClose), "—"),
  ]);
  const legend = "—: the browser's close event had not come yet when the sample ended";
  return `${table(["library", "reconnect decided", "next attempt", "browser close event"], rows)}\n${legend}`;
}

function sizeTable(size) {
  const rows = Object.entries(size.files).map(([file, { bytes, gzipped }]) => [file, bytes, gzipped]);
  rows.push(["total", "", `${size.total} of ${size.budget}`]);
  return table(["file", "bytes", "gzipped"], rows);
}

async function measureAll() {
  const staticServer = await startStaticServer();
  const devServer = await startDevServer();
  const browser = await launchBrowser();
  try {
    const env = environment(browser.version);
    console.error(`bench: per-message cost (${MESSAGES_CONFIG.rounds} rounds × ${LIBRARIES.length} libraries)…`);
    const messages = await measureMessages(browser, staticServer.origin);
    console.error(`bench: silent server (up to ${SILENT_CONFIG.cap / 1000} s per library)…`);
    const silent = await measureSilent(browser, staticServer.origin, devServer.wsUrl);
    return { environment: env, config: { messages: MESSAGES_CONFIG, silent: SILENT_CONFIG }, messages, silent, size: measureSize() };
  } finally {
    await browser.close();
    await devServer.stop();
    await staticServer.stop();
  }
}

function report({ environment: env, config, messages, silent, size }) {
  const { interval, timeout, count, cap } = config.silent;
  return [
    `heartbeat-ws benchmarks, ${env.date}, commit ${env.commit}`,
    `${env.cpu}, load ${env.loadAverage.toFixed(2)}, ${env.os}, Node ${env.node}, Chromium ${env.chromium}`,
    "",
    `Per 64-byte string message over an in-memory socket: median and best of ${config.messages.rounds * config.messages.runs} runs of ${config.messages.messages} messages; × raw compares medians`,
    messagesTable(messages, env),
    "",
    `Silent server: ms from the open to each step, median / max of ${count} (interval ${interval}, timeout ${timeout}, reconnect delay 0)`,
    silentTable(silent, cap),
    "",
    "Package size (scripts/size.mjs, gzip -9)",
    sizeTable(size),
  ].join("\n");
}

const results = await measureAll();
console.log(report(results));
const file = path.join(ROOT, "benchmarks", "results", `${results.environment.date.replace(/[:.]/g, "-")}.json`);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify(results, null, 1) + "\n");
console.log(`\nraw results: ${path.relative(ROOT, file)}`);
