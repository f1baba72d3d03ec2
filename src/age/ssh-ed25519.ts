/**
 * `ssh-ed25519` recipients and identities, following age's agessh/agessh.go exactly:
 * the ed25519 key is used as X25519 (Montgomery form), with a tweak bound to the SSH public key.
 */
import { randomBytes, type KeyObject } from "node:crypto";
import type {
  Identity as TypageIdentity,
  Recipient as TypageRecipient,
  Stanza,
} from "age-encryption";
import { decodeBase64NoPad, encodeBase64, encodeBase64NoPad } from "./base64.js";
import { AgeError, malformed } from "./errors.js";
import { KeyIdentity, type StanzaLike } from "./identity.js";
import {
  aeadOpen,
  aeadSeal,
  ed25519PublicKey,
  hkdf32,
  publicBytes,
  sha512,
  x25519,
  x25519PrivateKey,
  ZERO_NONCE,
} from "./primitives.js";
import type { Recipient } from "./recipients.js";
import { typage } from "./typage.js";
import { bigintBytes, bytesBigint, sshTag, WireReader, WireWriter } from "./ssh-wire.js";

const LABEL = "age-encryption.org/v1/ssh-ed25519";
const BASEPOINT = Buffer.concat([Buffer.from([9]), Buffer.alloc(31)]);
const P = 2n ** 255n - 19n;

function modPow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = base % P;
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

/**
 * The Montgomery u-coordinate of an ed25519 public key, u = (1 + y) / (1 - y) mod p, as
 * agessh's ed25519PublicKeyToCurve25519 computes it; null when 1 - y has no inverse.
 */
export function ed25519ToMontgomery(publicKey: Uint8Array): Buffer | null {
  const le = Buffer.from(publicKey);
  le[31] = (le[31] ?? 0) & 0x7f;
  const y = bytesBigint(le.reverse());
  const denominator = (((1n - y) % P) + P) % P;
  if (denominator === 0n) return null;
  const u = ((1n + y) * modPow(denominator, P - 2n)) % P;
  return littleEndian32(u);
}

function littleEndian32(n: bigint): Buffer {
  const out = Buffer.alloc(32);
  const be = bigintBytes(n);
  for (let i = 0; i < be.length; i++) out[i] = be[be.length - 1 - i] ?? 0;
  return out;
}

/** The SSH wire blob of an ed25519 public key. */
export function ed25519Blob(publicKey: Uint8Array): Buffer {
  return new WireWriter().string("ssh-ed25519").string(publicKey).bytes();
}

/** The 32-byte key inside an `ssh-ed25519` blob, or null when the blob is not exactly one. */
export function parseEd25519Blob(blob: Uint8Array): Uint8Array | null {
  const r = new WireReader(blob);
  if (r.text() !== "ssh-ed25519") return null;
  const key = r.string();
  if (key?.length !== 32 || r.remaining !== 0) return null;
  return key;
}

/** The age Recipient (age-encryption's interface) of an ssh-ed25519 public key. */
export class Ed25519Recipient implements TypageRecipient {
  private readonly tag: string;
  private readonly montgomery: Buffer;
  private readonly tweak: KeyObject;

  /** Throws an Error when the key has no Montgomery form (parseRecipient checked it). */
  constructor(blob: Uint8Array) {
    const publicKey = parseEd25519Blob(blob);
    const montgomery = publicKey === null ? null : ed25519ToMontgomery(publicKey);
    if (montgomery === null) throw new Error("invalid ssh-ed25519 public key");
    this.tag = sshTag(blob);
    this.montgomery = montgomery;
    this.tweak = x25519PrivateKey(hkdf32(new Uint8Array(0), blob, LABEL));
  }

  /** Called by age-encryption's Encrypter (so the module is loaded already). */
  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    // From random bytes, its share as X25519(e, 9): never generateKeyPairSync, whose keys can
    // deadlock Node 20 when exported while the garbage collector runs.
    const ephemeral = x25519PrivateKey(randomBytes(32));
    const share = x25519(ephemeral, BASEPOINT);
    if (share === null) throw new Error("X25519 of the base point is never zero");
    const dh = x25519(ephemeral, this.montgomery);
    const shared = dh === null ? null : x25519(this.tweak, dh);
    if (shared === null) throw new Error("ssh-ed25519 recipient is a low-order point");
    const key = hkdf32(shared, Buffer.concat([share, this.montgomery]), LABEL);
    const args = ["ssh-ed25519", this.tag, encodeBase64NoPad(share)];
    const { Stanza } = await typage();
    return [new Stanza(args, aeadSeal(key, ZERO_NONCE, fileKey))];
  }
}

/** An ssh-ed25519 private key used as an age identity. */
export class Ed25519Identity extends KeyIdentity {
  readonly type = "ssh-ed25519" as const;
  readonly #seed: Uint8Array;
  readonly #blob: Buffer;
  readonly #tag: string;
  readonly #scalar: KeyObject;
  readonly #ourPublicKey: Buffer;
  readonly #tweak: KeyObject;

  /** From the 32-byte seed; throws an AgeError when `publicKey` is given and does not match. */
  constructor(seed: Uint8Array, source: string, publicKey?: Uint8Array) {
    super(source);
    const derived = ed25519PublicKey(seed);
    if (publicKey !== undefined && !derived.equals(publicKey)) {
      throw new AgeError(
        "malformed",
        `${source}: the ed25519 private key does not match its public key`,
      );
    }
    this.#seed = Uint8Array.from(seed);
    this.#blob = ed25519Blob(derived);
    this.#tag = sshTag(this.#blob);
    this.#scalar = x25519PrivateKey(sha512(seed).subarray(0, 32));
    this.#ourPublicKey = publicBytes(this.#scalar);
    this.#tweak = x25519PrivateKey(hkdf32(new Uint8Array(0), this.#blob, LABEL));
  }

  recipient(): Recipient {
    return { type: "ssh-ed25519", text: `ssh-ed25519 ${encodeBase64(this.#blob)}` };
  }

  serializeKey(): string {
    return encodeBase64(this.#seed);
  }

  forTypage(): TypageIdentity {
    return { unwrapFileKey: (stanzas) => this.unwrapFast(stanzas) };
  }

  /** agessh's Ed25519Identity.Unwrap over all stanzas: a tag match that fails is an error. */
  unwrapFast(stanzas: readonly StanzaLike[]): Uint8Array | null {
    for (const s of stanzas) {
      if (s.args[0] !== "ssh-ed25519") continue;
      const share = s.args.length === 3 ? decodeBase64NoPad(s.args[2] ?? "") : null;
      if (share?.length !== 32) throw malformed("invalid ssh-ed25519 stanza");
      if (s.args[1] !== this.#tag) continue;
      const dh = x25519(this.#scalar, share);
      const shared = dh === null ? null : x25519(this.#tweak, dh);
      if (shared === null) throw malformed("invalid ssh-ed25519 stanza: low-order share");
      if (s.body.length !== 32) throw malformed("invalid ssh-ed25519 stanza: wrong file key size");
      const key = hkdf32(shared, Buffer.concat([share, this.#ourPublicKey]), LABEL);
      const fileKey = aeadOpen(key, ZERO_NONCE, s.body);
      if (fileKey === null) {
        throw new AgeError(
          "malformed",
          `the ssh-ed25519 stanza for ${this.source} does not decrypt: the header is corrupt or was modified`,
        );
      }
      return fileKey;
    }
    return null;
  }
}
