/**
 * How a handlebars template's problems read: a usage error (exit 2) for the secret, field
 * `template`, with a `line L, column C: ` prefix (both 1-based) where handlebars knows it.
 */
import { usageError, type SecretgenError } from "../../../errors.js";
import type { Loc } from "./eval.js";

export type { Loc };

export const FIELD = "template";

/** `line L, column C` (1-based), or undefined without a location. */
export function at(loc: Loc | undefined): string | undefined {
  return loc === undefined ? undefined : `line ${loc.start.line}, column ${loc.start.column + 1}`;
}

export function templateError(
  message: string,
  secret: string,
  loc?: Loc,
  cause?: unknown,
  field = FIELD,
): SecretgenError {
  const where = at(loc);
  return usageError(where === undefined ? message : `${where}: ${message}`, {
    secret,
    field,
    cause,
  });
}
