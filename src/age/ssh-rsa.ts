/**
 * `ssh-rsa` recipients and identities, following age's agessh/agessh.go: the file key is
 * wrapped with RSA-OAEP (SHA-256, label "age-encryption.org/v1/ssh-rsa"), tagged with the SSH key.
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  privateDecrypt,
  publicEncrypt,
  type KeyObject,
} from "node:crypto";
import type {
  Identity as TypageIdentity,
  Recipient as TypageRecipient,
  Stanza,
} from "age-encryption";
import { encodeBase64 } from "./base64.js";
import { AgeError, malformed } from "./errors.js";
import { KeyIdentity, type StanzaLike } from "./identity.js";
import type { Recipient } from "./recipients.js";
import { typage } from "./typage.js";
import { bigintBytes, bytesBigint, sshTag, WireReader, WireWriter } from "./ssh-wire.js";

const LABEL = Buffer.from("age-encryption.org/v1/ssh-rsa");

/** Recipients (public keys) smaller than this are refused. */
export const MIN_RSA_BITS = 2048;

/** An RSA public key's exponent, modulus and modulus size in bits. */
export interface RsaPublic {
  e: bigint;
  n: bigint;
  bits: number;
}

/** The exponent and modulus inside an `ssh-rsa` blob, or null when the blob is not exactly one. */
export function parseRsaBlob(blob: Uint8Array): RsaPublic | null {
  const r = new WireReader(blob);
  if (r.text() !== "ssh-rsa") return null;
  const e = r.mpint();
  const n = r.mpint();
  if (e === null || n === null || r.remaining !== 0 || e < 3n || n === 0n) return null;
  return { e, n, bits: n.toString(2).length };
}

/** The SSH wire blob of an RSA public key. */
export function rsaBlob(e: bigint, n: bigint): Buffer {
  return new WireWriter().string("ssh-rsa").mpint(e).mpint(n).bytes();
}

function b64url(n: bigint): string {
  return bigintBytes(n).toString("base64url");
}

/** An RSA public KeyObject from its parts. */
export function rsaPublicKey({ e, n }: { e: bigint; n: bigint }): KeyObject {
  return createPublicKey({ key: { kty: "RSA", n: b64url(n), e: b64url(e) }, format: "jwk" });
}

/** An RSA private KeyObject from the parts an OpenSSH key stores. */
export function rsaPrivateKey(k: {
  n: bigint;
  e: bigint;
  d: bigint;
  iqmp: bigint;
  p: bigint;
  q: bigint;
}) {
  const jwk = {
    kty: "RSA",
    n: b64url(k.n),
    e: b64url(k.e),
    d: b64url(k.d),
    p: b64url(k.p),
    q: b64url(k.q),
    dp: b64url(k.d % (k.p - 1n)),
    dq: b64url(k.d % (k.q - 1n)),
    qi: b64url(k.iqmp),
  };
  return createPrivateKey({ key: jwk, format: "jwk" });
}

/** The age Recipient (age-encryption's interface) of an ssh-rsa public key. */
export class RsaRecipient implements TypageRecipient {
  private readonly tag: string;
  private readonly key: KeyObject;

  /** Throws an Error when the blob is not an RSA key (parseRecipient checked it). */
  constructor(blob: Uint8Array) {
    const pub = parseRsaBlob(blob);
    if (pub === null) throw new Error("invalid ssh-rsa public key");
    this.tag = sshTag(blob);
    this.key = rsaPublicKey(pub);
  }

  /** Called by age-encryption's Encrypter (so the module is loaded already). */
  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const body = publicEncrypt(
      {
        key: this.key,
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: "sha256",
        oaepLabel: LABEL,
      },
      fileKey,
    );
    const { Stanza } = await typage();
    return [new Stanza(["ssh-rsa", this.tag], body)];
  }
}

/** An RSA private key used as an age identity. No fast path: RSA files take the slow path. */
export class RsaIdentity extends KeyIdentity {
  readonly type = "ssh-rsa" as const;
  readonly #key: KeyObject;
  readonly #blob: Buffer;
  readonly #tag: string;

  /** Throws an AgeError when the KeyObject is not an RSA private key. */
  constructor(key: KeyObject, source: string) {
    super(source);
    if (key.type !== "private" || key.asymmetricKeyType !== "rsa") {
      throw new AgeError("unsupported", `${source}: not an RSA private key`);
    }
    const jwk = key.export({ format: "jwk" });
    this.#key = key;
    this.#blob = rsaBlob(
      bytesBigint(Buffer.from(jwk.e ?? "", "base64url")),
      bytesBigint(Buffer.from(jwk.n ?? "", "base64url")),
    );
    this.#tag = sshTag(this.#blob);
  }

  recipient(): Recipient {
    return { type: "ssh-rsa", text: `ssh-rsa ${encodeBase64(this.#blob)}` };
  }

  serializeKey(): string {
    return this.#key.export({ format: "der", type: "pkcs8" }).toString("base64");
  }

  forTypage(): TypageIdentity {
    return { unwrapFileKey: (stanzas) => this.unwrap(stanzas) };
  }

  unwrapFast(): undefined {
    return undefined;
  }

  /** agessh's RSAIdentity.Unwrap over all stanzas: a tag match that fails is an error. */
  unwrap(stanzas: readonly StanzaLike[]): Uint8Array | null {
    for (const s of stanzas) {
      if (s.args[0] !== "ssh-rsa") continue;
      if (s.args.length !== 2) throw malformed("invalid ssh-rsa stanza");
      if (s.args[1] !== this.#tag) continue;
      let fileKey: Buffer;
      try {
        fileKey = privateDecrypt(
          {
            key: this.#key,
            padding: constants.RSA_PKCS1_OAEP_PADDING,
            oaepHash: "sha256",
            oaepLabel: LABEL,
          },
          s.body,
        );
      } catch {
        fileKey = Buffer.alloc(0);
      }
      if (fileKey.length !== 16) {
        throw new AgeError(
          "malformed",
          `the ssh-rsa stanza for ${this.source} does not decrypt: the header is corrupt or was modified`,
        );
      }
      return fileKey;
    }
    return null;
  }
}
