/**
 * `trim VALUE`: VALUE without leading and trailing ASCII whitespace (space, tab, LF, VT, FF, CR).
 * Fixed to ASCII so the result never depends on the Unicode tables of a Node version.
 */
import type { FunctionDef } from "./call.js";

export const trim: FunctionDef = {
  name: "trim",
  aliases: [],
  params: ["VALUE"],
  draws: false,
  run(call) {
    call.positional().options();
    return call.string(0).replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, "");
  },
};
