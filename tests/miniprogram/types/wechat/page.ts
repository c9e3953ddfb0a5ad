// A WeChat page handing `wx`, as miniprogram-api-typings declares it, to the transport.
import { miniProgramTransport } from "../../../../js/miniprogram.js";
import type { LifecycleSignals, Transport, TransportSocket } from "../../../../js/transport.js";

Page({
  onLoad() {
    const transport: Transport = miniProgramTransport(wx);
    const socket: TransportSocket = transport.connect("wss://example.com/ws", ["chat"]);
    socket.onmessage = (event: { data: string | ArrayBuffer }) => console.log(event.data);
    const signals: LifecycleSignals = { online() {}, offline() {}, foreground() {}, background() {} };
    miniProgramTransport(wx).watchLifecycle(signals)();
    const legacy = miniProgramTransport(wx, { legacy: true, base64: false });
    if (legacy.claim) legacy.claim()();
    // @ts-expect-error: not a platform API object
    miniProgramTransport({ request: wx.request });
    // @ts-expect-error: legacy is a boolean
    miniProgramTransport(wx, { legacy: "yes" });
    // @ts-expect-error: unknown option
    miniProgramTransport(wx, { multiple: true });
  },
});
