/**
 * PEM private keys node:crypto parses: RSA as PKCS#1 (`BEGIN RSA PRIVATE KEY`, optionally with
 * a legacy `Proc-Type: 4,ENCRYPTED` header) or PKCS#8 (`BEGIN PRIVATE KEY`, `BEGIN ENCRYPTED
 * PRIVATE KEY`), and ed25519 as PKCS#8.
 */
import { createPrivateKey, type KeyObject } from "node:crypto";
import { AgeError } from "./errors.js";
import type { KeyIdentity } from "./identity.js";
import { Ed25519Identity } from "./ssh-ed25519.js";
import { RsaIdentity } from "./ssh-rsa.js";

const LABEL = /^-----BEGIN ([A-Z0-9 ]+)-----/;
const SUPPORTED = new Set(["RSA PRIVATE KEY", "PRIVATE KEY", "ENCRYPTED PRIVATE KEY"]);

/** The PEM label of `text` ("RSA PRIVATE KEY"), or null when it is not PEM. */
export function pemLabel(text: string): string | null {
  return LABEL.exec(text.trimStart())?.[1] ?? null;
}

/**
 * Parse a PEM private key. The passphrase callback is called only for an encrypted key.
 *
 * @throws an AgeError: `passphrase` when an encrypted key does not decrypt with the passphrase,
 * `unsupported` for other labels or key types, `malformed` when node:crypto cannot parse it.
 */
export async function parsePemKey(
  text: string,
  source: string,
  passphrase: () => Promise<string>,
): Promise<KeyIdentity> {
  const label = pemLabel(text) ?? "";
  if (!SUPPORTED.has(label)) {
    throw new AgeError(
      "unsupported",
      `${source}: "${label}" keys are not supported (RSA, ed25519 or OpenSSH keys)`,
    );
  }
  const encrypted = label === "ENCRYPTED PRIVATE KEY" || /^Proc-Type: 4,ENCRYPTED$/m.test(text);
  let key: KeyObject;
  if (encrypted) {
    const pass = await passphrase();
    try {
      key = createPrivateKey({ key: text, format: "pem", passphrase: pass });
    } catch {
      throw new AgeError("passphrase", `wrong passphrase for ${source}`, {
        hint: "the key file could not be decrypted with the passphrase given",
      });
    }
  } else {
    try {
      key = createPrivateKey({ key: text, format: "pem" });
    } catch {
      // node's message may describe the DER contents; keep only the fact.
      throw new AgeError("malformed", `${source}: invalid ${label} PEM file`);
    }
  }
  if (key.asymmetricKeyType === "rsa") return new RsaIdentity(key, source);
  if (key.asymmetricKeyType === "ed25519") {
    const seed = Buffer.from(key.export({ format: "jwk" }).d ?? "", "base64url");
    return new Ed25519Identity(seed, source);
  }
  throw new AgeError(
    "unsupported",
    `${source}: ${key.asymmetricKeyType ?? "unknown"} keys are not supported`,
  );
}
