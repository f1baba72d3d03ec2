/**
 * The node:crypto primitives against references: HKDF against hkdfSync, X25519 on low-order
 * points, bech32 against age-encryption's encoding, the ChaCha20-Poly1305 helpers.
 */
import { hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { aeadOpen, aeadSeal, hkdf32, x25519, x25519PrivateKey } from "../../src/age/primitives.js";
import { bech32Decode, bech32Encode } from "../../src/age/bech32.js";

describe("hkdf32", () => {
  it.for([0, 1, 32, 64, 65, 200])("equals hkdfSync (salt of %i bytes)", (saltLength) => {
    for (let i = 0; i < 20; i++) {
      const ikm = randomBytes(i % 3 === 0 ? 0 : 32);
      const salt = randomBytes(saltLength);
      const info = ["header", "payload", "age-encryption.org/v1/X25519"][i % 3] ?? "";
      expect(hkdf32(ikm, salt, info)).toEqual(Buffer.from(hkdfSync("sha256", ikm, salt, info, 32)));
    }
  });
});

describe("x25519", () => {
  it("refuses low-order points (all-zero result)", () => {
    const key = x25519PrivateKey(randomBytes(32));
    expect(x25519(key, new Uint8Array(32))).toBeNull();
    const one = new Uint8Array(32);
    one[0] = 1;
    expect(x25519(key, one)).toBeNull();
  });
});

describe("aead", () => {
  it("seals and opens; a flipped bit or a short input does not open", () => {
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const sealed = aeadSeal(key, nonce, Buffer.from("hello"));
    expect(aeadOpen(key, nonce, sealed)?.toString()).toBe("hello");
    sealed[0] = (sealed[0] ?? 0) ^ 1;
    expect(aeadOpen(key, nonce, sealed)).toBeNull();
    expect(aeadOpen(key, nonce, sealed.subarray(0, 15))).toBeNull();
  });
});

describe("bech32", () => {
  it("round-trips and refuses mixed case and bad checksums", () => {
    const bytes = randomBytes(32);
    const text = bech32Encode("age", bytes);
    expect(bech32Decode(text)).toEqual({ hrp: "age", bytes: Uint8Array.from(bytes) });
    expect(bech32Decode(text.toUpperCase())).toEqual({ hrp: "AGE", bytes: Uint8Array.from(bytes) });
    expect(bech32Decode(text.replace(/[a-z]/, (c) => c.toUpperCase()))).toBeNull();
    expect(bech32Decode(text.slice(0, -1) + (text.endsWith("q") ? "p" : "q"))).toBeNull();
    expect(bech32Decode("age1")).toBeNull();
  });
});
