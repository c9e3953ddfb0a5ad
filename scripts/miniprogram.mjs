// Builds the mini-program folder (pkg/miniprogram/): a folder copied as-is into a
// mini-program project, or picked up by WeChat DevTools' "Build npm" through the package's
// `miniprogram` field. Run after scripts/package.mjs, whose wasm-bindgen glue (import and
// export names already minified) and optimized MVP wasm it takes from target/package/.
//
//   node scripts/miniprogram.mjs <out-dir>
//
// It writes:
//   index.js                  js/miniprogram-entry.js and the glue, one CommonJS ES2017 file
//   heartbeat_ws_bg.wasm      the same wasm as the web package's
//   heartbeat_ws_bg.wasm.br   the same, brotli-compressed (WXWebAssembly takes it from 2.14.0)

import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";

import esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const [out] = process.argv.slice(2);
if (!out) {
  console.error("usage: node scripts/miniprogram.mjs <out-dir>");
  process.exit(2);
}
const stage = join(root, "target/package");
const gluePath = join(stage, "bindgen/heartbeat_ws.js");

// The entry drives the glue's own loading steps (imports object, then finalize) around
// WXWebAssembly.instantiate, in place of the glue's fetch/WebAssembly loader. The glue keeps
// those two functions private: export them, leaving its code as generated. If a
// wasm-bindgen release renames them, esbuild fails here on the missing names.
const exposeGlueInternals = {
  name: "expose-glue-internals",
  setup(build) {
    build.onLoad({ filter: /heartbeat_ws\.js$/ }, (args) => {
      if (args.path !== gluePath) return undefined;
      const glue = readFileSync(gluePath, "utf8");
      return { contents: `${glue}\nexport { __wbg_get_imports, __wbg_finalize_init };\n`, loader: "js" };
    });
  },
};

const version = /^version = "(.+)"$/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const result = await esbuild.build({
  entryPoints: [join(root, "js/miniprogram-entry.js")],
  bundle: true,
  minify: true,
  format: "cjs",
  target: "es2017",
  platform: "neutral",
  // UTF-8 coding and a stand-in global object, in the bundle's scope (not as globals).
  inject: [join(root, "js/miniprogram-glue-scope.js")],
  plugins: [exposeGlueInternals],
  banner: { js: `/*! heartbeat-ws ${version} (mini-program build) | MIT License */` },
  write: false,
  logLevel: "silent",
});
// A warning here (import.meta, a global it cannot see) means the folder would break on a phone.
if (result.warnings.length > 0) {
  const text = await esbuild.formatMessages(result.warnings, { kind: "warning" });
  throw new Error(`the mini-program bundle has warnings:\n${text.join("\n")}`);
}

const wasm = readFileSync(join(stage, "heartbeat_ws_bg.wasm"));
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(join(out, "index.js"), result.outputFiles[0].contents);
// Its types, self-contained (the folder is copied on its own): the shared API and init(path).
cpSync(join(root, "js/miniprogram-entry.d.ts"), join(out, "index.d.ts"));
cpSync(join(root, "js/api.d.cts"), join(out, "api.d.cts"));
writeFileSync(join(out, "heartbeat_ws_bg.wasm"), wasm);
writeFileSync(
  join(out, "heartbeat_ws_bg.wasm.br"),
  brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } }),
);
