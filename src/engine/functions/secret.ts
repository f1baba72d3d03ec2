/**
 * `secret NAME` (ASG: `readSecret`): the value of another secret, as UTF-8 text; a value that is
 * not UTF-8 comes as SecretBytes, for the functions that take bytes.
 */
import type { FunctionDef } from "./call.js";
import { SecretBytes, decodeUtf8 } from "./values.js";

export const secret: FunctionDef = {
  name: "secret",
  aliases: ["readSecret"],
  params: ["NAME"],
  draws: false,
  run(call) {
    call.positional().options();
    const name = call.string(0);
    if (name === "") call.fail(`${call.label(0)} must not be empty`, 0);
    // NeedSecret (not rendered yet) and unknown-name or cycle errors propagate unchanged.
    const value = call.ctx.readSecret(name);
    return decodeUtf8(value) ?? new SecretBytes(name, value);
  },
};
