// The WebSocket server's base URL, as in the article (app.globalData.wsUrl). This one is
// the dev server of `make demo` on this computer, for WeChat DevTools with domain checks
// off; a phone needs a wss:// URL on a domain in the mini-program's socket whitelist.
App({
  globalData: { wsUrl: "ws://127.0.0.1:8787/ws/" },
});
