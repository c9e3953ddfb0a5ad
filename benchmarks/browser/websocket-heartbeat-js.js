// The package's main file (what applications bundle) is a webpack UMD bundle that sets
// `exports.default` without marking itself an ES module, so a default import yields the
// exports object, not the class.
import bundle from "websocket-heartbeat-js";

export default bundle.default;
