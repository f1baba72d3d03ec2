/**
 * `age`: a native age X25519 identity, as `age-keygen` writes it (without its comment lines).
 *
 * Draws exactly 32 bytes: the X25519 secret scalar, stored unclamped as age stores it (X25519
 * clamps when it is used). The value is `AGE-SECRET-KEY-1…` (bech32 of the 32 bytes under the
 * human-readable part `age-secret-key-`, then upper-cased) and a newline; the public key is
 * `age1…` (bech32 of X25519(scalar, 9) under `age`, lower case) and a newline, exactly what
 * `age-keygen -y` prints. Pure: no I/O.
 */
import { x25519PublicKey } from "./curve25519.js";
import { bech32Encode } from "../../../age/index.js";
import type { KeypairSpec } from "../../../declarations/index.js";
import type { RenderContext, RenderResult } from "../../context.js";

/** Bytes drawn from the stream. */
export const AGE_KEY_DRAW = 32;

/** `AGE-SECRET-KEY-1…` for a 32-byte X25519 scalar (no newline). */
export function encodeAgeIdentity(scalar: Uint8Array): string {
  if (scalar.length !== 32) throw new RangeError(`an age key is 32 bytes, got ${scalar.length}`);
  return bech32Encode("age-secret-key-", scalar).toUpperCase();
}

/** `age1…` for a 32-byte X25519 scalar (no newline). */
export function ageRecipientOf(scalar: Uint8Array): string {
  return bech32Encode("age", x25519PublicKey(scalar));
}

export function render(_spec: KeypairSpec, ctx: RenderContext): RenderResult {
  const scalar = ctx.entropy.draw(AGE_KEY_DRAW);
  return {
    value: new TextEncoder().encode(encodeAgeIdentity(scalar) + "\n"),
    publicKey: ageRecipientOf(scalar) + "\n",
  };
}
