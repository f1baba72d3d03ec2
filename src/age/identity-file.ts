/**
 * Identity files, as `age -i` reads them: age identity files (`AGE-SECRET-KEY-1…` and plugin
 * `AGE-PLUGIN-NAME-1…` lines with `#` comments and blank lines), OpenSSH and PEM private keys, and identity files encrypted
 * with a passphrase (`age -p`). Errors name the source and line, never quote key material.
 */
import { armorDecode, looksArmored } from "./armor.js";
import { AgeError } from "./errors.js";
import { stanzaTypes } from "./header.js";
import type { KeyIdentity } from "./identity.js";
import { PluginIdentity } from "./plugin-identity.js";
import { parsePluginIdentity } from "./plugin-names.js";
import { isOpensshKey, parseOpensshKey } from "./openssh.js";
import { parsePemKey, pemLabel } from "./pem.js";
import { typage } from "./typage.js";
import { decodeX25519Secret, X25519Identity } from "./x25519.js";

/** What parsing identity text needs besides the text. */
export interface ParseOptions {
  /** Names the input in messages and in each identity's `source` (e.g. the file path). */
  source: string;
  /** Asked only when a key is passphrase-protected. */
  passphrase: () => Promise<string>;
}

function lineError(
  kind: "malformed" | "unsupported",
  source: string,
  line: number,
  reason: string,
) {
  return new AgeError(kind, `${source}: line ${line}: ${reason}`);
}

function parseAgeLines(text: string, source: string): (KeyIdentity | PluginIdentity)[] {
  const out: (KeyIdentity | PluginIdentity)[] = [];
  const lines = text.split("\n");
  for (let n = 1; n <= lines.length; n++) {
    const line = (lines[n - 1] ?? "").trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line.startsWith("AGE-SECRET-KEY-PQ-1")) {
      throw lineError("unsupported", source, n, "post-quantum identities are not supported");
    }
    if (line.toUpperCase().startsWith("AGE-PLUGIN-")) {
      const plugin = parsePluginIdentity(line);
      if ("error" in plugin) throw lineError("malformed", source, n, plugin.error);
      out.push(new PluginIdentity(line, plugin.name, `${source}:${n}`));
      continue;
    }
    if (!line.startsWith("AGE-SECRET-KEY-1")) {
      throw lineError("malformed", source, n, "not an age secret key (expected AGE-SECRET-KEY-1…)");
    }
    const scalar = decodeX25519Secret(line);
    if (scalar === null) throw lineError("malformed", source, n, "malformed age secret key");
    out.push(new X25519Identity(scalar, `${source}:${n}`));
  }
  if (out.length === 0) throw new AgeError("malformed", `${source}: no secret keys found`);
  return out;
}

async function decryptIdentityFile(bytes: Uint8Array, opts: ParseOptions): Promise<string> {
  const binary = looksArmored(bytes) ? await armorDecode(bytes) : bytes;
  const types = stanzaTypes(binary);
  if (types.length !== 1 || types[0] !== "scrypt") {
    throw new AgeError(
      "unsupported",
      `${opts.source} is an age file not encrypted with a passphrase`,
      {
        hint: "an encrypted identity file must be made with age -p",
      },
    );
  }
  const decrypter = new (await typage()).Decrypter();
  decrypter.addPassphrase(await opts.passphrase());
  try {
    return Buffer.from(await decrypter.decrypt(binary)).toString("utf8");
  } catch (err) {
    if (err instanceof Error && err.message.startsWith("no identity matched")) {
      throw new AgeError("passphrase", `wrong passphrase for ${opts.source}`, {
        hint: "it is an age file encrypted with a passphrase (age -p)",
      });
    }
    throw new AgeError("malformed", `${opts.source}: cannot decrypt the encrypted identity file`);
  }
}

/** Parse identity-file bytes; see parseIdentities. */
export async function parseIdentityBytes(
  bytes: Uint8Array,
  opts: ParseOptions,
  nested = false,
): Promise<(KeyIdentity | PluginIdentity)[]> {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  const start = text.trimStart();
  const encrypted =
    start.startsWith("age-encryption.org/") ||
    start.startsWith("-----BEGIN AGE ENCRYPTED FILE-----");
  if (encrypted && !nested) {
    const inner = await decryptIdentityFile(bytes, opts);
    return parseIdentityBytes(Buffer.from(inner, "utf8"), opts, true);
  }
  if (isOpensshKey(text)) return [await parseOpensshKey(text, opts.source, opts.passphrase)];
  if (pemLabel(text) !== null) return [await parsePemKey(text, opts.source, opts.passphrase)];
  if (/^(ssh-ed25519|ssh-rsa|ecdsa-\S+|sk-\S+) /.test(start)) {
    throw new AgeError("malformed", `${opts.source} is an SSH public key, not a private key`, {
      hint: "give the private key file (without .pub)",
    });
  }
  if (start.startsWith("age1")) {
    throw new AgeError(
      "malformed",
      `${opts.source} holds a recipient (public key), not an identity`,
    );
  }
  return parseAgeLines(text.replaceAll("\r\n", "\n"), opts.source);
}
