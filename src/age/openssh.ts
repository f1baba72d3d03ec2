/**
 * OpenSSH private keys (`-----BEGIN OPENSSH PRIVATE KEY-----`, PROTOCOL.key's openssh-key-v1):
 * ed25519 and RSA, unencrypted or passphrase-protected (bcrypt-pbkdf + AES-CTR/CBC).
 */
import { createDecipheriv } from "node:crypto";
import { decodeBase64 } from "./base64.js";
import { AgeError } from "./errors.js";
import type { KeyIdentity } from "./identity.js";
import { Ed25519Identity, parseEd25519Blob } from "./ssh-ed25519.js";
import { RsaIdentity, rsaPrivateKey } from "./ssh-rsa.js";
import { WireReader } from "./ssh-wire.js";

const BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
const END = "-----END OPENSSH PRIVATE KEY-----";
const MAGIC = Buffer.from("openssh-key-v1\0", "latin1");

/** Ciphers ssh-keygen can protect keys with: node name, key and IV sizes. */
const CIPHERS: Record<string, { node: string; keyLen: number; ivLen: number } | undefined> = {
  "aes256-ctr": { node: "aes-256-ctr", keyLen: 32, ivLen: 16 },
  "aes192-ctr": { node: "aes-192-ctr", keyLen: 24, ivLen: 16 },
  "aes128-ctr": { node: "aes-128-ctr", keyLen: 16, ivLen: 16 },
  "aes256-cbc": { node: "aes-256-cbc", keyLen: 32, ivLen: 16 },
  "aes192-cbc": { node: "aes-192-cbc", keyLen: 24, ivLen: 16 },
  "aes128-cbc": { node: "aes-128-cbc", keyLen: 16, ivLen: 16 },
};

/** More rounds than this would take minutes in pure JS: refuse rather than hang. */
const MAX_ROUNDS = 1024;

/** True when `text` holds an OpenSSH private key. */
export function isOpensshKey(text: string): boolean {
  return text.trimStart().startsWith(BEGIN);
}

function bad(source: string, reason: string): AgeError {
  return new AgeError("malformed", `${source}: invalid OpenSSH private key: ${reason}`);
}

function decodePem(text: string, source: string): Uint8Array {
  const body = text.trim();
  if (!body.startsWith(BEGIN) || !body.endsWith(END)) throw bad(source, "missing BEGIN/END lines");
  const b64 = body.slice(BEGIN.length, body.length - END.length).replace(/\s+/g, "");
  const bytes = decodeBase64(b64);
  if (bytes === null) throw bad(source, "invalid base64");
  return bytes;
}

async function decryptSection(
  section: Uint8Array,
  cipherName: string,
  kdfOptions: Uint8Array,
  passphrase: string,
  source: string,
): Promise<Uint8Array> {
  const cipher = CIPHERS[cipherName];
  if (cipher === undefined) {
    throw new AgeError(
      "unsupported",
      `${source}: OpenSSH key cipher "${cipherName}" is not supported`,
    );
  }
  const opts = new WireReader(kdfOptions);
  const salt = opts.string();
  const rounds = opts.uint32();
  if (salt === null || salt.length === 0 || rounds === null || rounds < 1)
    throw bad(source, "bad bcrypt options");
  if (rounds > MAX_ROUNDS) {
    throw new AgeError(
      "unsupported",
      `${source}: ${rounds} bcrypt rounds are more than ${MAX_ROUNDS}`,
    );
  }
  if (section.length % 16 !== 0) throw bad(source, "encrypted section is not whole blocks");
  const pass = Buffer.from(passphrase, "utf8");
  // Loaded on demand: only protected keys need it.
  const { default: bcryptPbkdf } = await import("bcrypt-pbkdf");
  const derived = new Uint8Array(cipher.keyLen + cipher.ivLen);
  if (
    pass.length === 0 ||
    bcryptPbkdf.pbkdf(pass, pass.length, salt, salt.length, derived, derived.length, rounds) !== 0
  ) {
    throw wrongPassphrase(source);
  }
  const d = createDecipheriv(
    cipher.node,
    derived.subarray(0, cipher.keyLen),
    derived.subarray(cipher.keyLen),
  );
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(section), d.final()]);
  derived.fill(0);
  return plain;
}

function wrongPassphrase(source: string): AgeError {
  return new AgeError("passphrase", `wrong passphrase for ${source}`, {
    hint: "the key file could not be decrypted with the passphrase given",
  });
}

function readEd25519(r: WireReader, publicBlob: Uint8Array, source: string): KeyIdentity {
  const pub = r.string();
  const priv = r.string();
  if (pub?.length !== 32 || priv?.length !== 64) throw bad(source, "bad ed25519 key");
  const headerKey = parseEd25519Blob(publicBlob);
  const matches = (a: Uint8Array | null, b: Uint8Array) => a !== null && Buffer.from(a).equals(b);
  if (!matches(priv.subarray(32), pub) || !matches(headerKey, pub)) {
    throw bad(source, "public key mismatch");
  }
  return new Ed25519Identity(priv.subarray(0, 32), source, pub);
}

function readRsa(r: WireReader, publicBlob: Uint8Array, source: string): KeyIdentity {
  const [n, e, d, iqmp, p, q] = Array.from({ length: 6 }, () => r.mpint());
  if (n == null || e == null || d == null || iqmp == null || p == null || q == null) {
    throw bad(source, "bad RSA key");
  }
  if (p < 2n || q < 2n || p * q !== n) throw bad(source, "bad RSA key");
  const identity = new RsaIdentity(rsaPrivateKey({ n, e, d, iqmp, p, q }), source);
  if (identity.recipient().text !== `ssh-rsa ${Buffer.from(publicBlob).toString("base64")}`) {
    throw bad(source, "public key mismatch");
  }
  return identity;
}

function parsePrivate(
  plain: Uint8Array,
  publicBlob: Uint8Array,
  encrypted: boolean,
  source: string,
) {
  const r = new WireReader(plain);
  const check1 = r.uint32();
  if (check1 === null || check1 !== r.uint32()) {
    // Random after a wrong passphrase: the only way OpenSSH tells one.
    throw encrypted ? wrongPassphrase(source) : bad(source, "check integers differ");
  }
  const type = r.text();
  if (type !== "ssh-ed25519" && type !== "ssh-rsa") throw unsupportedType(source, type);
  const identity =
    type === "ssh-ed25519" ? readEd25519(r, publicBlob, source) : readRsa(r, publicBlob, source);
  if (r.string() === null) throw bad(source, "missing comment");
  const padding = r.rest();
  for (let i = 0; i < padding.length; i++)
    if (padding[i] !== i + 1) throw bad(source, "bad padding");
  return identity;
}

function unsupportedType(source: string, type: string | null): AgeError {
  return new AgeError(
    "unsupported",
    `${source}: SSH key type "${type ?? "?"}" is not supported (ssh-ed25519 or ssh-rsa)`,
  );
}

/**
 * Parse an OpenSSH private key file. The passphrase callback is called only for a protected key.
 *
 * @throws an AgeError: `passphrase` for a wrong passphrase, `unsupported` for other key types or
 * ciphers, `malformed` for anything else. Whatever the passphrase callback throws propagates.
 */
export async function parseOpensshKey(
  text: string,
  source: string,
  passphrase: () => Promise<string>,
): Promise<KeyIdentity> {
  const bytes = decodePem(text, source);
  if (!Buffer.from(bytes.subarray(0, MAGIC.length)).equals(MAGIC))
    throw bad(source, "not openssh-key-v1");
  const r = new WireReader(bytes.subarray(MAGIC.length));
  const cipherName = r.text();
  const kdfName = r.text();
  const kdfOptions = r.string();
  const count = r.uint32();
  if (cipherName === null || kdfName === null || kdfOptions === null || count === null)
    throw bad(source, "truncated");
  if (count !== 1) throw bad(source, `${count} keys in one file`);
  const publicBlob = r.string();
  const section = r.string();
  if (publicBlob === null || section === null || r.remaining !== 0) throw bad(source, "truncated");
  const publicType = new WireReader(publicBlob).text();
  if (publicType !== "ssh-ed25519" && publicType !== "ssh-rsa") {
    throw unsupportedType(source, publicType);
  }
  if (cipherName === "none") {
    if (kdfName !== "none") throw bad(source, `cipher none with kdf ${kdfName}`);
    return parsePrivate(section, publicBlob, false, source);
  }
  if (kdfName !== "bcrypt") {
    throw new AgeError("unsupported", `${source}: OpenSSH key KDF "${kdfName}" is not supported`);
  }
  if (CIPHERS[cipherName] === undefined) {
    throw new AgeError(
      "unsupported",
      `${source}: OpenSSH key cipher "${cipherName}" is not supported`,
    );
  }
  const plain = await decryptSection(section, cipherName, kdfOptions, await passphrase(), source);
  try {
    return parsePrivate(plain, publicBlob, true, source);
  } finally {
    plain.fill(0);
  }
}
