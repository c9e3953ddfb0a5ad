// README.md's route table (section "Use it in a web page"): each way to build the
// package, with its gzipped size and whether its wasm is MVP-only. The tests of each route
// (tests/package/, tests/wasm-pack/) hold the table to what the build makes.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

import { ROOT } from "./typescript.mjs";

/** Gzipped bytes (level 9, as scripts/size.mjs measures) of `files` under `dir`. */
export function gzipped(dir, files) {
  return files.reduce((total, file) => total + gzipSync(readFileSync(join(dir, file)), { level: 9 }).length, 0);
}

/** The row of the route whose command is `command`: `{ size }` in bytes ("57 KB" is 57,000) and `{ mvpOnly }`. */
function route(command) {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const row = readme.split("\n").find((line) => line.startsWith("|") && line.includes(` \`${command}\` |`));
  assert.ok(row, `README.md's route table has a row for \`${command}\``);
  const [, size, wasm] = /\| (\d+) KB \| ([^|]+) \|/.exec(row) || [];
  assert.ok(size, `the row for \`${command}\` gives a size in KB and the wasm's features: ${row}`);
  return { size: Number(size) * 1000, mvpOnly: wasm.trim() === "MVP only" };
}

/**
 * Checks the route's row against its build: `measured` bytes within 10 % of the size given
 * (compilers move it a little), and "MVP only" exactly when `wasm` passes tools/check-mvp.
 */
export function checkRoute(command, { measured, wasm }) {
  const { size, mvpOnly } = route(command);
  assert.ok(Math.abs(measured - size) <= size * 0.1, `\`${command}\` makes ${measured} bytes gzipped; README.md says ${size / 1000} KB: update its route table`);
  const check = spawnSync("cargo", ["run", "-q", "-p", "check-mvp", "--", wasm], { cwd: ROOT, encoding: "utf8" });
  assert.equal(check.status === 0, mvpOnly, `README.md says the wasm of \`${command}\` is ${mvpOnly ? "" : "not "}MVP only; tools/check-mvp: ${check.stdout}${check.stderr}`);
}
