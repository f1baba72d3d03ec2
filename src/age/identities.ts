/**
 * The public identity API: parsing identity text, the public side of an identity, generating
 * an X25519 identity, and passing identities to worker threads as text.
 */
import { createPrivateKey } from "node:crypto";
import { decodeBase64 } from "./base64.js";
import { AgeError } from "./errors.js";
import { keyIdentity, type Identity, type KeyIdentity, type KeyType } from "./identity.js";
import { parseIdentityBytes } from "./identity-file.js";
import type { Recipient } from "./recipients.js";
import { Ed25519Identity } from "./ssh-ed25519.js";
import { RsaIdentity } from "./ssh-rsa.js";
import { decodeX25519Secret, newX25519Secret, X25519Identity } from "./x25519.js";

/**
 * Parse the identities in an identity file's text: age identity files (`AGE-SECRET-KEY-1…`
 * lines, `#` comments, blank lines), OpenSSH private keys (ed25519, RSA; unencrypted or
 * protected by a passphrase), PEM RSA keys (PKCS#1, PKCS#8) and passphrase-encrypted age
 * identity files. `passphrase` is called only for a protected key.
 *
 * @throws an AgeError (exit 3): `malformed` naming `source` and the line number of a bad line
 * (never quoting it), `passphrase` for a wrong passphrase, `unsupported` for post-quantum or
 * plugin identities and other SSH key types or ciphers. Whatever `passphrase` throws propagates.
 */
export async function parseIdentities(
  text: string,
  opts: { source: string; passphrase: () => Promise<string> },
): Promise<Identity[]> {
  return parseIdentityBytes(Buffer.from(text, "utf8"), opts);
}

/**
 * The public side of an identity.
 *
 * @throws a TypeError only for an object that did not come from this module.
 */
export function identityRecipient(id: Identity): Recipient {
  return keyIdentity(id).recipient();
}

/** A new random X25519 identity as `AGE-SECRET-KEY-1…` (never a hybrid one). Never throws. */
export function generateX25519Identity(): Promise<string> {
  return Promise.resolve(newX25519Secret());
}

interface Serialized {
  v: 1;
  type: KeyType;
  source: string;
  key: string;
}

/**
 * The identity as text, for handing to a worker thread without asking a passphrase again.
 * The result IS THE PRIVATE KEY: never log it, print it, write it to disk or put it in argv or
 * the environment.
 *
 * @throws a TypeError only for an object that did not come from this module.
 */
export function serializeIdentity(id: Identity): string {
  const k = keyIdentity(id);
  const s: Serialized = { v: 1, type: k.type, source: k.source, key: k.serializeKey() };
  return JSON.stringify(s);
}

function fromSerialized(s: Partial<Serialized>): KeyIdentity | null {
  if (s.v !== 1 || typeof s.source !== "string" || typeof s.key !== "string") return null;
  if (s.type === "x25519") {
    const scalar = decodeX25519Secret(s.key);
    return scalar === null ? null : new X25519Identity(scalar, s.source);
  }
  const bytes = decodeBase64(s.key);
  if (bytes === null) return null;
  if (s.type === "ssh-ed25519")
    return bytes.length === 32 ? new Ed25519Identity(bytes, s.source) : null;
  if (s.type === "ssh-rsa") {
    return new RsaIdentity(
      createPrivateKey({ key: bytes, format: "der", type: "pkcs8" }),
      s.source,
    );
  }
  return null;
}

/**
 * The identity `serializeIdentity` made.
 *
 * @throws an AgeError (`malformed`) when the text is not a serialized identity; the message
 * does not quote the text (it would be key material).
 */
export function deserializeIdentity(text: string): Identity {
  let id: KeyIdentity | null = null;
  try {
    id = fromSerialized(JSON.parse(text) as Partial<Serialized>);
  } catch {
    id = null; // parse errors quote their input: drop them
  }
  if (id === null) throw new AgeError("malformed", "not a serialized identity (value not shown)");
  return id;
}
