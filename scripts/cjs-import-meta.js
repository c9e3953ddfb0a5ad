// Injected into the CommonJS build of the Node entry (scripts/package.mjs): what
// `import.meta.url` is in an ES module, from the CommonJS module's own file name.
export const __importMetaUrl = require("node:url").pathToFileURL(__filename).href;
