// The README's migration section against the code: its option table lists every option of
// ReconnectingWebSocket, in order, with the defaults js/reconnecting.js applies.

import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

import { DEFAULTS, MIN_DELAY_FLOOR, MIN_DELAY_SPREAD, optionNames } from "../../js/reconnecting.js";
import { ROOT, assert } from "./support.mjs";

const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
const section = readme.slice(readme.indexOf("## Migrating from reconnecting-websocket"), readme.indexOf("## Options"));
// `| \`name\` | default | meaning |` rows: name -> default cell.
const rows = new Map([...section.matchAll(/^\| `(\w+)` \| (.+?) \| .+ \|$/gm)].map((match) => [match[1], match[2]]));

test("the option table lists every option, in order", () => {
  assert.deepEqual([...rows.keys()], optionNames());
});

test("the option table states the defaults the code applies", () => {
  for (const [name, value] of Object.entries(DEFAULTS)) assert.equal(rows.get(name), `\`${value}\``, name);
  assert.equal(rows.get("minReconnectionDelay"), `\`${MIN_DELAY_FLOOR} + Math.random() * ${MIN_DELAY_SPREAD}\``);
});
