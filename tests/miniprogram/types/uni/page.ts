// A uni-app page handing `uni`, as @dcloudio/types declares it, to the transport.
import { miniProgramTransport } from "../../../../js/miniprogram.js";
import type { Transport } from "../../../../js/transport.js";

export function onLoad(): void {
  const transport: Transport = miniProgramTransport(uni);
  transport.connect("wss://example.com/ws").send(new Uint8Array([1, 2]));
}
