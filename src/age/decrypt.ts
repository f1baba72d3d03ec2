/**
 * Decryption: the fast path first, then age-encryption for everything else, with its failures
 * mapped onto AgeError kinds. age-encryption's messages are never passed through verbatim
 * unless they are fixed strings: some of them quote header bytes.
 */
import { looksArmored, armorDecode } from "./armor.js";
import {
  AgeError,
  headerMacError,
  malformed,
  noIdentityError,
  payloadAuthError,
} from "./errors.js";
import { tryFastDecrypt, type FastFallback } from "./fastpath.js";
import { parseHeader, stanzaTypes } from "./header.js";
import { keyIdentity, type Identity } from "./identity.js";
import { typage } from "./typage.js";

const VERSION_PREFIX = "age-encryption.org/";

/** age-encryption header messages that are fixed strings, safe to show. */
const SAFE_MESSAGES = new Set([
  "invalid stanza",
  "invalid header",
  "invalid non-ASCII byte in header",
  "invalid X25519 stanza",
  "invalid scrypt stanza",
  "invalid mlkem768x25519 stanza",
  "scrypt recipient is not the only one in the header",
  "scrypt work factor is too high",
]);

function checkStart(binary: Uint8Array): void {
  const start = Buffer.from(binary.buffer, binary.byteOffset, Math.min(binary.length, 64)).toString(
    "latin1",
  );
  if (binary.length === 0) throw malformed("the file is empty");
  if (start.startsWith("age-encryption.org/v1\r\n")) {
    throw new AgeError("malformed", "malformed age file: its line endings were converted to CRLF", {
      hint: "check git's autocrlf/eol settings; *.age files must be binary in .gitattributes",
    });
  }
  if (!start.startsWith(VERSION_PREFIX)) throw malformed("not an age file");
  if (!start.startsWith("age-encryption.org/v1\n")) {
    throw new AgeError(
      "unsupported",
      "unsupported age format version (only age-encryption.org/v1 is read)",
    );
  }
}

function classify(
  err: unknown,
  binary: Uint8Array,
  identities: readonly Identity[],
  fast: FastFallback,
): AgeError {
  if (err instanceof AgeError) return err;
  const message = err instanceof Error ? err.message : "";
  if (message.startsWith("no identity matched")) {
    const types = stanzaTypes(binary);
    if (types.includes("scrypt") && types.length > 1)
      return malformed("header: an scrypt stanza must be the only one");
    if (types.includes("scrypt")) {
      return new AgeError(
        "unsupported",
        "the file is encrypted with a passphrase (scrypt), not to recipients",
        {
          hint: "secretgen decrypts with identities only",
        },
      );
    }
    return noIdentityError(
      types,
      identities.map((i) => i.type),
    );
  }
  if (message === "invalid header HMAC") {
    return fast.reason === "malformed" ? malformed(`header: ${fast.detail}`) : headerMacError();
  }
  if (message === "invalid tag") return payloadAuthError();
  if (/final chunk is empty|expected length|stream ended before|too small/.test(message)) {
    return malformed("truncated or invalid payload");
  }
  const detail = SAFE_MESSAGES.has(message)
    ? message
    : fast.reason === "malformed"
      ? fast.detail
      : "invalid header";
  return malformed(`header: ${detail}`);
}

function headerVerdict(binary: Uint8Array): FastFallback {
  const parsed = parseHeader(binary);
  return "header" in parsed ? { reason: "out-of-scope" } : parsed;
}

async function slowDecrypt(
  ciphertext: Uint8Array,
  identities: readonly Identity[],
  fast: FastFallback,
) {
  const armored = looksArmored(ciphertext);
  const binary = armored ? await armorDecode(ciphertext) : ciphertext;
  checkStart(binary);
  // For armor, the strict parser's verdict on the header inside, to classify failures.
  const verdict = armored ? headerVerdict(binary) : fast;
  const decrypter = new (await typage()).Decrypter();
  for (const id of identities) decrypter.addIdentity(keyIdentity(id).forTypage());
  try {
    return await decrypter.decrypt(binary);
  } catch (err) {
    throw classify(err, binary, identities, verdict);
  }
}

/**
 * Decrypt an age file, binary or armored, of any size: the fast path (see fastDecrypt) when it
 * applies, age-encryption otherwise.
 *
 * @throws an AgeError (exit 3) whose `kind` tells what failed: `no-identity` (naming the
 * file's stanza types), `malformed`, `header-mac`, `payload-auth`, or `unsupported` (another
 * format version, a passphrase-encrypted file), `plugin` (a plugin identity's plugin failed).
 * Messages hold no key material or plaintext.
 */
export async function decrypt(
  ciphertext: Uint8Array,
  identities: readonly Identity[],
): Promise<Uint8Array> {
  if (identities.some((id) => id.type === "plugin")) {
    // One file, one session; runs decrypting many files share a DecryptSession instead.
    const { DecryptSession } = await import("./plugin-decrypt.js");
    return new DecryptSession(identities).decrypt(ciphertext);
  }
  const fast = tryFastDecrypt(ciphertext, identities);
  if ("plaintext" in fast) return fast.plaintext;
  return slowDecrypt(ciphertext, identities, fast);
}
