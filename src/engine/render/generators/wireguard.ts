/**
 * `wireguard`: a WireGuard key pair, as `wg genkey` / `wg pubkey` write it.
 *
 * Draws exactly 32 bytes. The private key is those bytes clamped the way `wg genkey` clamps
 * (curve25519_clamp_secret: byte 0 &= 248, byte 31 &= 127, byte 31 |= 64). The value is its
 * standard base64 (44 characters) and a newline; the public key is the base64 of
 * X25519(private, 9) and a newline, exactly what `wg pubkey` prints. Pure: no I/O.
 */
import { x25519PublicKey } from "./curve25519.js";
import type { KeypairSpec } from "../../../declarations/index.js";
import type { RenderContext, RenderResult } from "../../context.js";

/** Bytes drawn from the stream. */
export const WIREGUARD_DRAW = 32;

/** Clamp 32 bytes into a Curve25519 secret key as `wg genkey` does (returns a copy). */
export function clampWireguardKey(bytes: Uint8Array): Uint8Array {
  if (bytes.length !== 32) throw new RangeError(`a wireguard key is 32 bytes, got ${bytes.length}`);
  const key = bytes.slice();
  key[0] = (key[0] ?? 0) & 248;
  key[31] = ((key[31] ?? 0) & 127) | 64;
  return key;
}

/** What `wg pubkey` prints for a 32-byte private key: base64 of X25519(key, 9), a newline. */
export function wireguardPublicKey(privateKey: Uint8Array): string {
  return Buffer.from(x25519PublicKey(privateKey)).toString("base64") + "\n";
}

export function render(_spec: KeypairSpec, ctx: RenderContext): RenderResult {
  const privateKey = clampWireguardKey(ctx.entropy.draw(WIREGUARD_DRAW));
  return {
    value: new TextEncoder().encode(Buffer.from(privateKey).toString("base64") + "\n"),
    publicKey: wireguardPublicKey(privateKey),
  };
}
