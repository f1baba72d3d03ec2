/**
 * A write floor, run as its own process, on node:crypto in this one thread (secretgen's own
 * fastDecrypt and fastEncrypt):
 *
 *   node bench/rewrite-all.mjs JOB.json KEY
 *
 * JOB.json is `{ "decrypt": [FILE…], "rewrite": [{ "file": FILE, "recipients": [TEXT…] }…],
 * "encrypt": [{ "bytes": B, "recipients": [TEXT…] }…] }`: decrypt every `decrypt` file, decrypt
 * every `rewrite` file and encrypt its plaintext to its new recipients, and encrypt a random
 * plaintext of B bytes for every `encrypt` entry. Nothing is written. Prints
 * `{"decrypted": D, "encrypted": E, "ms": T}`, T being the in-process time of that work.
 */
import process from "node:process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

const [jobFile, keyFile] = process.argv.slice(2);
if (keyFile === undefined) {
  process.stderr.write("usage: node bench/rewrite-all.mjs JOB.json KEY\n");
  process.exit(2);
}
const job = JSON.parse(readFileSync(jobFile, "utf8"));
const { fastDecrypt, fastEncrypt, loadIdentityFile, parseRecipient } =
  await import("../dist/age/index.js");
const { identities } = await loadIdentityFile(keyFile, {
  passphrase: () => Promise.reject(new Error("no passphrase")),
});
const parsed = new Map();
const recipients = (list) =>
  list.map((text) => {
    if (!parsed.has(text)) parsed.set(text, parseRecipient(text));
    return parsed.get(text);
  });
const open = (file) => {
  const plaintext = fastDecrypt(new Uint8Array(readFileSync(file)), identities);
  if (plaintext === null) throw new Error(`the fast path declined ${file}`);
  return plaintext;
};
const seal = (plaintext, list) => {
  const out = fastEncrypt(plaintext, recipients(list));
  if (out === null) throw new Error("the fast writer declined a file");
  return out;
};

const start = process.hrtime.bigint();
let decrypted = 0;
let encrypted = 0;
for (const file of job.decrypt ?? []) {
  open(file);
  decrypted++;
}
for (const { file, recipients: list } of job.rewrite ?? []) {
  seal(open(file), list);
  decrypted++;
  encrypted++;
}
for (const { bytes, recipients: list } of job.encrypt ?? []) {
  seal(randomBytes(bytes), list);
  encrypted++;
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ decrypted, encrypted, ms }) + "\n");
