// The article's page, rebuilt with heartbeat-ws: the same URL and the same behaviour
// (HeartbeatSocket.presets.article: "ping" every 10 s, "pong" within 10 s, a retry every
// 5 s, at most 12), without its heartbeat and reconnect plumbing.
const { init, HeartbeatSocket, miniProgramTransport } = require("../../heartbeat-ws/index.js");

const app = getApp();

Page({
  data: { state: "connecting", rtt: null, attempts: 0, messages: [] },

  onLoad(options) {
    const url = app.globalData.wsUrl + "websocket?" + options.taskId + "&" + options.userId;
    init("/heartbeat-ws/heartbeat_ws_bg.wasm").then(() => {
      if (this.unloaded) return;
      const socket = new HeartbeatSocket({ ...HeartbeatSocket.presets.article, url, transport: miniProgramTransport(wx) });
      socket.onstatechange = (event) => this.setData({ state: event.to });
      socket.onheartbeat = (event) => this.setData({ rtt: event.rtt });
      socket.onreconnecting = (event) => this.setData({ attempts: event.attempt });
      socket.onmessage = (event) => this.setData({ messages: this.data.messages.concat({ id: this.data.messages.length, text: String(event.data) }) });
      this.socket = socket;
    });
  },

  send() {
    // Sent now if open; otherwise queued and sent on the next open.
    this.socket.send("你好 👋");
  },

  onUnload() {
    this.unloaded = true;
    if (this.socket) this.socket.close();
  },
});
