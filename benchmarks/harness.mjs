// What the browser benchmarks share: the page scripts bundled with esbuild, a static
// server on loopback for them and pkg/, headless Chromium, and the dev server (the
// Chromium binary, its flags and the dev server come from the e2e tests' support.mjs).

import { readFile } from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { chromium } from "playwright-core";
import { CHROMIUM, CHROMIUM_ARGS, startDevServer as startE2eDevServer } from "../tests/e2e/support.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "..");
const PAGES = ["messages", "silent"];
const TYPES = { ".js": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

/** Bundles each page script with the npm libraries it imports; pkg/ stays a separate,
 * unmodified module so that the shipped package is what gets measured. */
async function bundlePages() {
  const result = await esbuild.build({
    entryPoints: PAGES.map((page) => path.join(HERE, "browser", `${page}.js`)),
    bundle: true,
    format: "esm",
    external: ["/pkg/*"],
    outdir: "/",
    write: false,
    logLevel: "warning",
  });
  return new Map(result.outputFiles.map((file) => [`/${path.basename(file.path)}`, file.contents]));
}

/** Serves `/<page>.html`, the bundles and `/pkg/…` on 127.0.0.1; resolves with its origin. */
export async function startStaticServer() {
  const files = await bundlePages();
  for (const page of PAGES) {
    files.set(`/${page}.html`, `<!doctype html><meta charset="utf-8"><script type="module" src="/${page}.js"></script>`);
  }
  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url, "http://localhost");
    let body = files.get(pathname);
    if (body === undefined && pathname.startsWith("/pkg/") && !pathname.includes("..")) {
      body = await readFile(path.join(ROOT, pathname)).catch(() => undefined);
    }
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { "content-type": TYPES[path.extname(pathname)], "cache-control": "no-store" }).end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { origin: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((resolve) => server.close(resolve)) };
}

export async function launchBrowser() {
  // --expose-gc: the pages collect garbage before each timed run (see browser/messages.js).
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless=new", "--js-flags=--expose-gc", ...CHROMIUM_ARGS] });
  return {
    version: browser.version(),
    /** A page in a fresh context, once the expression `ready` is truthy in it. */
    async open(url, ready) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const problems = [];
      page.on("pageerror", (error) => problems.push(error.message));
      page.on("console", (message) => message.type() === "error" && problems.push(message.text()));
      await page.goto(url);
      await page.waitForFunction(ready, undefined, { timeout: 15_000 }).catch((error) => {
        throw new Error(`${url} never got ready (is pkg/ built?): ${problems.join("; ") || error.message}`);
      });
      return { page, close: () => context.close() };
    },
    close: () => browser.close(),
  };
}

/** target/debug/heartbeat-ws-devserver on a free port, quiet and with no static files;
 * `{ wsUrl, stop() }` are what the benchmarks use. */
export function startDevServer() {
  return startE2eDevServer({ statics: {}, args: ["--quiet"] });
}
