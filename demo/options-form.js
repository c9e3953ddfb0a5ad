// The "Options" form: the HeartbeatSocket options of the main panel, editable live.
// The form is generated from FIELDS so each field is declared once, with its option path;
// values are not checked here on purpose: the library validates its options itself and
// its TypeError (which names the field) is shown under the form.

/** Demo defaults: much shorter than the library's, so things happen while you watch. */
export const DEMO_OPTIONS = {
  heartbeat: { interval: 2000, timeout: 2000, anyMessage: true, answer: { ping: "ping", pong: "pong" } },
  reconnect: { delay: 500, maxDelay: 8000, factor: 2, jitter: 0.5, maxRetries: Infinity },
  connectTimeout: 3000,
  queue: { max: 20, overflow: "drop-oldest" },
};

const FIELDS = [
  {
    legend: "Heartbeat",
    fields: [
      { path: "heartbeat.interval", label: "interval", unit: "ms", hint: "Ping after this long without a sign of life." },
      { path: "heartbeat.timeout", label: "timeout", unit: "ms", hint: "Declare the connection dead if no pong comes within this." },
      { path: "heartbeat.anyMessage", label: "any message proves life", type: "checkbox", hint: "heartbeat.anyMessage: incoming messages also count as a pong." },
      { path: "heartbeat.answer", label: "answer server pings", type: "checkbox", hint: "heartbeat.answer = { ping: \"ping\", pong: \"pong\" }: reply to a server-driven heartbeat." },
    ],
  },
  {
    legend: "Reconnect",
    fields: [
      { path: "reconnect.delay", label: "delay", unit: "ms", hint: "First retry delay." },
      { path: "reconnect.maxDelay", label: "max delay", unit: "ms", hint: "Cap of the exponential backoff." },
      { path: "reconnect.factor", label: "factor", unit: "×", step: "0.1", hint: "Each retry waits this many times longer." },
      { path: "reconnect.jitter", label: "jitter", unit: "0–1", step: "0.1", hint: "Each delay is drawn from [(1 − jitter) · base, base], so clients do not retry in lockstep." },
      { path: "reconnect.maxRetries", label: "max retries", unit: "", placeholder: "∞", hint: "Give up after this many failed retries (empty: never)." },
      { path: "connectTimeout", label: "connect timeout", unit: "ms", hint: "Abandon a handshake that takes longer than this." },
    ],
  },
  {
    legend: "Send queue",
    fields: [
      { path: "queue.max", label: "max messages", unit: "", hint: "Messages sent while disconnected wait here, up to this many." },
      { path: "queue.overflow", label: "overflow", type: "select", choices: ["drop-oldest", "drop-newest", "throw"], hint: "What a full queue does with one more message." },
    ],
  },
];

const get = (object, path) => path.split(".").reduce((value, key) => value?.[key], object);

function set(object, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  let target = object;
  for (const key of keys) target = target[key] ??= {};
  target[last] = value;
}

export class OptionsForm {
  /** `onApply(options)` runs on submit and may throw; its message is shown. */
  constructor(form, onApply) {
    this.form = form;
    this.error = form.querySelector("[data-ref=error]");
    const body = form.querySelector("[data-ref=fields]");
    for (const group of FIELDS) body.append(fieldset(group));
    this.fill(DEMO_OPTIONS);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.showError(null);
      try {
        onApply(this.read());
      } catch (error) {
        this.showError(error.message);
      }
    });
    form.querySelector("[data-ref=reset]").addEventListener("click", () => {
      this.fill(DEMO_OPTIONS);
      form.requestSubmit();
    });
  }

  fill(options) {
    for (const { fields } of FIELDS) {
      for (const field of fields) {
        const input = this.form.elements[field.path];
        const value = get(options, field.path);
        if (field.type === "checkbox") input.checked = Boolean(value);
        else input.value = value === Infinity || value === undefined ? "" : String(value);
      }
    }
  }

  /** The options the form describes (without url). */
  read() {
    const options = {};
    for (const { fields } of FIELDS) {
      for (const field of fields) {
        const input = this.form.elements[field.path];
        if (field.path === "heartbeat.answer") {
          set(options, field.path, input.checked ? { ping: "ping", pong: "pong" } : false);
        } else if (field.type === "checkbox") {
          set(options, field.path, input.checked);
        } else if (field.type === "select") {
          set(options, field.path, input.value);
        } else if (input.value.trim() === "") {
          // Empty: "never" for maxRetries, the library's default otherwise.
          if (field.path === "reconnect.maxRetries") set(options, field.path, Infinity);
        } else {
          set(options, field.path, Number(input.value));
        }
      }
    }
    return options;
  }

  /** Shows `message` (or clears it) and marks the field it names, e.g. "reconnect.jitter: …". */
  showError(message) {
    for (const input of this.form.querySelectorAll(".invalid")) input.classList.remove("invalid");
    this.error.textContent = message ?? "";
    this.error.hidden = !message;
    const path = message && /^([\w.]+):/.exec(message)?.[1];
    if (path && this.form.elements[path]) this.form.elements[path].classList.add("invalid");
  }
}

function fieldset({ legend, fields }) {
  const set = document.createElement("fieldset");
  const title = document.createElement("legend");
  title.textContent = legend;
  set.append(title);
  for (const field of fields) {
    const label = document.createElement("label");
    label.className = field.type === "checkbox" ? "check" : "field";
    label.title = field.hint;
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = field.label;
    let input;
    if (field.type === "select") {
      input = document.createElement("select");
      for (const choice of field.choices) input.append(new Option(choice, choice));
    } else {
      input = document.createElement("input");
      input.type = field.type === "checkbox" ? "checkbox" : "text";
      if (field.type !== "checkbox") {
        // Text with a numeric keyboard rather than type=number: a typo reaches the
        // library as NaN and its TypeError explains it, instead of silently becoming "".
        input.inputMode = "decimal";
        input.placeholder = field.placeholder ?? "default";
      }
    }
    input.name = field.path;
    if (field.type === "checkbox") {
      label.append(input, name);
    } else {
      const unit = document.createElement("span");
      unit.className = "unit";
      unit.textContent = field.unit ?? "";
      const box = document.createElement("span");
      box.className = "input-box";
      box.append(input, unit);
      label.append(name, box);
    }
    set.append(label);
  }
  return set;
}
