// js/miniprogram.d.ts against each platform's own typings: a page passing wx
// (miniprogram-api-typings), my (@mini-types/alipay), uni (@dcloudio/types) and Taro
// (@tarojs/taro) must compile under --strict without a cast, in a project set up like
// WeChat's TypeScript template (lib ES2020, no "dom"); see each tsconfig.json for why a
// library's own files are skipped. The `@ts-expect-error` lines must be errors.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

for (const project of ["wechat", "alipay", "uni", "taro"]) {
  test(`the ${project} page type-checks with the platform's own typings`, () => {
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", join(ROOT, "tests/miniprogram/types", project)], {
      encoding: "utf8",
    });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
  });
}
