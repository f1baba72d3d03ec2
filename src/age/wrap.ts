/**
 * The file key wrapped for one recipient on node:crypto, as age's x25519.go and agessh.go do
 * it: X25519 and ssh-ed25519 with an ephemeral X25519 key per stanza, ssh-rsa with RSA-OAEP.
 * An ephemeral key is made from 32 random bytes and its public share is X25519(e, 9), computed
 * with diffieHellman (no generateKeyPairSync: Node 20 can deadlock exporting such keys while
 * the garbage collector runs). Recipient kinds without a wrapper here get null: the caller
 * leaves the whole file to another writer.
 */
import {
  constants,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from "node:crypto";
import { runtimeError } from "../errors.js";
import { decodeBase64, encodeBase64NoPad } from "./base64.js";
import { aeadSeal, hkdf32, ZERO_NONCE } from "./primitives.js";
import { parseRecipient, type Recipient } from "./recipients.js";
import { ed25519ToMontgomery, parseEd25519Blob } from "./ssh-ed25519.js";
import { parseRsaBlob, rsaPublicKey } from "./ssh-rsa.js";
import { sshTag } from "./ssh-wire.js";
import { decodeX25519Recipient } from "./x25519.js";

/** A header stanza: its arguments and its body. */
export interface NewStanza {
  args: string[];
  body: Uint8Array;
}

/** Wraps a 16-byte file key into one new stanza (fresh randomness each call). */
export type Wrap = (fileKey: Uint8Array) => NewStanza;

const X25519_LABEL = "age-encryption.org/v1/X25519";
const ED25519_LABEL = "age-encryption.org/v1/ssh-ed25519";
const RSA_LABEL = Buffer.from("age-encryption.org/v1/ssh-rsa");
const BASEPOINT_X = Buffer.concat([Buffer.from([9]), Buffer.alloc(31)]).toString("base64url");

let basepoint: KeyObject | undefined;

/** An X25519 public KeyObject (a JWK import: several times faster than DER on Node 20). */
function x25519Public(point: Uint8Array): KeyObject {
  const x = Buffer.from(point.buffer, point.byteOffset, point.byteLength).toString("base64url");
  return createPublicKey({ key: { kty: "OKP", crv: "X25519", x }, format: "jwk" });
}

/**
 * An X25519 private KeyObject from a scalar, imported as JWK (about 10× faster than PKCS#8 DER
 * here). Node derives the public half from `d`; `x` is required by the JWK importer but unused,
 * and the share is computed below, never taken from the key.
 */
function x25519Private(scalar: Uint8Array): KeyObject {
  const d = Buffer.from(scalar.buffer, scalar.byteOffset, scalar.byteLength).toString("base64url");
  return createPrivateKey({ key: { kty: "OKP", crv: "X25519", d, x: BASEPOINT_X }, format: "jwk" });
}

/** X25519(key, point); throws when the result is all zero (a low-order recipient point). */
function dh(privateKey: KeyObject, publicKey: KeyObject, what: string): Buffer {
  try {
    return diffieHellman({ privateKey, publicKey });
  } catch {
    throw runtimeError(`cannot encrypt to ${what}: its public key is a low-order point`);
  }
}

/** A fresh ephemeral key and its public share X25519(e, 9). */
function ephemeral(): { key: KeyObject; share: Buffer } {
  const scalar = randomBytes(32);
  const key = x25519Private(scalar);
  scalar.fill(0);
  basepoint ??= x25519Public(Buffer.from(BASEPOINT_X, "base64url"));
  return { key, share: dh(key, basepoint, "the base point") };
}

function x25519Wrap(text: string): Wrap | null {
  const point = decodeX25519Recipient(text);
  if (point === null) return null;
  const publicKey = x25519Public(point);
  return (fileKey) => {
    const { key, share } = ephemeral();
    const shared = dh(key, publicKey, "an X25519 recipient");
    const wrapKey = hkdf32(shared, Buffer.concat([share, point]), X25519_LABEL);
    return {
      args: ["X25519", encodeBase64NoPad(share)],
      body: aeadSeal(wrapKey, ZERO_NONCE, fileKey),
    };
  };
}

function ed25519Wrap(blob: Uint8Array): Wrap | null {
  const publicKey = parseEd25519Blob(blob);
  const montgomery = publicKey === null ? null : ed25519ToMontgomery(publicKey);
  if (montgomery === null) return null;
  const theirs = x25519Public(montgomery);
  const tweak = x25519Private(hkdf32(new Uint8Array(0), blob, ED25519_LABEL));
  const tag = sshTag(blob);
  return (fileKey) => {
    const { key, share } = ephemeral();
    const first = dh(key, theirs, "an ssh-ed25519 recipient");
    const shared = dh(tweak, x25519Public(first), "an ssh-ed25519 recipient");
    const wrapKey = hkdf32(shared, Buffer.concat([share, montgomery]), ED25519_LABEL);
    return {
      args: ["ssh-ed25519", tag, encodeBase64NoPad(share)],
      body: aeadSeal(wrapKey, ZERO_NONCE, fileKey),
    };
  };
}

function rsaWrap(blob: Uint8Array): Wrap | null {
  const pub = parseRsaBlob(blob);
  if (pub === null) return null;
  const key = rsaPublicKey(pub);
  const tag = sshTag(blob);
  return (fileKey) => ({
    args: ["ssh-rsa", tag],
    body: publicEncrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256", oaepLabel: RSA_LABEL },
      fileKey,
    ),
  });
}

/** Makers of wrappers by recipient type; a type missing here is not for the fast writer. */
const MAKERS: Partial<Record<string, (r: Recipient) => Wrap | null>> = {
  x25519: (r) => x25519Wrap(r.text),
  "ssh-ed25519": (r) => ed25519Wrap(decodeBase64(r.text.slice(12)) ?? new Uint8Array(0)),
  "ssh-rsa": (r) => rsaWrap(decodeBase64(r.text.slice(8)) ?? new Uint8Array(0)),
};

const cache = new Map<string, Wrap | null>();

/**
 * The node:crypto wrapper of a recipient, built once per recipient text; null when its kind
 * has none (the file then goes to another writer).
 *
 * @throws a SecretgenError (exit 2) when the recipient's text does not parse (parseRecipient).
 */
export function wrapFor(recipient: Recipient): Wrap | null {
  let w = cache.get(recipient.text);
  if (w === undefined) {
    // Parsed again: a Recipient is plain data a caller could have built by hand.
    const parsed = parseRecipient(recipient.text);
    w = MAKERS[parsed.type]?.(parsed) ?? null;
    cache.set(recipient.text, w);
  }
  return w;
}
