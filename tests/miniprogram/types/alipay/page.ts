// An Alipay page handing `my`, as @mini-types/alipay declares it, to the transport.
import { miniProgramTransport } from "../../../../js/miniprogram.js";
import type { Transport } from "../../../../js/transport.js";

Page({
  onLoad() {
    const transport: Transport = miniProgramTransport(my);
    transport.connect("wss://example.com/ws").close(1000, "bye");
    miniProgramTransport(my, { legacy: true, base64: true });
  },
});
