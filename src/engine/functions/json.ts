/**
 * `json VALUE`: VALUE as minified JSON with object keys sorted (fast-json-stable-stringify, the
 * same encoder as the `json` generator's output).
 */
import stringify from "fast-json-stable-stringify";
import { known, type FunctionDef } from "./call.js";
import { isRecord, textOnly, typeName } from "./values.js";

/** The kind of the first part of `v` that has no JSON form, or undefined when it all has one. */
function nonJson(v: unknown): string | undefined {
  textOnly(known(v), "a part of argument 1 (VALUE)");
  if (v === null || typeof v === "string" || typeof v === "boolean") return undefined;
  if (typeof v === "number") return Number.isFinite(v) ? undefined : "a non-finite number";
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) {
      const bad = nonJson(item);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (isRecord(v)) {
    for (const item of Object.values(v)) {
      const bad = nonJson(item);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  return typeName(v);
}

export const json: FunctionDef = {
  name: "json",
  aliases: [],
  params: ["VALUE"],
  draws: false,
  run(call) {
    call.positional().options();
    const value = known(call.args[0]);
    const bad = nonJson(value);
    if (bad !== undefined) call.fail(`${call.label(0)} has no JSON form (it holds ${bad})`, 0);
    return stringify(value);
  },
};
