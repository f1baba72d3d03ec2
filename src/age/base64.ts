/**
 * Strict base64 for the age header and SSH key text: only the canonical encoding of a value is
 * accepted (no whitespace, no non-zero padding bits), as Go's `base64.StdEncoding.Strict()`.
 */

const UNPADDED = /^[A-Za-z0-9+/]*$/;
const PADDED = /^[A-Za-z0-9+/]*={0,2}$/;

/** Standard base64 without padding, as the age header writes it. */
export function encodeBase64NoPad(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("base64")
    .replace(/=+$/, "");
}

/** Standard base64 with padding, as SSH public keys are written. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

/** Decode unpadded canonical base64; null when `s` is anything else. */
export function decodeBase64NoPad(s: string): Buffer | null {
  if (s.length % 4 === 1 || !UNPADDED.test(s)) return null;
  const bytes = Buffer.from(s, "base64");
  return encodeBase64NoPad(bytes) === s ? bytes : null;
}

/** Decode padded canonical base64; null when `s` is anything else. */
export function decodeBase64(s: string): Buffer | null {
  if (s.length % 4 !== 0 || !PADDED.test(s)) return null;
  const bytes = Buffer.from(s, "base64");
  return encodeBase64(bytes) === s ? bytes : null;
}
