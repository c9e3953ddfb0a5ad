// A Node `vm` sandbox shaped like a mini-program's logic layer on a phone, for the
// mini-program folder (pkg/miniprogram/) and the example project:
// - no WebAssembly, TextEncoder, TextDecoder, fetch, URL, eval or Function: reading one
//   throws, even with `typeof` (the folder must not touch them at all), and the context
//   refuses to compile strings (eval, new Function) or wasm bytes;
// - no window, document, self, globalThis or global: absent, as on a phone (`typeof` says
//   "undefined"; js-sys's global lookup and the browser transport probe them that way);
// - WXWebAssembly.instantiate(path, imports) taking only the path of a .wasm or .wasm.br
//   file inside the code package, resolving to the Instance as WeChat's typings say;
// - CommonJS `require` confined to the code package: relative and package-absolute paths
//   ("/heartbeat-ws/index.js", ".js" optional), nothing outside it, no Node modules.
// The code package is a set of folders mounted at package paths; the platform API objects
// (wx…) and page constructors (Page, App, getApp) are passed in as globals.

import { existsSync, readFileSync, statSync } from "node:fs";
import { posix, join } from "node:path";
import vm from "node:vm";
import { brotliDecompressSync } from "node:zlib";

export const UNTOUCHABLE = ["WebAssembly", "TextEncoder", "TextDecoder", "fetch", "URL", "eval", "Function"];
export const ABSENT = ["window", "document", "self", "globalThis", "global"];

/**
 * A phone-shaped sandbox. `mounts`: { "/package/path": "host/folder" }; `globals`: what else
 * the logic layer has (wx, Page…); `moduleFilenames`: whether modules get `__filename` (their
 * package path), as some platforms' module systems give and WeChat's does not;
 * `instanceOnly`: WXWebAssembly resolves to the Instance (WeChat's typings) rather than to
 * the standard `{ module, instance }`.
 */
export function phone({ mounts, globals = {}, moduleFilenames = false, instanceOnly = true }) {
  const loads = [];
  const WXWebAssembly = {
    instantiate(path, imports) {
      loads.push(path);
      if (typeof path !== "string") return Promise.reject(new TypeError("WXWebAssembly.instantiate: the first argument must be a code-package path"));
      const file = packageFile(mounts, path);
      if (!file || !/\.wasm(\.br)?$/.test(path)) return Promise.reject(new Error(`WXWebAssembly.instantiate: no .wasm or .wasm.br file at ${path} in the code package`));
      const bytes = path.endsWith(".br") ? brotliDecompressSync(readFileSync(file)) : readFileSync(file);
      return WebAssembly.instantiate(bytes, imports).then(({ module, instance }) => (instanceOnly ? instance : { module, instance }));
    },
  };
  const context = vm.createContext(
    { console, setTimeout, clearTimeout, setInterval, clearInterval, WXWebAssembly, ...globals },
    { name: "phone", codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext(
    `(() => {
       const scope = globalThis;
       for (const name of ${JSON.stringify(ABSENT)}) delete scope[name];
       for (const name of ${JSON.stringify(UNTOUCHABLE)}) {
         Object.defineProperty(scope, name, { get() { throw new ReferenceError(name + " is not defined on a phone"); }, configurable: false });
       }
     })()`,
    context,
  );

  const modules = new Map();
  const load = (path) => {
    const cached = modules.get(path);
    if (cached) return cached.exports;
    const file = packageFile(mounts, path);
    if (!file) throw new Error(`module "${path}" is not defined`);
    const module = { exports: {} };
    modules.set(path, module);
    const params = ["require", "module", "exports", ...(moduleFilenames ? ["__filename"] : [])];
    const body = vm.compileFunction(readFileSync(file, "utf8"), params, { parsingContext: context, filename: file });
    body.call(module.exports, requireFrom(path), module, module.exports, path);
    return module.exports;
  };
  const requireFrom = (from) => (specifier) => {
    if (typeof specifier !== "string" || !/^(\/|\.\/|\.\.\/)/.test(specifier)) {
      throw new Error(`module "${specifier}" is not defined: only paths inside the code package can be required`);
    }
    const path = specifier.startsWith("/") ? posix.normalize(specifier) : posix.join(posix.dirname(from), specifier);
    return load(path.endsWith(".js") ? path : path + ".js");
  };

  return {
    context,
    /** Every path WXWebAssembly.instantiate was called with. */
    loads,
    /** Runs `require(specifier)` as the module at package path `from` would. */
    require: (specifier, from = "/app.js") => requireFrom(from)(specifier),
    /** Evaluates `code` in the sandbox. */
    run: (code) => vm.runInContext(code, context),
    /** What the platform makes of received bytes: an ArrayBuffer of the sandbox's realm. */
    realm: {
      arrayBuffer: vm.runInContext("(bytes) => { const copy = new ArrayBuffer(bytes.byteLength); new Uint8Array(copy).set(new Uint8Array(bytes)); return copy; }", context),
      Uint8Array: vm.runInContext("Uint8Array", context),
      resolve: vm.runInContext("(value) => Promise.resolve(value)", context),
    },
  };
}

/** The host file at package path `path` (leading "/" optional), or null outside every mount. */
function packageFile(mounts, path) {
  const normalized = posix.normalize(path.startsWith("/") ? path : "/" + path);
  const mount = Object.keys(mounts)
    .filter((prefix) => normalized === prefix || normalized.startsWith(prefix.endsWith("/") ? prefix : prefix + "/"))
    .sort((a, b) => b.length - a.length)[0];
  if (mount === undefined) return null;
  const file = join(mounts[mount], normalized.slice(mount.length));
  return existsSync(file) && statSync(file).isFile() ? file : null;
}
