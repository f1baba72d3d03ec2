/**
 * The node:crypto primitives age needs: X25519 on KeyObjects, HKDF-SHA256, ChaCha20-Poly1305
 * and SHA-256. Node's OpenSSL does the work; these are thin, typed wrappers.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  type KeyObject,
} from "node:crypto";

const X25519_PKCS8 = Buffer.from("302e020100300506032b656e04220420", "hex");
const ED25519_PKCS8 = Buffer.from("302e020100300506032b657004220420", "hex");

/** A private X25519 KeyObject from a 32-byte scalar (clamped by X25519 itself). */
export function x25519PrivateKey(scalar: Uint8Array): KeyObject {
  return createPrivateKey({
    key: Buffer.concat([X25519_PKCS8, scalar]),
    format: "der",
    type: "pkcs8",
  });
}

/** The 32-byte public point of a private X25519 or Ed25519 KeyObject. */
export function publicBytes(privateKey: KeyObject): Buffer {
  return createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32);
}

/** X25519(scalar, point); null when the result is all zero (a low-order point). */
export function x25519(privateKey: KeyObject, point: Uint8Array): Buffer | null {
  // A JWK import is several times faster than an SPKI DER one on Node 20's OpenSSL 3.
  const x = Buffer.from(point.buffer, point.byteOffset, point.byteLength).toString("base64url");
  const publicKey = createPublicKey({ key: { kty: "OKP", crv: "X25519", x }, format: "jwk" });
  try {
    return diffieHellman({ privateKey, publicKey });
  } catch {
    // OpenSSL refuses an all-zero shared secret, as Go's curve25519.X25519 does.
    return null;
  }
}

/** The Ed25519 public key of a 32-byte seed. */
export function ed25519PublicKey(seed: Uint8Array): Buffer {
  return publicBytes(
    createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, seed]), format: "der", type: "pkcs8" }),
  );
}

const ONE = new Uint8Array([1]);

/**
 * HKDF-SHA256 (RFC 5869) with a 32-byte output: one HMAC to extract, one to expand. Equal to
 * `hkdfSync("sha256", ikm, salt, info, 32)` (a test checks it) and about twice as fast, which
 * matters at three derivations per file on the fast path.
 */
export function hkdf32(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  const prk = createHmac("sha256", salt).update(ikm).digest();
  return createHmac("sha256", prk).update(info).update(ONE).digest();
}

/** SHA-256 digest. */
export function sha256(data: Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

/** SHA-512 digest. */
export function sha512(data: Uint8Array): Buffer {
  return createHash("sha512").update(data).digest();
}

/** A 12-byte all-zero nonce, as stanza bodies use. */
export const ZERO_NONCE: Uint8Array = new Uint8Array(12);

/** ChaCha20-Poly1305 seal: ciphertext followed by the 16-byte tag. */
export function aeadSeal(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array): Buffer {
  const c = createCipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
}

/** ChaCha20-Poly1305 open; null when the input is shorter than a tag or does not authenticate. */
export function aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Buffer | null {
  if (sealed.length < 16) return null;
  const d = createDecipheriv("chacha20-poly1305", key, nonce, { authTagLength: 16 });
  d.setAuthTag(sealed.subarray(sealed.length - 16));
  const head = d.update(sealed.subarray(0, sealed.length - 16));
  try {
    return Buffer.concat([head, d.final()]);
  } catch {
    head.fill(0); // unauthenticated plaintext never leaves this function
    return null;
  }
}
