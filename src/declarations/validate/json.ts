/** `json`: a JSON value whose `__secretgen` markers name known functions. */
import { quote } from "../../errors.js";
import { isKnownFunction } from "../function-names.js";
import { sortedNames } from "../names.js";
import type { JsonSpec } from "../types.js";
import { isObject, typeName, type At } from "./at.js";
import type { Spelling, ValidateOptions } from "./options.js";

/**
 * Checks every marker's function name statically (arguments: `checkJson`, or when rendering).
 * Returns whether every name is known.
 */
function checkMarkers(at: At, v: unknown, field: string): boolean {
  let ok = true;
  if (Array.isArray(v)) {
    v.forEach((item: unknown, i) => {
      ok = checkMarkers(at, item, `${field}[${i}]`) && ok;
    });
  } else if (isObject(v)) {
    if ("__secretgen" in v) {
      const fn = v.__secretgen;
      if (typeof fn !== "string" || !isKnownFunction(fn)) {
        at.add(
          `${field}.__secretgen`,
          `unknown function ${typeof fn === "string" ? quote(fn) : typeName(fn)}`,
        );
        ok = false;
      }
    }
    for (const key of sortedNames(Object.keys(v)))
      ok = checkMarkers(at, v[key], `${field}.${key}`) && ok;
  }
  return ok;
}

/**
 * The `json` generator at `json` (under `at`'s prefix), or undefined (reported). The engine's
 * `checkJson` runs only when every function name is known.
 */
export function validateJson(
  at: At,
  raw: unknown,
  opts: ValidateOptions,
  spelling: Spelling,
): JsonSpec | undefined {
  const o = at.object(raw, "json", ["content"]);
  if (!o) return undefined;
  if (!("content" in o)) {
    at.add("json.content", "is required");
    return undefined;
  }
  if (checkMarkers(at, o.content, "json.content")) {
    try {
      opts.checkJson?.(o.content, at.secret ?? "", "json.content");
    } catch (err) {
      at.addError(err, "json.content");
      return undefined;
    }
  }
  return spelling === "generation"
    ? { kind: "json", content: o.content, spelling }
    : { kind: "json", content: o.content };
}
