/** `secret NAME` (ASG: `readSecret`): the value of another secret, as UTF-8 text. */
import { quote } from "../../errors.js";
import type { FunctionDef } from "./call.js";
import { decodeUtf8 } from "./values.js";

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
    const text = decodeUtf8(call.ctx.readSecret(name));
    if (text === undefined) call.fail(`secret ${quote(name)} is not UTF-8 text`, 0);
    return text;
  },
};
