/**
 * A decryption floor, run as its own process: read every `.age` file under DIR and decrypt it
 * with the admin identity in KEY, one file after the other, in this one thread.
 *
 *   node bench/decrypt-all.mjs node-crypto DIR KEY   the project's fastDecrypt (node:crypto)
 *   node bench/decrypt-all.mjs age-encryption DIR KEY   age-encryption's Decrypter
 *
 * Prints `{"files": F, "bytes": B, "ms": T}` on stdout, T being the in-process time of listing,
 * reading and decrypting (module loading and identity parsing excluded).
 */
import process from "node:process";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [mode, dir, keyFile] = process.argv.slice(2);
if (keyFile === undefined) {
  process.stderr.write("usage: node bench/decrypt-all.mjs node-crypto|age-encryption DIR KEY\n");
  process.exit(2);
}

/** A function from ciphertext to plaintext (a promise for age-encryption). */
async function decrypter() {
  if (mode === "node-crypto") {
    const { fastDecrypt, loadIdentityFile } = await import("../dist/age/index.js");
    const { identities } = await loadIdentityFile(keyFile, {
      passphrase: () => Promise.reject(new Error("no passphrase")),
    });
    return (ciphertext) => {
      const plaintext = fastDecrypt(ciphertext, identities);
      if (plaintext === null) throw new Error("the fast path declined a file");
      return plaintext;
    };
  }
  if (mode === "age-encryption") {
    const { Decrypter } = await import("age-encryption");
    const secretKey = /^AGE-SECRET-KEY-1[0-9A-Z]+$/m.exec(readFileSync(keyFile, "utf8"))?.[0];
    if (secretKey === undefined) throw new Error(`no age secret key in ${keyFile}`);
    const d = new Decrypter();
    d.addIdentity(secretKey);
    return (ciphertext) => d.decrypt(ciphertext);
  }
  throw new Error(`unknown mode ${mode}`);
}

const decrypt = await decrypter();
const start = process.hrtime.bigint();
let files = 0;
let bytes = 0;
for (const rel of readdirSync(dir, { recursive: true })) {
  if (!rel.endsWith(".age")) continue;
  const plaintext = await decrypt(new Uint8Array(readFileSync(join(dir, rel))));
  files++;
  bytes += plaintext.length;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ files, bytes, ms }) + "\n");
