/**
 * The one codec for errors that cross the worker boundary (a worker's reply, a render job's
 * error result): structured clone keeps neither an error's class nor its own fields, so an
 * error travels as plain data and comes back as the class it was (SecretgenError, AgeError
 * with its kind, DeclarationError with its problems), with its message, exit status, reason,
 * secret, field and hint, and its cause (the same way, so its message and class survive too). Anything
 * else travels as a plain Error with its message.
 */
import { AgeError, type AgeErrorKind } from "../../age/index.js";
import { DeclarationError } from "../../declarations/index.js";
import { ExitCode, SecretgenError, runtimeError, type ErrorReason } from "../../errors.js";

interface EncodedFields {
  message: string;
  cause?: EncodedError;
}

export interface EncodedSecretgenError extends EncodedFields {
  class: "SecretgenError" | "AgeError" | "DeclarationError";
  exitCode: number;
  reason: ErrorReason;
  secret?: string;
  field?: string;
  hint?: string;
  /** An AgeError's kind. */
  kind?: AgeErrorKind;
  /** A DeclarationError's problems. */
  problems?: EncodedError[];
}

export interface EncodedPlainError extends EncodedFields {
  class: "Error";
}

export type EncodedError = EncodedSecretgenError | EncodedPlainError;

/** Causes are followed this deep (a cycle of causes ends there). */
const MAX_DEPTH = 8;

/** `err` as plain data a message can carry. */
export function encodeError(err: unknown, depth = 0): EncodedError {
  const out: EncodedError =
    err instanceof SecretgenError
      ? secretgenFields(err, depth)
      : { class: "Error", message: err instanceof Error ? err.message : String(err) };
  const cause: unknown = err instanceof Error ? err.cause : undefined;
  if (cause !== undefined && depth < MAX_DEPTH) out.cause = encodeError(cause, depth + 1);
  return out;
}

function secretgenFields(err: SecretgenError, depth: number): EncodedSecretgenError {
  const out: EncodedSecretgenError = {
    class:
      err instanceof AgeError
        ? "AgeError"
        : err instanceof DeclarationError
          ? "DeclarationError"
          : "SecretgenError",
    message: err.message,
    exitCode: err.exitCode,
    reason: err.reason,
  };
  if (err.secret !== undefined) out.secret = err.secret;
  if (err.field !== undefined) out.field = err.field;
  if (err.hint !== undefined) out.hint = err.hint;
  if (err instanceof AgeError) out.kind = err.kind;
  if (err instanceof DeclarationError)
    out.problems = err.problems.map((p) => encodeError(p, depth + 1));
  return out;
}

/** The error `e` was: the same class, fields and cause. */
export function decodeError(e: EncodedError): Error {
  const cause = e.cause === undefined ? undefined : decodeError(e.cause);
  switch (e.class) {
    case "Error":
      return new Error(e.message, cause === undefined ? undefined : { cause });
    case "DeclarationError":
      return new DeclarationError((e.problems ?? []).map(asSecretgenError));
    case "AgeError":
      return new AgeError(e.kind ?? "malformed", e.message, {
        secret: e.secret,
        field: e.field,
        hint: e.hint,
        cause,
      });
    case "SecretgenError":
      return new SecretgenError(e.message, {
        exitCode: exitCodeOf(e.exitCode),
        reason: e.reason,
        secret: e.secret,
        field: e.field,
        hint: e.hint,
        cause,
      });
  }
}

/** The decoded error as a SecretgenError: anything else is an internal error (exit 3). */
export function asSecretgenError(e: EncodedError): SecretgenError {
  const err = decodeError(e);
  if (err instanceof SecretgenError) return err;
  return runtimeError(`internal error: ${err.message}`, { cause: err });
}

function exitCodeOf(n: number): ExitCode {
  return (Object.values(ExitCode) as number[]).includes(n) ? (n as ExitCode) : ExitCode.runtime;
}
