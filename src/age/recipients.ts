/**
 * Recipients: `age1…` X25519 keys and `ssh-ed25519` / `ssh-rsa` SSH public keys, parsed strictly
 * and normalised (SSH comments dropped), so equal keys compare equal as text.
 */
import { quote, usageError } from "../errors.js";
import { bech32Decode } from "./bech32.js";
import { decodeBase64 } from "./base64.js";
import { parsePluginRecipient } from "./plugin-names.js";
import { ed25519ToMontgomery, parseEd25519Blob } from "./ssh-ed25519.js";
import { MIN_RSA_BITS, parseRsaBlob } from "./ssh-rsa.js";
import { decodeX25519Recipient } from "./x25519.js";

/**
 * A public key files are encrypted to. `text` is the normalised form: `age1…`, `age1NAME1…`
 * (an age plugin's recipient, type `plugin`), or `ssh-ed25519 BASE64` / `ssh-rsa BASE64`
 * without the comment.
 */
export interface Recipient {
  type: "x25519" | "ssh-ed25519" | "ssh-rsa" | "plugin";
  text: string;
}

const SSH_LINE = /^(\S+)[ \t]+(\S+)(?:[ \t]+.*)?$/s;

function bad(text: string, reason: string) {
  return usageError(`malformed recipient ${quote(text)}: ${reason}`);
}

function unsupported(text: string, reason: string) {
  return usageError(`unsupported recipient ${quote(text)}: ${reason}`);
}

function parseAge(text: string): Recipient {
  const d = bech32Decode(text);
  if (d === null) throw bad(text, "invalid bech32 (bad character, case or checksum)");
  if (d.hrp === "age1pq") {
    throw unsupported(text, "post-quantum (hybrid) recipients cannot be read by age 1.1");
  }
  if (d.hrp !== "age") {
    const plugin = parsePluginRecipient(text);
    if ("error" in plugin) throw bad(text, plugin.error);
    return { type: "plugin", text };
  }
  if (decodeX25519Recipient(text) === null) {
    throw bad(text, `an X25519 key is 32 bytes, this one has ${d.bytes.length}`);
  }
  return { type: "x25519", text };
}

function parseSsh(text: string): Recipient {
  const m = SSH_LINE.exec(text);
  const [type, b64] = [m?.[1] ?? "", m?.[2] ?? ""];
  if (type !== "ssh-ed25519" && type !== "ssh-rsa") {
    if (m !== null && /^(ssh-|ecdsa-|sk-)/.test(type)) {
      throw unsupported(
        text,
        `SSH key type ${quote(type)} is not supported (ssh-ed25519 or ssh-rsa)`,
      );
    }
    if (text.startsWith("AGE1")) throw bad(text, "age recipients are lowercase (age1…)");
    throw bad(text, "expected age1…, ssh-ed25519 … or ssh-rsa …");
  }
  const blob = decodeBase64(b64);
  if (blob === null) throw bad(text, "the key is not valid base64");
  if (type === "ssh-ed25519") {
    const key = parseEd25519Blob(blob);
    if (key === null) throw bad(text, "not an ssh-ed25519 key blob (truncated or wrong type)");
    if (ed25519ToMontgomery(key) === null) throw bad(text, "not a usable ed25519 public key");
  } else {
    const key = parseRsaBlob(blob);
    if (key === null) throw bad(text, "not an ssh-rsa key blob (truncated or wrong type)");
    if (key.bits < MIN_RSA_BITS) {
      throw unsupported(
        text,
        `the RSA key has ${key.bits} bits, at least ${MIN_RSA_BITS} are required`,
      );
    }
  }
  return { type, text: `${type} ${b64}` };
}

/**
 * Parse and normalise one recipient.
 *
 * @throws a SecretgenError (exit 2) quoting the value when it is malformed (bad bech32, wrong
 * length, bad base64, truncated or mismatched SSH blob, invalid plugin name) or unsupported
 * (post-quantum `age1pq1…` recipients, other SSH key types, RSA keys under 2048 bits). A secret key given by
 * mistake is reported without quoting it.
 */
export function parseRecipient(text: string): Recipient {
  if (/^AGE-SECRET-KEY-|^-----BEGIN/i.test(text)) {
    throw usageError("a private key was given where a recipient is expected (value not shown)", {
      hint: "give its public key: `age-keygen -y FILE` or `ssh-keygen -y -f FILE`",
    });
  }
  return text.startsWith("age1") ? parseAge(text) : parseSsh(text);
}

/** A recipient short enough for a message (ssh-rsa keys are ~380 characters). */
export function shortRecipient(text: string): string {
  return text.length > 64 ? `${text.slice(0, 61)}...` : text;
}
