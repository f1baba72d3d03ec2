/**
 * The floors secretgen is compared with, measured on the same files in the same run:
 * decrypting every entropy file in one process (node:crypto, age-encryption), one `age -d`
 * process per file (the agenix way), and the start of a bare node and of `secretgen --version`.
 * Each function times one run and returns milliseconds.
 */
import process from "node:process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CLI, ROOT, timeProcess } from "./measure.mjs";

const DECRYPT_ALL = join(ROOT, "bench/decrypt-all.mjs");

/**
 * Decrypt every entropy file in one process (bench/decrypt-all.mjs) with `mode`: node-crypto
 * (secretgen's fastDecrypt) or age-encryption (its Decrypter).
 *
 * @returns `{ ms, inProcessMs }`: the whole process, and its own time for the files
 */
export function decryptAll(mode, entropyDir, key, expected, env) {
  const r = timeProcess(process.execPath, [DECRYPT_ALL, mode, entropyDir, key], { env });
  const out = JSON.parse(r.stdout);
  if (out.files !== expected)
    throw new Error(`${mode}: decrypted ${out.files} files, expected ${expected}`);
  return { ms: r.ms, inProcessMs: out.ms };
}

/** One `age -d -i KEY FILE` process per entropy file, one after the other. */
export function ageFloor(entropyDir, key, expected, env) {
  const files = readdirSync(entropyDir, { recursive: true }).filter((f) => f.endsWith(".age"));
  if (files.length !== expected)
    throw new Error(`found ${files.length} entropy files, expected ${expected}`);
  let total = 0;
  for (const f of files)
    total += timeProcess("age", ["-d", "-i", key, join(entropyDir, f)], { env }).ms;
  return total;
}

/** A bare node start: `node -e 0`. */
export function bareNode(env) {
  return timeProcess(process.execPath, ["-e", "0"], { env }).ms;
}

/** `secretgen --version`. */
export function version(env) {
  return timeProcess(process.execPath, [CLI, "--version"], { env }).ms;
}
