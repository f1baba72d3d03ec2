/**
 * Encryption: the fast writer (writer.ts, node:crypto) when it handles every recipient, else
 * age-encryption's Encrypter: X25519 recipients natively, ssh-ed25519 and ssh-rsa through our
 * recipient objects (ssh-ed25519.ts, ssh-rsa.ts); files with plugin recipients go to
 * plugin-encrypt.ts.
 */
import type { Recipient as TypageRecipient } from "age-encryption";
import { runtimeError } from "../errors.js";
import { armorEncode } from "./armor.js";
import { decodeBase64 } from "./base64.js";
import { parseRecipient, type Recipient } from "./recipients.js";
import { Ed25519Recipient } from "./ssh-ed25519.js";
import { RsaRecipient } from "./ssh-rsa.js";
import { typage } from "./typage.js";
import { fastEncrypt } from "./writer.js";

const cache = new Map<string, string | TypageRecipient>();

/** A native recipient as age-encryption's Encrypter takes it (cached by text). */
export function forTypage(recipient: Recipient): string | TypageRecipient {
  let r = cache.get(recipient.text);
  if (r === undefined) {
    // Parsed again: a Recipient is plain data a caller could have built by hand.
    const { type, text } = parseRecipient(recipient.text);
    if (type === "x25519") {
      r = text;
    } else {
      const blob = decodeBase64(text.slice(type.length + 1)) ?? new Uint8Array(0);
      r = type === "ssh-ed25519" ? new Ed25519Recipient(blob) : new RsaRecipient(blob);
    }
    cache.set(recipient.text, r);
  }
  return r;
}

/**
 * Encrypt to the given recipients; `armor` gives ASCII-armored output. The fast writer takes
 * the file when it handles every recipient (X25519, ssh-ed25519, ssh-rsa); age-encryption
 * writes it otherwise.
 *
 * @throws a SecretgenError: exit 2 when a recipient's text does not parse (see
 * parseRecipient), exit 3 when the list is empty.
 */
export async function encrypt(
  plaintext: Uint8Array,
  recipients: readonly Recipient[],
  opts: { armor?: boolean } = {},
): Promise<Uint8Array> {
  const fast = fastEncrypt(plaintext, recipients, opts);
  if (fast !== null) return fast;
  return slowEncrypt(plaintext, recipients, opts);
}

/** age-encryption's Encrypter (what encrypt falls back to); exported for the tests. */
export async function slowEncrypt(
  plaintext: Uint8Array,
  recipients: readonly Recipient[],
  opts: { armor?: boolean } = {},
): Promise<Uint8Array> {
  if (recipients.length === 0) throw runtimeError("cannot encrypt to an empty list of recipients");
  if (recipients.some((r) => r.type === "plugin")) {
    const { encryptBatch } = await import("./plugin-encrypt.js");
    const [out] = await encryptBatch([{ plaintext, recipients, armor: opts.armor }]);
    if (out === undefined) throw new Error("encryptBatch returned no file");
    return out;
  }
  const encrypter = new (await typage()).Encrypter();
  for (const r of recipients) encrypter.addRecipient(forTypage(r));
  const binary = await encrypter.encrypt(plaintext);
  return opts.armor === true ? await armorEncode(binary) : binary;
}
