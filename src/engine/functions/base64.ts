/**
 * `base64 VALUE`: standard base64 (RFC 4648 §4, `+/`, `=` padding) of VALUE's UTF-8 bytes, or of
 * the bytes of a secret that is not UTF-8 text.
 */
import type { FunctionDef } from "./call.js";

export const base64: FunctionDef = {
  name: "base64",
  aliases: [],
  params: ["VALUE"],
  draws: false,
  run(call) {
    call.positional().options();
    return Buffer.from(call.bytes(0)).toString("base64");
  },
};
