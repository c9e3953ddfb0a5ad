// Types of the Node entry as an ES module (pkg/node.mjs): the same as node.d.cts.

export * from "./node.cjs";
export { default } from "./node.cjs";
