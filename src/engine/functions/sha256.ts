/** `sha256 VALUE`: lowercase hex SHA-256 of VALUE's UTF-8 bytes. */
import { createHash } from "node:crypto";
import type { FunctionDef } from "./call.js";
import { utf8 } from "./values.js";

export const sha256: FunctionDef = {
  name: "sha256",
  aliases: [],
  params: ["VALUE"],
  draws: false,
  run(call) {
    call.positional().options();
    return createHash("sha256")
      .update(utf8(call.string(0)))
      .digest("hex");
  },
};
