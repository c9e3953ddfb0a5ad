// The fault buttons: one per fault the dev server can inject (devserver/README.md).
// Each fault is data, so the list below doubles as a readable catalogue:
//   patch(value) -> body of POST /api/connections/{id}, sent to the demo's own sockets;
//   server(value) -> a server-wide change, applied first (refuse or stall upgrades);
//   outage: the countdown line under the buttons while that change lasts (`value` s);
//   kills: the connection is expected to end, so the panels time how long each socket
//          takes to notice (the point of a heartbeat).

import * as api from "./devserver-api.js";

const FAULT_GROUPS = [
  {
    title: "Kill the connection",
    faults: [
      {
        id: "silent", label: "Silent", kills: true,
        hint: "Half-open: the server stops reading and writing but never closes, like a dead NAT mapping or a phone that lost its network. The browser notices nothing; only a heartbeat can.",
        patch: () => ({ mode: "silent" }),
      },
      {
        id: "no-pong", label: "No pong", kills: true,
        hint: "The server keeps echoing messages but swallows the heartbeat pings.",
        patch: () => ({ mode: "no-pong" }),
      },
      {
        id: "drop", label: "TCP drop", kills: true,
        hint: "Resets the TCP connection without a close frame (the browser reports 1006).",
        patch: () => ({ drop: { after: 0 } }),
      },
    ],
  },
  {
    title: "Server closes with a code",
    faults: [
      {
        id: "close-4001", label: "Close 4001", kills: true,
        hint: "An application code (4000–4999), e.g. \"kicked by the server\".",
        patch: () => ({ close: { code: 4001, reason: "kicked by the server", after: 0 } }),
      },
      {
        id: "close-1008", label: "Close 1008", kills: true,
        hint: "Policy violation (RFC 6455): a retry cannot fix it, so by default the socket stays closed. \"Reconnect now\" revives it.",
        patch: () => ({ close: { code: 1008, reason: "policy violation", after: 0 } }),
      },
      {
        id: "close-1000", label: "Close 1000", kills: true,
        hint: "A normal close from the server: the socket still reconnects, since the page did not ask to stop.",
        patch: () => ({ close: { code: 1000, reason: "normal closure", after: 0 } }),
      },
    ],
  },
  {
    title: "Change the traffic",
    faults: [
      {
        id: "slow-pongs", label: "Slow pongs", param: { value: 1500, unit: "ms", min: 0, step: 100 },
        hint: "Delay every pong. Below the heartbeat timeout it shows in the RTT chart; above it the connection is declared dead.",
        patch: (ms) => ({ pongDelay: ms }),
      },
      {
        id: "push", label: "Server pushes", param: { value: 1000, unit: "ms", min: 100, step: 100 },
        hint: "The server sends \"push N\" every so often. With heartbeat.anyMessage, incoming traffic proves the link is alive, so fewer pings are needed.",
        patch: (ms) => ({ push: ms }),
      },
      {
        id: "server-ping", label: "Server pings", param: { value: 1000, unit: "ms", min: 100, step: 100 },
        hint: "The server sends \"ping\" and expects \"pong\"; the socket answers it when heartbeat.answer is set.",
        patch: (ms) => ({ serverPing: ms }),
      },
    ],
  },
  {
    title: "Outage (whole server)",
    faults: [
      {
        id: "refuse", label: "Refuse upgrades", param: { value: 6, unit: "s", min: 1, step: 1 }, kills: true,
        outage: "Refusing upgrades",
        hint: "A backend restart: the demo's connections are dropped and every new one gets 503 for a while. Watch the retries fail and back off.",
        server: (s) => api.refuse(s * 1000),
        patch: () => ({ drop: { after: 0 } }),
      },
      {
        id: "stall", label: "Stall handshakes", param: { value: 6, unit: "s", min: 1, step: 1 }, kills: true,
        outage: "Stalling upgrades",
        hint: "A hung load balancer: the demo's connections are dropped and new ones are accepted by TCP but never answered; only connectTimeout gets the socket out.",
        server: (s) => api.stall(s * 1000),
        patch: () => ({ drop: { after: 0 } }),
      },
    ],
  },
];

/** Heals everything the buttons above can break. */
export const BACK_TO_NORMAL = {
  id: "normal", label: "Back to normal",
  hint: "Cancel any outage and make the demo's connections plain echo servers again.",
  patch: () => ({ mode: "echo", pongDelay: 0, push: 0, serverPing: 0 }),
  server: async () => Promise.all([api.refuse(0), api.stall(0)]),
};

/**
 * Builds the buttons into `container`; `onFault(fault, value)` runs on click with the
 * value of the fault's number field (if it has one).
 */
export function renderFaults(container, onFault) {
  for (const group of FAULT_GROUPS) {
    const section = document.createElement("div");
    section.className = "fault-group";
    section.innerHTML = `<h3></h3><div class="fault-buttons"></div>`;
    section.querySelector("h3").textContent = group.title;
    const buttons = section.querySelector(".fault-buttons");
    for (const fault of group.faults) buttons.append(faultControl(fault, onFault));
    container.append(section);
  }
  const heal = faultControl(BACK_TO_NORMAL, onFault);
  heal.classList.add("heal");
  container.append(heal);
}

function faultControl(fault, onFault) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "fault";
  button.dataset.fault = fault.id;
  button.textContent = fault.label;
  button.title = fault.hint;
  if (!fault.param) {
    button.addEventListener("click", () => onFault(fault));
    return button;
  }
  // A button with its own number field, e.g. [Slow pongs | 1500 ms].
  const wrapper = document.createElement("div");
  wrapper.className = "fault-with-param";
  const field = document.createElement("label");
  field.className = "param";
  const input = document.createElement("input");
  Object.assign(input, { type: "number", value: fault.param.value, min: fault.param.min, step: fault.param.step });
  input.setAttribute("aria-label", `${fault.label} (${fault.param.unit})`);
  input.dataset.param = fault.id;
  field.append(input, fault.param.unit);
  button.addEventListener("click", () => onFault(fault, Number(input.value)));
  wrapper.append(button, field);
  return wrapper;
}
