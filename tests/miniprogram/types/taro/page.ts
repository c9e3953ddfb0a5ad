// A Taro page handing `Taro`, as @tarojs/taro declares it, to the transport.
import Taro from "@tarojs/taro";
import { miniProgramTransport } from "../../../../js/miniprogram.js";
import type { Transport } from "../../../../js/transport.js";

export function onLoad(): void {
  const transport: Transport = miniProgramTransport(Taro);
  transport.connect("wss://example.com/ws").send("hello");
}
