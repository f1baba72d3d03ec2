/**
 * Under `--json`, a command that fails before it has a report (a usage error, invalid
 * declarations, a held lock, a missing key) still prints one JSON document on stdout: the
 * `secretgen-error` document of docs/json-output.md. Messages are the same as on stderr, so
 * they never hold a value.
 */
import { SecretgenError } from "../errors.js";
import { cliHint, type HintContext } from "./hints.js";

export const ERROR_SCHEMA = "secretgen-error";

interface ErrorEntry {
  message: string;
  secret: string | null;
  field: string | null;
  hint: string | null;
  /** SecretgenError's `reason`; `internal` for anything else. */
  reason: string;
}

function entries(err: unknown, hints: HintContext): ErrorEntry[] {
  if (!(err instanceof SecretgenError)) {
    const message = err instanceof Error ? err.message : String(err);
    return [
      {
        message: `internal error: ${message}`,
        secret: null,
        field: null,
        hint: null,
        reason: "internal",
      },
    ];
  }
  const problems = (err as { problems?: readonly SecretgenError[] }).problems ?? [err];
  return problems.map((p) => ({
    message: p.toString(),
    secret: p.secret ?? null,
    field: p.field ?? null,
    hint: cliHint(p, hints) ?? null,
    reason: p.reason,
  }));
}

/** The document for `err` (a SecretgenError, a list of problems, or anything else). */
export function errorJson(
  command: string | null,
  err: unknown,
  exitCode: number,
  hints: HintContext = {},
): string {
  return JSON.stringify({
    schema: ERROR_SCHEMA,
    version: 1,
    command,
    errors: entries(err, hints),
    exitCode,
  });
}

/** A usage error found while parsing the command line (commander's own message). */
export function usageJson(command: string | null, message: string, exitCode: number): string {
  const text = message.replace(/^error: /, "").trim();
  return JSON.stringify({
    schema: ERROR_SCHEMA,
    version: 1,
    command,
    errors: [{ message: text, secret: null, field: null, hint: null, reason: "usage" }],
    exitCode,
  });
}
