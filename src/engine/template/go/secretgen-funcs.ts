/**
 * secretgen's functions in Go templates, with Go signatures, calling the functions handlebars
 * templates and JSON markers call (src/engine/functions/), so every byte → output mapping is the
 * same in all three. Names: the canonical ones and ASG's (`readSecret`, `hashBcrypt`).
 *
 * | function                        | Go signature                              |
 * | ------------------------------- | ----------------------------------------- |
 * | `secret` / `readSecret NAME`    | `func(string) string`                     |
 * | `bcrypt` / `hashBcrypt V COST`  | `func(string, int) string`                |
 * | `random LENGTH [CHARSET]`       | `func(int, ...any) string`: a preset name or a map of classes |
 * | `concat A B …`                  | `func(...any) string`: strings and whole numbers |
 * | `fmt FORMAT A …`                | `func(string, ...any) string`: Go's Sprintf, verbs `%s %d %v %q %x %%` |
 * | `json V`                        | `func(any) string`                        |
 * | `base64`, `sha256 V`            | `func(string) string` (also a non-UTF-8 secret's bytes) |
 * | `trim V`                        | `func(string) string`                     |
 */
import { usageError } from "../../../errors.js";
import type { RenderContext } from "../../context.js";
import { callFunction, textOnly } from "../../functions/index.js";
import { sprintf } from "./fmt.js";
import type { FuncMap, GoFunc } from "./funcs.js";
import { kindOf, toPlain, type GoValue } from "./values.js";
import { FUNCTION_NAME_LIST } from "../../../declarations/index.js";

/** `line L, column C` of a source index (column in characters, 1-based). */
export function lineColumn(source: string, pos: number): string {
  const before = source.slice(0, pos);
  const line = before.split("\n").length;
  const column = Array.from(before.slice(before.lastIndexOf("\n") + 1)).length + 1;
  return `line ${line}, column ${column}`;
}

/** The verbs `fmt` takes, and the kinds each one formats. */
const FMT_VERBS: Readonly<Record<string, readonly string[]>> = {
  s: ["string"],
  q: ["string"],
  d: ["int"],
  x: ["string", "int"],
  v: ["string", "int", "float", "bool"],
};

function checkFmt(format: string, args: readonly GoValue[]): string | undefined {
  let used = 0;
  for (let i = 0; i < format.length; i++) {
    if (format[i] !== "%") continue;
    const verb = format[++i] ?? "";
    if (verb === "%") continue;
    const kinds = Object.hasOwn(FMT_VERBS, verb) ? FMT_VERBS[verb] : undefined;
    if (kinds === undefined)
      return "may only use the verbs %s %d %v %q %x and %% (no flags or widths)";
    const arg = args[used++];
    if (arg === undefined) return `has more verbs than the ${args.length} values given`;
    if (!kinds.includes(kindOf(arg)))
      return `%${verb} cannot format value ${used} (it is not ${kinds.join(" or ")})`;
  }
  if (used !== args.length) return `has ${used} verbs but ${args.length} values were given`;
  return undefined;
}

/** The functions for one render of secret `ctx.secret` from `source`; problems at `field`. */
export function secretgenFuncs(ctx: RenderContext, source: string, field: string): FuncMap {
  const at = (pos: number) => lineColumn(source, pos);
  const call = (name: string, args: unknown[], opts: Record<string, unknown>, pos: number) =>
    callFunction(name, ctx, args, opts, field, at(pos)) as GoValue;
  const fns = new Map<string, GoFunc>();
  const alias = (names: string[], fn: GoFunc) => {
    for (const n of names) fns.set(n, fn);
  };
  alias(["secret", "readSecret"], {
    params: ["string"],
    call: ([name], pos) => call("secret", [name], {}, pos),
  });
  alias(["bcrypt", "hashBcrypt"], {
    params: ["string", "int"],
    call: ([value, cost], pos) => call("bcrypt", [value, toPlain(cost ?? null)], {}, pos),
  });
  fns.set("random", {
    params: ["int"],
    variadic: "any",
    call: ([length, ...rest], pos) => {
      if (rest.length > 1) {
        throw usageError(`${at(pos)}: random takes LENGTH and at most one CHARSET`, {
          secret: ctx.secret,
          field,
        });
      }
      const charset = rest[0];
      const opts: Record<string, unknown> =
        charset === undefined
          ? {}
          : kindOf(charset) === "map"
            ? { charsets: toPlain(charset) }
            : { charset: toPlain(charset) };
      return call("random", [toPlain(length ?? null)], opts, pos);
    },
  });
  fns.set("concat", {
    params: [],
    variadic: "any",
    call: (args, pos) => call("concat", args.map(toPlain), {}, pos),
  });
  fns.set("fmt", {
    params: ["string"],
    variadic: "any",
    call: ([format, ...args], pos) => {
      args.forEach((a, i) => textOnly(a, `argument ${i + 2} (VALUE)`));
      const problem = checkFmt(format as string, args);
      if (problem !== undefined) {
        throw usageError(`${at(pos)}: fmt: argument 1 (FORMAT) ${problem}`, {
          secret: ctx.secret,
          field,
        });
      }
      return sprintf(format as string, args);
    },
  });
  fns.set("json", {
    params: ["any"],
    call: ([v], pos) => call("json", [toPlain(v ?? null)], {}, pos),
  });
  for (const name of ["base64", "sha256"])
    fns.set(name, { params: ["bytes"], call: ([v], pos) => call(name, [v], {}, pos) });
  fns.set("trim", { params: ["string"], call: ([v], pos) => call("trim", [v], {}, pos) });
  return fns;
}

/** Every function name a Go template may call besides the builtins (the shared registry's). */
export const SECRETGEN_FUNCTION_NAMES: readonly string[] = FUNCTION_NAME_LIST;
