// What README.md and js/api.d.cts (read with the TypeScript compiler's parser) say about
// the options and the events, for the tests that hold them to their homes: option names
// to js/options.js SCHEMA, defaults to HeartbeatSocket.defaults (src/core/config.rs),
// event types to js/listeners.js EVENT_TYPES.
//
// A default is written in brackets: `[10000]`, `["ping"]`, `[Infinity]`, `[none]`,
// `` [`browserTransport()`] ``; code spans and Markdown links aside, an option's text has
// at most one.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");

/** The default bracketed in `text` (its inside, as written), or undefined. */
function bracketed(text, where) {
  // Code spans go (`[1 - jitter, 1]` is no default), unless a bracket holds one.
  const prose = text.replace(/(?<!\[)`[^`]*`/g, "``");
  const found = [...prose.matchAll(/\[([^\]]+)\](?!\()/g)].map((match) => match[1]);
  assert.ok(found.length <= 1, `${where}: one default in brackets at most, found ${found.join(", ")}`);
  return found[0];
}

/** A section of README.md: from its heading to the next of the same level. */
function readmeSection(heading) {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const start = readme.indexOf(`\n${heading}\n`);
  assert.ok(start >= 0, `README.md has a section "${heading}"`);
  const level = heading.split(" ")[0];
  const end = readme.indexOf(`\n${level} `, start + heading.length + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

/**
 * README.md's Options table: every option path ("heartbeat.interval") with its bracketed
 * default (undefined when none is given). A section's fields are the `{ … }` code span of
 * its row; `answer: { ping, pong }` names the fields of a field.
 */
export function readmeOptions() {
  const options = new Map();
  for (const line of readmeSection("## Options").split("\n")) {
    const row = /^\| `(\w+)` \| (.*) \|$/.exec(line);
    if (!row) continue;
    const [, name, text] = row;
    const fields = /`(?:false or )?\{ ([^`]*) \}`/.exec(text);
    if (!fields) {
      options.set(name, bracketed(text, `README.md, option ${name}`));
      continue;
    }
    options.set(name, undefined);
    for (const field of fields[1].split(", ")) {
      const [, key, value] = /^(\w+)(?: \[(.+)\])?$/.exec(field) || [];
      assert.ok(key, `README.md, option ${name}: "${field}" is a field, with its default in brackets`);
      options.set(`${name}.${key}`, value);
    }
    for (const [, key, nested] of text.matchAll(/`(\w+): \{ ([^`]*) \}`/g)) {
      for (const field of nested.split(", ")) options.set(`${name}.${key}.${field}`, undefined);
    }
  }
  return options;
}

/** README.md's events table: the event types, in order. */
export function readmeEvents() {
  const section = readmeSection("## Members and events");
  const table = section.slice(section.indexOf("| event |"));
  return [...table.matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]);
}

/** js/api.d.cts, parsed: its declarations by name. */
function declarations() {
  const file = join(ROOT, "js/api.d.cts");
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const byName = new Map();
  for (const statement of source.statements) {
    if (statement.name) byName.set(statement.name.text, statement);
  }
  return byName;
}

/** A member's JSDoc text, tags included. */
function jsDoc(member) {
  return (member.jsDoc || []).map((doc) => ts.getTextOfJSDocComment(doc.comment) || "").join("\n");
}

/**
 * The members of the object types in `type`: `{ … }` literals, and the interfaces it names
 * that `named` accepts (e.g. a union `false | HeartbeatOptions`).
 */
function objectMembers(type, byName, named) {
  if (ts.isUnionTypeNode(type)) return type.types.flatMap((member) => objectMembers(member, byName, named));
  if (ts.isTypeLiteralNode(type)) return [type.members];
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName) && named(type.typeName.text)) {
    const declaration = byName.get(type.typeName.text);
    if (declaration && ts.isInterfaceDeclaration(declaration)) return [declaration.members];
  }
  return [];
}

/**
 * The option interfaces of js/api.d.cts, from HeartbeatSocketOptions down: every option
 * path with the default bracketed in its JSDoc (undefined when none is given).
 */
export function typeOptions() {
  const byName = declarations();
  const options = new Map();
  const walk = (members, prefix) => {
    for (const member of members) {
      const path = prefix + member.name.text;
      options.set(path, bracketed(jsDoc(member), `js/api.d.cts, option ${path}`));
      // Sections: an …Options interface, or a `{ … }` (heartbeat.answer); not a transport.
      const sections = ts.isPropertySignature(member) ? objectMembers(member.type, byName, (name) => name.endsWith("Options")) : [];
      for (const nested of sections) walk(nested, `${path}.`);
    }
  };
  walk(byName.get("HeartbeatSocketOptions").members, "");
  return options;
}

/**
 * The events of js/api.d.cts: HeartbeatSocketEventMap's keys in order, each with the `type`
 * its event interface declares, and the `on…` properties of HeartbeatSocket.
 */
export function typeEvents() {
  const byName = declarations();
  const map = byName.get("HeartbeatSocketEventMap").members.map((member) => {
    const [members] = objectMembers(member.type, byName, () => true);
    const type = members.find((field) => field.name.text === "type");
    return { key: member.name.text, type: type && ts.isLiteralTypeNode(type.type) ? type.type.literal.text : undefined };
  });
  const handlers = byName
    .get("HeartbeatSocket")
    .members.filter((member) => member.name && /^on[a-z]+$/.test(member.name.text))
    .map((member) => member.name.text);
  return { map, handlers };
}

/** Every path of a nested object of options: SCHEMA's sections and rules, or defaults' values. */
export function paths(object, isLeaf, prefix = "") {
  return Object.keys(object).flatMap((key) => {
    const value = object[key];
    const path = prefix + key;
    return isLeaf(value) ? [path] : [path, ...paths(value, isLeaf, `${path}.`)];
  });
}
