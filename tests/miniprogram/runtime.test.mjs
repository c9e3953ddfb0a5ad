// The mini-program transport as a mini-program runtime sees it: ES2017 syntax (older
// iOS engines), and none of the globals phones lack (WebAssembly, TextEncoder,
// TextDecoder, fetch, URL, window, document, self, globalThis) nor eval / new Function.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import vm from "node:vm";

import esbuild from "esbuild";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const ENTRY = join(ROOT, "js/miniprogram.js");
const FORBIDDEN = ["WebAssembly", "TextEncoder", "TextDecoder", "fetch", "URL", "window", "document", "self", "globalThis", "eval", "Function"];

/** The transport and everything it imports, as one script defining `mp`. */
function bundle(target) {
  const result = esbuild.buildSync({ entryPoints: [ENTRY], bundle: true, format: "iife", globalName: "mp", target, write: false, metafile: true, logLevel: "silent" });
  return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
}

test("the transport and its imports use ES2017 syntax only (esbuild has nothing to lower)", () => {
  const es2017 = bundle("es2017");
  assert.ok(es2017.inputs.some((input) => input.endsWith("js/base64.js")), "the bundle holds the imports");
  for (const input of es2017.inputs) {
    const source = readFileSync(join(ROOT, input), "utf8");
    const lowered = esbuild.transformSync(source, { target: "es2017", format: "esm" }).code;
    const asIs = esbuild.transformSync(source, { target: "esnext", format: "esm" }).code;
    assert.equal(lowered, asIs, `${input} uses syntax newer than ES2017`);
  }
});

test("the mini-program build's own modules (entry, UTF-8 coding, glue scope) use ES2017 syntax only", () => {
  for (const file of ["js/miniprogram-entry.js", "js/utf8.js", "js/miniprogram-glue-scope.js"]) {
    const source = readFileSync(join(ROOT, file), "utf8");
    const lowered = esbuild.transformSync(source, { target: "es2017", format: "esm" }).code;
    assert.equal(lowered, esbuild.transformSync(source, { target: "esnext", format: "esm" }).code, `${file} uses syntax newer than ES2017`);
  }
});

test("it runs where the browser-only globals are missing: touching one throws", () => {
  const context = vm.createContext({ console, setTimeout });
  // Names that a fresh context still has (WebAssembly, globalThis, eval, Function) throw when read.
  vm.runInContext(
    `const global = globalThis;
     for (const name of ${JSON.stringify(FORBIDDEN)}) {
       Object.defineProperty(global, name, { get() { throw new Error("touched " + name); }, configurable: true });
     }`,
    context,
  );
  vm.runInContext(bundle("es2017").code, context);
  // Every path: a SocketTask with Alipay's base64, the legacy API, the lifecycle hooks.
  const outcome = vm.runInContext(
    `(() => {
       const seen = [];
       const listeners = {};
       const task = { sent: [], closed: [] };
       for (const name of ["Open", "Message", "Error", "Close"]) {
         task["on" + name] = (listener) => (listeners[name] = listener);
         task["off" + name] = () => {};
       }
       task.send = (options) => task.sent.push(options);
       task.close = (options) => task.closed.push(options);
       const hooks = {};
       const my = {
         connectSocket: () => task,
         onNetworkStatusChange: (listener) => (hooks.network = listener),
         offNetworkStatusChange: () => {},
         onAppShow: (listener) => (hooks.show = listener),
         onAppHide: (listener) => (hooks.hide = listener),
       };
       const transport = mp.miniProgramTransport(my);
       const stop = transport.watchLifecycle({ online: () => seen.push("online"), offline: () => seen.push("offline"), foreground: () => seen.push("foreground"), background: () => seen.push("background") });
       hooks.network({ isConnected: false });
       hooks.hide();
       hooks.show();
       stop();
       const socket = transport.connect("wss://h/ws?token=s3cret", "chat");
       socket.onopen = () => seen.push("open");
       socket.onmessage = (event) => seen.push(new Uint8Array(event.data).join(","));
       socket.onerror = (event) => seen.push(event.message);
       socket.onclose = (event) => seen.push(event.code + " " + event.reason);
       listeners.Open({});
       socket.send(new Uint8Array([1, 2, 3]).subarray(1));
       listeners.Message({ data: { data: task.sent[0].data, isBuffer: true } });
       listeners.Error({ errorMessage: "fail wss://h/ws?token=s3cret", error: 9 });
       const legacy = { sent: [], connectSocket: () => undefined, sendSocketMessage: (options) => legacy.sent.push(options), closeSocket: () => {} };
       for (const name of ["Open", "Message", "Error", "Close"]) legacy["onSocket" + name] = (listener) => (legacy[name] = listener);
       const old = mp.miniProgramTransport(legacy, { legacy: true });
       const release = old.claim();
       const oldSocket = old.connect("wss://h/ws");
       oldSocket.onopen = () => seen.push("legacy open");
       legacy.Open({});
       oldSocket.send("hi");
       oldSocket.close(1000, "bye");
       release();
       return { seen, sent: task.sent[0].isBuffer, legacySent: legacy.sent[0].data };
     })()`,
    context,
  );
  assert.deepEqual(JSON.parse(JSON.stringify(outcome)), {
    seen: ["offline", "background", "foreground", "open", "2,3", "fail wss://h/ws (error 9)", "1006 fail wss://h/ws (error 9)", "legacy open"],
    sent: true,
    legacySent: "hi",
  });
});
