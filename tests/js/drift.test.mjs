// Facts repeated in README.md and js/api.d.cts (the types), held to their one home: option
// names to js/options.js SCHEMA, event types to js/listeners.js EVENT_TYPES, and the two
// documents' defaults to each other (and to HeartbeatSocket.defaults in
// tests/package/defaults.test.mjs; the wasm side's event types: the scenario
// everyEventTypeIsEmitted in tests/support/scenarios.js).

import assert from "node:assert/strict";
import { test } from "node:test";

import { EVENT_TYPES } from "../../js/listeners.js";
import { SCHEMA } from "../../js/options.js";
import { paths, readmeEvents, readmeOptions, typeEvents, typeOptions } from "./documented.mjs";

const schemaPaths = paths(SCHEMA, Array.isArray);

test("the types and the README name exactly the options of SCHEMA", () => {
  assert.deepEqual([...typeOptions().keys()].sort(), [...schemaPaths].sort(), "js/api.d.cts's option interfaces");
  assert.deepEqual([...readmeOptions().keys()].sort(), [...schemaPaths].sort(), "README.md's Options table");
});

test("the types and the README give the same defaults", () => {
  const readme = readmeOptions();
  for (const [path, value] of typeOptions()) {
    assert.equal(readme.get(path), value, `the default of ${path}: README.md says [${readme.get(path)}], js/api.d.cts [${value}]`);
  }
});

test("the types and the README list exactly EVENT_TYPES, in order", () => {
  const { map, handlers } = typeEvents();
  assert.deepEqual(
    map.map((entry) => entry.key),
    EVENT_TYPES,
    "HeartbeatSocketEventMap's keys",
  );
  for (const { key, type } of map) assert.equal(type, key, `the event interface of ${key} declares type "${key}"`);
  assert.deepEqual(handlers, EVENT_TYPES.map((type) => `on${type}`), "HeartbeatSocket's onX properties");
  assert.deepEqual(readmeEvents(), EVENT_TYPES, "README.md's events table");
});
