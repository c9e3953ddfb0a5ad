// The web package's size, as the budget check (scripts/size.mjs) measures it.

import { spawnSync } from "node:child_process";
import { ROOT } from "./harness.mjs";

export function measureSize() {
  // scripts/size.mjs exits 1 over the budget; the numbers are still wanted then.
  const { stdout, stderr } = spawnSync(process.execPath, ["scripts/size.mjs", "pkg", "--json"], { cwd: ROOT, encoding: "utf8" });
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new Error(`unexpected output from scripts/size.mjs:\n${stdout}${stderr}`);
  }
}
