/**
 * The functions shared by template helpers and JSON markers, and the one way to call them.
 * Arguments arrive already evaluated (nested calls first); a function checks them, may draw from
 * the secret's stream (`bcrypt`, `random`) and may read other secrets (`secret`). Function
 * errors are usage errors (exit 2) that name the function and what is wrong, never a value.
 */
import { usageError, quote, runtimeError } from "../../errors.js";
import type { RenderContext } from "../context.js";
import { base64 } from "./base64.js";
import { bcrypt } from "./bcrypt.js";
import { ArgumentProblem, Call, type FunctionDef } from "./call.js";
import { concat, fmt } from "./concat.js";
import { json } from "./json.js";
import { random } from "./random.js";
import { secret } from "./secret.js";
import { sha256 } from "./sha256.js";
import { trim } from "./trim.js";
import { NotText, compareCodePoints } from "./values.js";

export type { FunctionDef } from "./call.js";

const DEFS: readonly FunctionDef[] = [
  secret,
  bcrypt,
  random,
  concat,
  fmt,
  json,
  base64,
  sha256,
  trim,
];

/** Every accepted function name (canonical names and ASG aliases) → its definition. */
export const FUNCTIONS: ReadonlyMap<string, FunctionDef> = new Map(
  DEFS.flatMap((def) => [def.name, ...def.aliases].map((n) => [n, def] as const)),
);

/** Every accepted function name, in code-point order. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()].sort(compareCodePoints);

/**
 * Call function `name` with evaluated arguments and options.
 *
 * Errors: an unknown name or a bad argument throws a usage error (exit 2) for `ctx.secret` with
 * field `where`. Without `at` (JSON markers) an error about one argument or option points into
 * it (`WHERE.args[0]`, `WHERE.opts.charset`); with `at` (templates: `line 3, column 5`) the field
 * stays `where` and the message starts with `at`. NeedSecret, EntropyExhausted and errors thrown
 * by `ctx.readSecret` propagate unchanged.
 */
export function callFunction(
  name: string,
  ctx: RenderContext,
  args: unknown[],
  opts: Record<string, unknown>,
  where: string,
  at?: string,
): unknown {
  const prefix = at === undefined ? "" : `${at}: `;
  const def = FUNCTIONS.get(name);
  if (def === undefined) {
    throw usageError(
      `${prefix}unknown function ${quote(name)} (known: ${FUNCTION_NAMES.join(", ")})`,
      {
        secret: ctx.secret,
        field: at === undefined ? `${where}.__secretgen` : where,
      },
    );
  }
  try {
    return def.run(new Call(name, def, ctx, args, opts));
  } catch (err) {
    if (err instanceof NotText) {
      throw runtimeError(`${prefix}${name}: ${err.message}`, {
        secret: ctx.secret,
        field: where,
      });
    }
    if (!(err instanceof ArgumentProblem)) throw err;
    let field = where;
    if (at === undefined && typeof err.arg === "number") field += `.args[${err.arg}]`;
    if (at === undefined && typeof err.arg === "string") field += `.opts.${err.arg}`;
    throw usageError(`${prefix}${name}: ${err.message}`, { secret: ctx.secret, field });
  }
}
export { DryStop, UNKNOWN, dryCall, dryContext } from "./dry.js";
export {
  NotText,
  SecretBytes,
  compareCodePoints,
  defineKey,
  isRecord,
  sortedKeys,
  textOnly,
  typeName,
  utf8,
} from "./values.js";
