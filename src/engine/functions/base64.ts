/** `base64 VALUE`: standard base64 (RFC 4648 §4, `+/`, `=` padding) of VALUE's UTF-8 bytes. */
import type { FunctionDef } from "./call.js";
import { utf8 } from "./values.js";

export const base64: FunctionDef = {
  name: "base64",
  aliases: [],
  params: ["VALUE"],
  draws: false,
  run(call) {
    call.positional().options();
    return Buffer.from(utf8(call.string(0))).toString("base64");
  },
};
