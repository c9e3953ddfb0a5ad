// The web package's size, as the existing budget check (scripts/size.mjs) reports it.

import { spawnSync } from "node:child_process";
import { ROOT } from "./harness.mjs";

export function measureSize() {
  // scripts/size.mjs exits 1 over the budget; the numbers are still wanted then.
  const { stdout } = spawnSync(process.execPath, ["scripts/size.mjs", "pkg"], { cwd: ROOT, encoding: "utf8" });
  const files = {};
  let total = null;
  let budget = null;
  for (const line of stdout.split("\n")) {
    const file = /^(\S+)\s+(\d+)\s+(\d+)$/.exec(line);
    if (file) files[file[1]] = { bytes: Number(file[2]), gzipped: Number(file[3]) };
    const sum = /^total\s+(\d+)\s+budget (\d+)$/.exec(line);
    if (sum) [total, budget] = [Number(sum[1]), Number(sum[2])];
  }
  if (total === null || !files["index.js"] || !files["heartbeat_ws_bg.wasm"]) {
    throw new Error(`unexpected output from scripts/size.mjs:\n${stdout}`);
  }
  return { files, total, budget };
}
