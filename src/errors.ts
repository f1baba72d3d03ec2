/**
 * The one error class of secretgen. Every failure that reaches the user is a SecretgenError:
 * it carries the exit status (`code`), the secret and field it concerns when known, an optional
 * hint, and the original error as `cause`. Messages never contain secret values.
 */

/** Exit statuses, from the design: the highest applicable one wins. */
export const ExitCode = {
  ok: 0,
  /** `check` found something out of date. */
  outOfDate: 1,
  /** Usage error or invalid declarations (including Nix evaluation errors). */
  usage: 2,
  /** Runtime failure: decryption, script, I/O, lock held, a missing tool. */
  runtime: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface SecretgenErrorOptions {
  /** Exit status this error maps to. Defaults to runtime (3). */
  code?: ExitCode;
  /** Name of the secret concerned, if any. */
  secret?: string;
  /** Field path inside the declaration, e.g. `template.file`. */
  field?: string;
  /** A line telling the user what to do about it. */
  hint?: string;
  cause?: unknown;
}

export class SecretgenError extends Error {
  readonly code: ExitCode;
  readonly secret: string | undefined;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: SecretgenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SecretgenError";
    this.code = options.code ?? ExitCode.runtime;
    this.secret = options.secret;
    this.field = options.field;
    this.hint = options.hint;
  }

  /** The message with its location prefix: `secrets."NAME".FIELD: message`. */
  override toString(): string {
    return this.location() + this.message;
  }

  location(): string {
    if (this.secret === undefined) return this.field === undefined ? "" : `${this.field}: `;
    const field = this.field === undefined || this.field === "" ? "" : `.${this.field}`;
    return `secrets.${JSON.stringify(this.secret)}${field}: `;
  }
}

/** A usage or declaration error (exit 2). */
export function usageError(message: string, options: Omit<SecretgenErrorOptions, "code"> = {}) {
  return new SecretgenError(message, { ...options, code: ExitCode.usage });
}

/** A runtime error (exit 3). */
export function runtimeError(message: string, options: Omit<SecretgenErrorOptions, "code"> = {}) {
  return new SecretgenError(message, { ...options, code: ExitCode.runtime });
}

/** Quote a user-supplied, non-secret value for an error message. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? value.slice(0, 117) + "..." : value);
}
