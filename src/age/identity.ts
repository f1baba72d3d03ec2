/**
 * The Identity contract shared by the key types (x25519.ts, ssh-ed25519.ts, ssh-rsa.ts).
 * Callers see only the `Identity` interface; the key material lives in private fields of the
 * implementations, which never print it (toJSON and util.inspect show type and source only).
 */
import { inspect } from "node:util";
import type { Identity as TypageIdentity } from "age-encryption";
import type { Recipient } from "./recipients.js";

/** The key types secretgen reads and writes. */
export type KeyType = "x25519" | "ssh-ed25519" | "ssh-rsa";

/** Key types and `plugin` (an identity `age-plugin-NAME` holds, plugin-identity.ts). */
export type IdentityType = KeyType | "plugin";

/**
 * A private key that can decrypt age files. Opaque: get one from `parseIdentities`,
 * `loadIdentityFile` or `deserializeIdentity`; it never exposes or prints its key material.
 */
export interface Identity {
  /** The key type, or `plugin`. */
  readonly type: IdentityType;
  /** Where it came from (a file name and line, or a caller's label), for messages. */
  readonly source: string;
}

/** A stanza as both the fast-path parser and age-encryption present it. */
export interface StanzaLike {
  readonly args: readonly string[];
  readonly body: Uint8Array;
}

/** What every key type implements. Internal to src/age. */
export abstract class KeyIdentity implements Identity {
  abstract readonly type: KeyType;

  constructor(readonly source: string) {}

  /** The public side. */
  abstract recipient(): Recipient;

  /** The key material as text for `serializeIdentity` (secret!). */
  abstract serializeKey(): string;

  /** What to hand to age-encryption's Decrypter. */
  abstract forTypage(): string | TypageIdentity;

  /**
   * Unwrap the file key on node:crypto for the fast path: null when no stanza is for this
   * identity; throws an AgeError when a stanza for it is invalid. Key types without a fast
   * path (ssh-rsa) return undefined: the file must take the slow path.
   */
  abstract unwrapFast(stanzas: readonly StanzaLike[]): Uint8Array | null | undefined;

  toJSON(): { type: KeyType; source: string } {
    return { type: this.type, source: this.source };
  }

  [inspect.custom](): string {
    return `Identity<${this.type} from ${this.source}>`;
  }
}

/** The implementation behind an Identity; throws a TypeError for a foreign object. */
export function keyIdentity(id: Identity): KeyIdentity {
  if (id instanceof KeyIdentity) return id;
  throw new TypeError("not an identity made by src/age");
}
