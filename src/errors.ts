/**
 * The one error class of secretgen. Every failure that reaches the user is a SecretgenError:
 * it carries the exit status (`exitCode`), a machine-readable `reason`, the secret and field it
 * concerns when known, an optional hint, and the original error as `cause`. Messages never
 * contain secret values. Warnings are data too (`Warning`): only src/cli/ turns them into text.
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

/**
 * What kind of failure, for programs (`--json`'s `errors[].reason`) and for the CLI, which adds
 * hints naming its own options to some of them. Exit 2: `usage` (a bad option or argument),
 * `declarations` (invalid declarations), `no-declarations` (no declarations file), `no-root` (no
 * secrets/ directory found), `nix` (Nix evaluated to an error or to something else than
 * declarations), `nix-not-declarations`, `no-identity` (no admin identity given or found).
 * Exit 3: `nix-unavailable` (the nix tool cannot be run), `not-admin` (the identities are no
 * admin's), `age` (decryption, key files, plugins: an AgeError's `kind` tells which),
 * `lock-held` (another run holds the lock), `lock` (the lock file is stuck or corrupt),
 * `changed-outside` (a data file's value was changed by something else than secretgen), `script`
 * (a script secret failed), `store` (a file of secrets/ is corrupt or inconsistent), `io` (the
 * file system failed), `runtime` (anything else).
 */
export type ErrorReason =
  | "usage"
  | "declarations"
  | "no-declarations"
  | "no-root"
  | "nix"
  | "nix-not-declarations"
  | "no-identity"
  | "nix-unavailable"
  | "not-admin"
  | "age"
  | "lock-held"
  | "lock"
  | "changed-outside"
  | "script"
  | "store"
  | "io"
  | "runtime";

export interface SecretgenErrorOptions {
  /** Exit status this error maps to. Defaults to runtime (3). */
  exitCode?: ExitCode;
  /** Defaults to `usage` for exit 2 and `runtime` for exit 3. */
  reason?: ErrorReason;
  /** Name of the secret concerned, if any. */
  secret?: string;
  /** Field path inside the declaration, e.g. `template.file`. */
  field?: string;
  /** A line telling the user what to do about it. */
  hint?: string;
  cause?: unknown;
}

export class SecretgenError extends Error {
  readonly exitCode: ExitCode;
  readonly reason: ErrorReason;
  readonly secret: string | undefined;
  readonly field: string | undefined;
  readonly hint: string | undefined;

  constructor(message: string, options: SecretgenErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SecretgenError";
    this.exitCode = options.exitCode ?? ExitCode.runtime;
    this.reason = options.reason ?? (this.exitCode === ExitCode.usage ? "usage" : "runtime");
    this.secret = options.secret;
    this.field = options.field;
    this.hint = options.hint;
  }

  /** The message with its location prefix: `secrets."NAME".FIELD: message`. */
  override toString(): string {
    return this.location() + this.message;
  }

  location(): string {
    return location(this);
  }
}

/** `secrets."NAME".FIELD: `, `FIELD: ` or nothing: where an error or warning is. */
export function location(where: { secret?: string | undefined; field?: string | undefined }) {
  const { secret, field } = where;
  if (secret === undefined) return field === undefined ? "" : `${field}: `;
  return `secrets.${JSON.stringify(secret)}${field === undefined || field === "" ? "" : `.${field}`}: `;
}

/**
 * Something a run wants the user to know that fails nothing: where it is (a secret and field,
 * like an error's) and what. src/cli/ prints it as `LOCATION: MESSAGE`.
 */
export interface Warning {
  readonly secret?: string;
  readonly field?: string;
  readonly message: string;
}

/** A usage or declaration error (exit 2). */
export function usageError(message: string, options: Omit<SecretgenErrorOptions, "exitCode"> = {}) {
  return new SecretgenError(message, { ...options, exitCode: ExitCode.usage });
}

/** A runtime error (exit 3). */
export function runtimeError(
  message: string,
  options: Omit<SecretgenErrorOptions, "exitCode"> = {},
) {
  return new SecretgenError(message, { ...options, exitCode: ExitCode.runtime });
}

/** Quote a user-supplied, non-secret value for an error message. */
export function quote(value: string): string {
  return JSON.stringify(value.length > 120 ? value.slice(0, 117) + "..." : value);
}
