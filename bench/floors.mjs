/**
 * The floors secretgen is compared with, measured on the same files in the same run:
 * decrypting every entropy file in one process (node:crypto, age-encryption), one `age -d`
 * process per file (the agenix way), and the start of a bare node and of `secretgen --version`;
 * for the writes, decrypting and encrypting the files a run writes in one process
 * (node:crypto), bcrypt of the same count and cost over the cores, and one `age -d` and one
 * `age -e` process per file. Each function times one run and returns milliseconds.
 */
import process from "node:process";
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CLI, ROOT, timeProcess } from "./measure.mjs";

const DECRYPT_ALL = join(ROOT, "bench/decrypt-all.mjs");
const REWRITE_ALL = join(ROOT, "bench/rewrite-all.mjs");
const BCRYPT_ALL = join(ROOT, "bench/bcrypt-all.mjs");

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

/**
 * A write floor: bench/rewrite-all.mjs on a job file (node:crypto, one thread, nothing written).
 *
 * @returns `{ ms, inProcessMs }`
 */
export function rewriteAll(jobFile, job, key, env) {
  const r = timeProcess(process.execPath, [REWRITE_ALL, jobFile, key], { env });
  const out = JSON.parse(r.stdout);
  const expected = (job.rewrite?.length ?? 0) + (job.encrypt?.length ?? 0);
  if (out.encrypted !== expected)
    throw new Error(`rewrite-all: encrypted ${out.encrypted} files, expected ${expected}`);
  return { ms: r.ms, inProcessMs: out.ms };
}

/** COUNT bcrypts of cost COST divided over THREADS worker threads, in one process. */
export function bcryptFloor(count, cost, threads, env) {
  const r = timeProcess(
    process.execPath,
    [BCRYPT_ALL, String(count), String(cost), String(threads)],
    { env },
  );
  if (JSON.parse(r.stdout).hashes !== count) throw new Error("bcrypt-all: wrong count");
  return r.ms;
}

/**
 * The agenix way of a rewrite: for every file of the job, one `age -d -i KEY FILE` process and
 * one `age -e -r …` process reading the plaintext on stdin (its output is discarded: the tree
 * is not touched). Returns the sum of the processes' times.
 */
export function agenixWay(job, key, env) {
  let total = 0;
  for (const { file, recipients } of job.rewrite) {
    const d = timeProcess("age", ["-d", "-i", key, file], { env, encoding: "buffer" });
    const args = ["-e", ...recipients.flatMap((r) => ["-r", r])];
    const start = process.hrtime.bigint();
    const e = spawnSync("age", args, { env, input: d.stdout, maxBuffer: 64 << 20 });
    total += d.ms + Number(process.hrtime.bigint() - start) / 1e6;
    if (e.status !== 0) throw new Error(`age -e exited with ${e.status}: ${e.stderr}`);
  }
  return total;
}
