// miniProgramTransport and its types on their own (tests/miniprogram/types/ checks them
// against each platform's typings). Declared in api.d.cts.

export { miniProgramTransport } from "./api.cjs";
export type { MiniProgramApi, MiniProgramSocketTask, MiniProgramTransport, MiniProgramTransportOptions } from "./api.cjs";
