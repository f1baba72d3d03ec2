/**
 * Public keys of Curve25519 private keys with node:crypto (fast to load and to run): X25519
 * (wireguard, age) and Ed25519 (OpenSSH). Pure functions of their input.
 */
import { createPrivateKey, createPublicKey } from "node:crypto";

// DER PKCS#8 headers for a raw 32-byte private key (RFC 8410).
const X25519_PKCS8 = Buffer.from("302e020100300506032b656e04220420", "hex");
const ED25519_PKCS8 = Buffer.from("302e020100300506032b657004220420", "hex");

function publicOf(header: Buffer, secret: Uint8Array): Uint8Array {
  if (secret.length !== 32) throw new RangeError("a Curve25519 private key has 32 bytes");
  const key = createPrivateKey({
    key: Buffer.concat([header, secret]),
    format: "der",
    type: "pkcs8",
  });
  const jwk = createPublicKey(key).export({ format: "jwk" });
  return new Uint8Array(Buffer.from(jwk.x ?? "", "base64url"));
}

/** X25519(scalar, 9): the scalar is clamped as RFC 7748 says. */
export function x25519PublicKey(scalar: Uint8Array): Uint8Array {
  return publicOf(X25519_PKCS8, scalar);
}

/** The Ed25519 public key of a 32-byte seed (RFC 8032). */
export function ed25519PublicKey(seed: Uint8Array): Uint8Array {
  return publicOf(ED25519_PKCS8, seed);
}
