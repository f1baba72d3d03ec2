/** `sha256 VALUE`: lowercase hex SHA-256 of VALUE's UTF-8 bytes (or a non-text secret's bytes). */
import { createHash } from "node:crypto";
import type { FunctionDef } from "./call.js";

export const sha256: FunctionDef = {
  name: "sha256",
  aliases: [],
  params: ["VALUE"],
  draws: false,
  run(call) {
    call.positional().options();
    return createHash("sha256").update(call.bytes(0)).digest("hex");
  },
};
