/**
 * `concat A B …`: the arguments joined. `fmt FORMAT A …` (ASG's form): printf with `%s` (the next
 * argument) and `%%` (a percent sign) only. Arguments are strings or whole numbers (written in
 * decimal).
 */
import { known, type Call, type FunctionDef } from "./call.js";
import { textOnly, typeName } from "./values.js";

function piece(call: Call, i: number): string {
  const v = textOnly(known(call.args[i]), call.label(i));
  if (typeof v === "string") return v;
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  call.fail(`${call.label(i)} must be a string or a whole number, not ${typeName(v)}`, i);
}

export const concat: FunctionDef = {
  name: "concat",
  aliases: [],
  params: ["VALUE", "VALUE..."],
  draws: false,
  run(call) {
    call.positional().options();
    return call.args.map((_, i) => piece(call, i)).join("");
  },
};

export const fmt: FunctionDef = {
  name: "fmt",
  aliases: [],
  params: ["FORMAT", "VALUE..."],
  draws: false,
  run(call) {
    call.positional().options();
    const format = call.string(0);
    const values = call.args.slice(1).map((_, i) => piece(call, i + 1));
    let out = "";
    let used = 0;
    for (let i = 0; i < format.length; i++) {
      const c = format.charAt(i);
      if (c !== "%") {
        out += c;
        continue;
      }
      const next = format.charAt(++i);
      if (next === "%") out += "%";
      else if (next === "s" && used < values.length) out += values[used++] ?? "";
      else if (next === "s") used++;
      else call.fail(`${call.label(0)} may only use %s and %%`, 0);
    }
    if (used !== values.length) {
      call.fail(
        `${call.label(0)} has ${used} %s but ${values.length} value${values.length === 1 ? " was" : "s were"} given`,
        0,
      );
    }
    return out;
  },
};
