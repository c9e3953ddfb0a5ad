// The bundler target as an app imports it: no init, the bundler loads the wasm.
import * as api from "heartbeat-ws";
import { run } from "./page.js";

run(api);
