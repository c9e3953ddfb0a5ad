// Type-checks TypeScript against a built package, as a project that depends on it would:
// with each TypeScript the repository pins (package.json: `typescript`, and the newest
// under the alias `typescript-next`), in three kinds of project (a web page with the DOM,
// a mini-program without it, Node), and the README's JavaScript examples as such files.
// Used by tests/package/types.test.mjs (make build's pkg/) and tests/wasm-pack/ (each
// wasm-pack target).

import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** The TypeScript compilers: each pinned devDependency that is a TypeScript, by version. */
export const COMPILERS = ["typescript", "typescript-next"].map((name) => {
  const manifest = JSON.parse(readFileSync(join(ROOT, "node_modules", name, "package.json"), "utf8"));
  return { name, version: manifest.version, tsc: join(ROOT, "node_modules", name, "bin/tsc") };
});

const STRICT = { strict: true, noEmit: true, skipLibCheck: false, target: "ES2022" };

/**
 * The kinds of project, as tsconfig compiler options:
 * - `dom`: a web page bundled by a bundler;
 * - `nodom`: a mini-program, with lib and types as WeChat's TypeScript template has them
 *   (ES2020 only, its own typings, library checks on), as an ES module so that examples
 *   may await at the top level;
 * - `node`: Node with the `ws` package, its modules resolved as Node resolves them
 *   (JavaScript files checked too: CommonJS examples are .cjs files).
 */
export const PROJECTS = {
  dom: { ...STRICT, module: "ESNext", moduleResolution: "bundler", lib: ["ES2022", "DOM"], types: [] },
  nodom: { ...STRICT, module: "ESNext", moduleResolution: "bundler", lib: ["ES2020"], types: ["miniprogram-api-typings"] },
  node: { ...STRICT, module: "NodeNext", moduleResolution: "NodeNext", lib: ["ES2022"], types: ["node", "ws"], allowJs: true, checkJs: true },
};

/** Every ```js and ```ts block of a Markdown file of the repository, in order. */
export function codeBlocks(file) {
  const text = readFileSync(join(ROOT, file), "utf8");
  return [...text.matchAll(/^```(?:js|ts)\n([\s\S]*?)^```$/gm)].map((match, index) => ({ file, index, code: match[1] }));
}

/**
 * Compiles `files` ({ name: source }) as project `kind`, in a scratch folder under target/
 * where `heartbeat-ws` (and `./pkg`) is `packageDir`. Returns `{ ok, output }` (tsc's).
 */
export function typecheck({ label, kind, packageDir, files, compiler }) {
  if (!existsSync(join(packageDir, "package.json"))) throw new Error(`${packageDir} is not a package: build it first`);
  const dir = join(ROOT, "target/typecheck", `${label}-${kind}-${compiler.name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, "node_modules"), { recursive: true });
  symlinkSync(packageDir, join(dir, "node_modules/heartbeat-ws"), "dir");
  symlinkSync(packageDir, join(dir, "pkg"), "dir");
  // Node projects are ES modules unless a file says otherwise (.cts).
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `typecheck-${kind}`, private: true, type: "module" }));
  const names = Object.keys(files);
  for (const name of names) writeFileSync(join(dir, name), files[name]);
  // Libraries' types (@types/*, miniprogram-api-typings) come from the repository's node_modules.
  const compilerOptions = { ...PROJECTS[kind], typeRoots: [join(ROOT, "node_modules/@types"), join(ROOT, "node_modules")] };
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, files: names }, null, 2));
  const run = spawnSync(process.execPath, [compiler.tsc, "-p", dir, "--pretty", "false"], { encoding: "utf8" });
  return { ok: run.status === 0, output: run.stdout + run.stderr };
}
