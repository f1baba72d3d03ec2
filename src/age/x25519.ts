/**
 * Native X25519 keys (`age1…` / `AGE-SECRET-KEY-1…`), following age's x25519.go. Encryption and
 * the slow path use age-encryption's own implementation (given the key as a string); the fast
 * path unwraps on node:crypto with a KeyObject built once per identity.
 */
import type { KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import { bech32Decode, bech32Encode } from "./bech32.js";
import { decodeBase64NoPad } from "./base64.js";
import { malformed } from "./errors.js";
import { KeyIdentity, type StanzaLike } from "./identity.js";
import {
  aeadOpen,
  hkdf32,
  publicBytes,
  x25519,
  x25519PrivateKey,
  ZERO_NONCE,
} from "./primitives.js";
import type { Recipient } from "./recipients.js";

const LABEL = "age-encryption.org/v1/X25519";
const SECRET_HRP = "AGE-SECRET-KEY-";

/** The 32-byte public key of an `age1…` recipient, or null when it is not one. */
export function decodeX25519Recipient(text: string): Uint8Array | null {
  const d = bech32Decode(text);
  if (d === null || d.hrp !== "age" || d.bytes.length !== 32) return null;
  return d.bytes;
}

/** The 32-byte scalar of an `AGE-SECRET-KEY-1…` line, or null when it is not one. */
export function decodeX25519Secret(text: string): Uint8Array | null {
  const d = bech32Decode(text);
  if (d === null || d.hrp !== SECRET_HRP || d.bytes.length !== 32) return null;
  return d.bytes;
}

/** A new random identity as `AGE-SECRET-KEY-1…`. */
export function newX25519Secret(): string {
  return bech32Encode(SECRET_HRP.toLowerCase(), randomBytes(32)).toUpperCase();
}

/** A native X25519 identity; its KeyObject is built once, for the fast path. */
export class X25519Identity extends KeyIdentity {
  readonly type = "x25519" as const;
  readonly #scalar: Uint8Array;
  readonly #privateKey: KeyObject;
  readonly #publicKey: Buffer;

  constructor(scalar: Uint8Array, source: string) {
    super(source);
    this.#scalar = Uint8Array.from(scalar);
    this.#privateKey = x25519PrivateKey(scalar);
    this.#publicKey = publicBytes(this.#privateKey);
  }

  recipient(): Recipient {
    return { type: "x25519", text: bech32Encode("age", this.#publicKey) };
  }

  serializeKey(): string {
    return this.forTypage();
  }

  forTypage(): string {
    return bech32Encode(SECRET_HRP.toLowerCase(), this.#scalar).toUpperCase();
  }

  unwrapFast(stanzas: readonly StanzaLike[]): Uint8Array | null {
    for (const s of stanzas) {
      if (s.args[0] !== "X25519") continue;
      const share = s.args.length === 2 ? decodeBase64NoPad(s.args[1] ?? "") : null;
      if (share?.length !== 32) throw malformed("invalid X25519 stanza");
      if (s.body.length !== 32) throw malformed("invalid X25519 stanza: wrong file key size");
      const secret = x25519(this.#privateKey, share);
      if (secret === null) throw malformed("invalid X25519 stanza: low-order share");
      const key = hkdf32(secret, Buffer.concat([share, this.#publicKey]), LABEL);
      const fileKey = aeadOpen(key, ZERO_NONCE, s.body);
      if (fileKey !== null) return fileKey;
    }
    return null;
  }
}
