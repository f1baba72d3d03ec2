/**
 * The age payload on node:crypto: a 16-byte nonce, then STREAM (ChaCha20-Poly1305 over 64 KiB
 * chunks, 11-byte big-endian counter and a last-chunk flag in the nonce), encrypted and
 * decrypted in memory.
 */
import { randomBytes } from "node:crypto";
import { malformed, payloadAuthError } from "./errors.js";
import { aeadOpen, aeadSeal, hkdf32 } from "./primitives.js";

const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED_CHUNK = CHUNK + TAG;

/**
 * Decrypt everything after the header. Nothing is returned unless every chunk authenticates.
 *
 * @throws an AgeError: `malformed` for a missing nonce, a truncated chunk or an empty final
 * chunk after others; `payload-auth` when a chunk does not authenticate (including trailing
 * data and misplaced final chunks).
 */
export function decryptPayload(fileKey: Uint8Array, data: Uint8Array): Buffer {
  if (data.length < 16) throw malformed("truncated: the payload nonce is missing");
  const key = hkdf32(fileKey, data.subarray(0, 16), "payload");
  const payload = data.subarray(16);
  const count = Math.max(1, Math.ceil(payload.length / SEALED_CHUNK));
  const lastLength = payload.length - (count - 1) * SEALED_CHUNK;
  if (lastLength < TAG) throw malformed("truncated payload");
  if (lastLength === TAG && count > 1) throw malformed("the final payload chunk is empty");
  const nonce = Buffer.alloc(12);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    nonce.writeUInt32BE(i, 7);
    nonce[11] = i === count - 1 ? 1 : 0;
    const sealed = payload.subarray(
      i * SEALED_CHUNK,
      Math.min(payload.length, (i + 1) * SEALED_CHUNK),
    );
    const plain = aeadOpen(key, nonce, sealed);
    if (plain === null) {
      for (const o of out) o.fill(0);
      throw payloadAuthError();
    }
    out.push(plain);
  }
  return out.length === 1 && out[0] !== undefined ? out[0] : Buffer.concat(out);
}

/**
 * Encrypt a plaintext into the payload: a fresh 16-byte nonce, then one sealed chunk per 64 KiB
 * (at least one: an empty plaintext is one empty final chunk; a plaintext of exactly k × 64 KiB
 * ends with a full final chunk, never an empty one).
 */
export function encryptPayload(fileKey: Uint8Array, plaintext: Uint8Array): Buffer {
  const start = randomBytes(16);
  const key = hkdf32(fileKey, start, "payload");
  const count = Math.max(1, Math.ceil(plaintext.length / CHUNK));
  const out: Buffer[] = [start];
  const nonce = Buffer.alloc(12);
  for (let i = 0; i < count; i++) {
    nonce.writeUInt32BE(i, 7);
    nonce[11] = i === count - 1 ? 1 : 0;
    out.push(aeadSeal(key, nonce, plaintext.subarray(i * CHUNK, (i + 1) * CHUNK)));
  }
  return Buffer.concat(out);
}
