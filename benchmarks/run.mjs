// `make bench`: the per-message and silent-server benchmarks in headless Chromium, the idle
// cost and memory of many sockets in Node, and the package size. Prints tables and writes
// everything measured to benchmarks/results/. What the numbers mean: ../BENCHMARKS.md.
//
//   node benchmarks/run.mjs [messages] [silent] [idle] [size] [crates]   (all by default)

import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, launchBrowser, startDevServer, startStaticServer } from "./harness.mjs";
import { measureCrates } from "./crates.mjs";
import { IDLE_CONFIG, measureIdle, measureIdlePair } from "./idle.mjs";
import { LIBRARIES, MESSAGES_CONFIG, measureMessages } from "./messages.mjs";
import { SILENT_CONFIG, measureSilent } from "./silent.mjs";
import { measureSize } from "./size.mjs";

const PARTS = ["messages", "silent", "idle", "size", "crates"];
const chosen = process.argv.slice(2);
for (const part of chosen) if (!PARTS.includes(part)) throw new Error(`unknown part ${part}; expected some of ${PARTS.join(", ")}`);
const parts = new Set(chosen.length > 0 ? chosen : PARTS);

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
      ["reconnecting-websocket", "websocket-heartbeat-js", "ws"].map((name) => [name, packageVersion(name)]),
    ),
  };
}

function table(header, rows) {
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => String(row[i]).length)));
  const line = (row) => row.map((cell, i) => (i === 0 ? String(cell).padEnd(widths[i]) : String(cell).padStart(widths[i]))).join("   ");
  return [line(header), ...rows.map(line)].join("\n");
}

function libraryName(library, env) {
  return env.libraries[library] ? `${library} ${env.libraries[library]}` : library;
}

function messagesTable({ samples, clock }, env) {
  const tables = Object.entries(samples).map(([socket, bySocket]) => {
    const raw = { inbound: median(bySocket.raw.inbound), outbound: median(bySocket.raw.outbound) };
    const rows = LIBRARIES.map((library) => {
      const cells = ["inbound", "outbound"].flatMap((direction) => {
        const runs = bySocket[library][direction];
        const ns = median(runs);
        // A raw median of 0 (below the page clock's tick) leaves nothing to divide by.
        const ratio = raw[direction] > 0 ? `${(ns / raw[direction]).toFixed(1)}×` : "—";
        return [ns.toFixed(1), Math.min(...runs).toFixed(1), ratio];
      });
      return [libraryName(library, env), ...cells];
    });
    return `${socket} socket\n${table(["library", "inbound ns/msg", "best", "× raw", "outbound ns/msg", "best", "× raw"], rows)}`;
  });
  const reference = `performance.now() in the same pages: ${median(clock).toFixed(1)} ns per call`;
  return `${tables.join("\n\n")}\n${reference}`;
}

function silentTable(scenarios, cap) {
  // A step that did not happen within the sample sorts last, as if it took forever.
  const summary = (values, missing) => {
    const times = values.map((value) => value ?? Infinity);
    const show = (ms) => (ms === Infinity ? missing : ms.toFixed(0));
    return `${show(median(times))} / ${show(Math.max(...times))}`;
  };
  const tables = Object.entries(scenarios).map(([scenario, samples]) => {
    const rows = Object.entries(samples).map(([library, list]) => [
      library,
      summary(list.map((sample) => sample.reconnect), `> ${cap}`),
      summary(list.map((sample) => sample.nextAttempt), `> ${cap}`),
      summary(list.map((sample) => sample.browserClose), "—"),
    ]);
    return `${scenario}\n${table(["library", "reconnect decided", "next attempt", "browser close event"], rows)}`;
  });
  const legend = "—: the browser's close event had not come yet when the sample ended";
  return `${tables.join("\n\n")}\n${legend}`;
}

function range(numbers, digits) {
  const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
  return low.toFixed(digits) === high.toFixed(digits) ? low.toFixed(digits) : `${low.toFixed(digits)}–${high.toFixed(digits)}`;
}

const perMinute = (run, value) => (value * 60) / run.seconds;
// The figures of one idle run that both idle tables show.
const cpuPerMinute = (run) => perMinute(run, run.cpuMs);
const mainThreadPerMinute = (run) => perMinute(run, run.mainThreadCpuMs);
const kilobytesPerSocket = (run) => (run.heapBytes + run.wasmBytes) / run.sockets / 1024;

function idleTable(runs, env) {
  const rows = Object.entries(runs).map(([library, list]) => {
    const values = (pick) => list.map(pick);
    const timers = (run) => Object.values(run.timerCalls).reduce((sum, count) => sum + count, 0) / run.sockets;
    return [
      libraryName(library, env),
      range(values(cpuPerMinute), 0),
      range(values(mainThreadPerMinute), 0),
      range(values((run) => perMinute(run, timers(run))), 1),
      range(values((run) => run.heapBytes / run.sockets / 1024), 2),
      range(values((run) => run.wasmBytes / run.sockets / 1024), 2),
      range(values(kilobytesPerSocket), 2),
    ];
  });
  return table(["library", "CPU ms/min", "main thread", "timer calls/socket/min", "JS heap KB/socket", "wasm KB/socket", "total KB/socket"], rows);
}

function pairTable(runs, env) {
  const rows = Object.entries(runs).map(([library, list]) => {
    const cpu = list.map(cpuPerMinute);
    const main = list.map(mainThreadPerMinute);
    const memory = list.map(kilobytesPerSocket);
    return [libraryName(library, env), median(cpu).toFixed(0), range(cpu, 0), median(main).toFixed(0), range(main, 0), median(memory).toFixed(2)];
  });
  return table(["library", "CPU ms/min (median)", "range", "main thread (median)", "range", "total KB/socket (median)"], rows);
}

function sizeTable(size) {
  const rows = Object.entries(size.rows).map(([what, { bytes, gzipped }]) => [what, bytes, gzipped]);
  rows.push(["total", "", `${size.total} of ${size.budget}`]);
  rows.push(["index.js as a whole (no bundler)", size.entry.bytes, size.entry.gzipped]);
  return table(["what", "bytes", "gzipped"], rows);
}

async function measureAll() {
  const inBrowser = parts.has("messages") || parts.has("silent");
  const staticServer = inBrowser ? await startStaticServer() : null;
  const devServer = parts.has("silent") || parts.has("idle") ? await startDevServer() : null;
  const secondDevServer = parts.has("idle") ? await startDevServer() : null;
  const browser = inBrowser ? await launchBrowser() : null;
  const results = { environment: environment(browser ? browser.version : null), config: {} };
  try {
    if (parts.has("messages")) {
      console.error(`bench: per-message cost (${MESSAGES_CONFIG.rounds} rounds × ${LIBRARIES.length} libraries × ${Object.keys(MESSAGES_CONFIG.sockets).length} sockets)…`);
      results.config.messages = MESSAGES_CONFIG;
      results.messages = await measureMessages(browser, staticServer.origin);
    }
    if (parts.has("silent")) {
      console.error(`bench: silent server (up to ${SILENT_CONFIG.cap / 1000} s)…`);
      results.config.silent = SILENT_CONFIG;
      results.silent = await measureSilent(browser, staticServer.origin, devServer.wsUrl);
    }
    if (parts.has("idle")) {
      const { sockets, seconds, rounds, pairRounds } = IDLE_CONFIG;
      console.error(`bench: ${sockets} idle sockets in Node (${rounds} × ${seconds} s per library, then ${pairRounds} × ${seconds} s for two at once)…`);
      results.config.idle = IDLE_CONFIG;
      results.idle = await measureIdle(devServer);
      results.idlePair = await measureIdlePair([devServer, secondDevServer]);
    }
    if (parts.has("size")) results.size = measureSize();
    if (parts.has("crates")) results.crates = measureCrates();
    return results;
  } finally {
    await browser?.close();
    await devServer?.stop();
    await secondDevServer?.stop();
    await staticServer?.stop();
  }
}

function cratesTable({ named, optimized }) {
  const rows = Object.keys(optimized.totals).map((crate) => [crate, named.totals[crate] || 0, optimized.totals[crate]]);
  rows.push(["total (code and data, no names)", named.all, optimized.all]);
  return table(["crate", "bytes (wasm-bindgen output)", "bytes (after wasm-opt -Oz)"], rows);
}

function report({ environment: env, config, messages, silent, idle, idlePair, size, crates }) {
  const lines = [
    `heartbeat-ws benchmarks, ${env.date}, commit ${env.commit}`,
    `${env.cpu}, load ${env.loadAverage.toFixed(2)}, ${env.os}, Node ${env.node}${env.chromium ? `, Chromium ${env.chromium}` : ""}`,
  ];
  if (messages) {
    const { sockets, rounds } = config.messages;
    const counts = Object.entries(sockets).map(([socket, { messages, runs }]) => `${rounds * runs} runs of ${messages} (${socket})`);
    lines.push("", `Per 64-byte string message over an in-memory socket: median and best of ${counts.join(", ")}; × raw compares medians`);
    lines.push(messagesTable(messages, env));
  }
  if (silent) {
    const { interval, timeout, count, cap } = config.silent;
    lines.push("", `Silent server: ms from the last sign of life (open or last message) to each step, median / max of ${count} (interval ${interval}, timeout ${timeout}, reconnect delay 0)`);
    lines.push(silentTable(silent, cap));
  }
  if (idle) {
    const { sockets, seconds, rounds } = config.idle;
    lines.push("", `${sockets} open sockets in Node over ws ${env.libraries.ws}, 10 s heartbeat, ${seconds} s idle; ${rounds === 1 ? "one run" : `range of ${rounds} runs`}; CPU of the client process only (all threads, and its main thread)`);
    lines.push(idleTable(idle, env));
    lines.push("", `The same, two libraries at the same time (each with a dev server of its own), ${config.idle.pairRounds} runs`);
    lines.push(pairTable(idlePair, env));
  }
  if (size) lines.push("", "Package size (scripts/size.mjs, gzip -9)", sizeTable(size));
  if (crates) lines.push("", "The wasm by crate (twiggy top; names kept, not gzipped)", cratesTable(crates));
  return lines.join("\n");
}

const results = await measureAll();
console.log(report(results));
const file = path.join(ROOT, "benchmarks", "results", `${results.environment.date.replace(/[:.]/g, "-")}.json`);
fs.mkdirSync(path.dirname(file), { recursive: true });
fs.writeFileSync(file, JSON.stringify(results, null, 1) + "\n");
console.log(`\nraw results: ${path.relative(ROOT, file)}`);
