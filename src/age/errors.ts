/**
 * Errors of the age layer. Decryption and key-file failures are AgeErrors: a SecretgenError
 * (exit 3) with a `kind` callers and tests can tell apart. Messages never contain key material
 * or plaintext: only public header facts (stanza types), file names, line numbers and sizes.
 */
import { ExitCode, SecretgenError, type SecretgenErrorOptions } from "../errors.js";

/**
 * What went wrong:
 * - `no-identity`: the header parsed, but none of the given identities matches a stanza.
 * - `malformed`: the file (or a key file) is not well formed: bad or truncated header, bad
 *   stanza, truncated payload, bad armor.
 * - `header-mac`: a file key was unwrapped, but the header MAC does not match (modified header).
 * - `payload-auth`: the payload does not authenticate (modified or corrupt ciphertext).
 * - `passphrase`: the passphrase of a protected key file is wrong.
 * - `unsupported`: a well-formed input this implementation does not handle (format version,
 *   key type, key-file cipher).
 * - `plugin`: an age plugin failed: not on PATH, crashed, timed out, broke the protocol,
 *   reported an error, or asked for input no one could give.
 */
export type AgeErrorKind =
  | "no-identity"
  | "malformed"
  | "header-mac"
  | "payload-auth"
  | "passphrase"
  | "unsupported"
  | "plugin";

/** A failure of the age layer. Always exit status 3, reason `age`. */
export class AgeError extends SecretgenError {
  readonly kind: AgeErrorKind;

  constructor(
    kind: AgeErrorKind,
    message: string,
    options: Omit<SecretgenErrorOptions, "exitCode" | "reason"> = {},
  ) {
    super(message, { ...options, exitCode: ExitCode.runtime, reason: "age" });
    this.name = "AgeError";
    this.kind = kind;
  }
}

/** `malformed age file: REASON`. */
export function malformed(reason: string): AgeError {
  return new AgeError("malformed", `malformed age file: ${reason}`);
}

/** The header MAC does not match. */
export function headerMacError(): AgeError {
  return new AgeError(
    "header-mac",
    "header MAC mismatch: the file's header was modified or is corrupt",
  );
}

/** A payload chunk does not authenticate. */
export function payloadAuthError(): AgeError {
  return new AgeError(
    "payload-auth",
    "payload authentication failed: the file was modified or is corrupt",
  );
}

/** No identity matched; lists the file's stanza types (public header facts). */
export function noIdentityError(stanzaTypes: readonly string[], identityTypes: readonly string[]) {
  const types = [...new Set(stanzaTypes)];
  const has = types.length === 0 ? "no stanzas" : `stanzas: ${types.join(", ")}`;
  const tried =
    identityTypes.length === 0
      ? "no identity was given"
      : `tried ${identityTypes.length} ${identityTypes.length === 1 ? "identity" : "identities"} (${[...new Set(identityTypes)].join(", ")})`;
  return new AgeError("no-identity", `no identity matched (file has ${has})`, {
    // The CLI adds how to give another identity.
    hint: tried,
  });
}
