/**
 * The fast path: binary age files an X25519 or ssh-ed25519 identity can open, decrypted on
 * node:crypto with the strict header parser, KeyObjects built once per identity, HKDF, HMAC
 * and ChaCha20-Poly1305. Everything else is left to age-encryption (the slow path).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { headerMacError, noIdentityError } from "./errors.js";
import { parseHeader, type HeaderReject } from "./header.js";
import { keyIdentity, type Identity } from "./identity.js";
import { hkdf32 } from "./primitives.js";
import { decryptPayload } from "./stream.js";

const FAST_TYPES = new Set(["X25519", "ssh-ed25519"]);

/** Why a file was left to the slow path. */
export type FastFallback = HeaderReject | { reason: "out-of-scope" };

/** The plaintext, or why the fast path declined. */
export type FastOutcome = { plaintext: Uint8Array } | FastFallback;

const OUT_OF_SCOPE: FastFallback = { reason: "out-of-scope" };

/**
 * The fast path with the reason it declined; see fastDecrypt. Its decisions equal
 * age-encryption's: identities are tried in order, each over all stanzas, and stanza types no
 * identity of ours reads (hybrid, plugins, grease) are skipped as age-encryption skips them.
 */
export function tryFastDecrypt(
  ciphertext: Uint8Array,
  identities: readonly Identity[],
): FastOutcome {
  const parsed = parseHeader(ciphertext);
  if (!("header" in parsed)) return parsed;
  const { stanzas, macInput, mac, end } = parsed.header;
  const types = stanzas.map((s) => s.args[0] ?? "");
  // scrypt has whole-header rules, ssh-rsa needs RSA: age-encryption decides those files.
  if (types.length === 0 || types.includes("scrypt")) return OUT_OF_SCOPE;
  let fileKey: Uint8Array | null = null;
  for (const id of identities) {
    const unwrapped = keyIdentity(id).unwrapFast(stanzas);
    if (unwrapped === undefined) {
      // An identity without a fast path (ssh-rsa): it can only match ssh-rsa stanzas.
      if (types.includes(id.type)) return OUT_OF_SCOPE;
      continue;
    }
    fileKey = unwrapped;
    if (fileKey !== null) break;
  }
  if (fileKey === null) {
    if (!types.every((t) => FAST_TYPES.has(t))) return OUT_OF_SCOPE;
    throw noIdentityError(
      types,
      identities.map((i) => i.type),
    );
  }
  const expected = createHmac("sha256", hkdf32(fileKey, new Uint8Array(0), "header"))
    .update(macInput)
    .digest();
  if (!timingSafeEqual(expected, mac)) throw headerMacError();
  return { plaintext: decryptPayload(fileKey, ciphertext.subarray(end)) };
}

/**
 * Decrypt a binary age file on node:crypto when an X25519 or ssh-ed25519 identity decides it.
 *
 * @returns the plaintext; or null when the file is not for the fast path: armored, a header the
 * strict parser rejects, scrypt stanzas, ssh-rsa stanzas with an ssh-rsa identity to try, or no
 * match among X25519/ssh-ed25519 identities while other stanza types (hybrid, ssh-rsa, plugins)
 * are present. Use `decrypt`, which falls back to age-encryption.
 * @throws an AgeError on a definite failure: `no-identity`, `malformed` (an invalid stanza for
 * one of the identities, truncated payload), `header-mac`, `payload-auth`.
 */
export function fastDecrypt(
  ciphertext: Uint8Array,
  identities: readonly Identity[],
): Uint8Array | null {
  const outcome = tryFastDecrypt(ciphertext, identities);
  return "plaintext" in outcome ? outcome.plaintext : null;
}
