/**
 * A worker thread of the pool (worker-pool.ts), or the one that decrypts entropy files early
 * (early-decrypt.ts): decrypts entropy files, encrypts files and runs render jobs. It holds the
 * admin identities (sent once, never logged) and answers one message per request.
 */
import { parentPort, workerData } from "node:worker_threads";
import { readFileSync } from "node:fs";
import { decrypt, deserializeIdentity, fastDecrypt } from "../../age/index.js";
import { sha256Hex } from "../../store/index.js";
import { UNCLAIMED, WORKER } from "./claims.js";
import { encryptHere } from "./encrypt-file.js";
import { encodeError } from "./error-codec.js";
import type { EarlyReply, WorkerReply, WorkerRequest } from "./messages.js";
import { copyToSend, own } from "./transfer.js";

const data = workerData as { identities: string[]; seed?: string };
const identities = data.identities.map(deserializeIdentity);

parentPort?.on("message", (req: WorkerRequest) => {
  if (req.type === "decrypt-files") {
    const reply: EarlyReply = { id: req.id, files: decryptFiles(req.paths, req.claims) };
    const moved = reply.files.flatMap(([, , p]) => (p === null ? [] : [p.buffer]));
    parentPort?.postMessage(reply, moved);
    return;
  }
  void handle(req).then((reply) => {
    if (!reply.ok) {
      parentPort?.postMessage(reply);
      return;
    }
    const r = reply.result;
    if (r instanceof Uint8Array) {
      const result = own(r);
      parentPort?.postMessage({ ...reply, result }, [result.buffer]);
    } else if (r.kind === "done") {
      // Copies: a render's bytes may be held by the worker still (its inputs, caches).
      const result = { ...r, value: copyToSend(r.value), consumed: copyToSend(r.consumed) };
      const moved = [result.value.buffer, result.consumed.buffer];
      parentPort?.postMessage({ ...reply, result }, moved);
    } else parentPort?.postMessage(reply);
  });
});

/** The files of `paths` this thread claims, from the last one back (early-decrypt.ts). */
function decryptFiles(paths: readonly string[], buffer: SharedArrayBuffer): EarlyReply["files"] {
  const claims = new Int32Array(buffer);
  const out: EarlyReply["files"] = [];
  for (let i = paths.length - 1; i >= 0; i--) {
    if (Atomics.compareExchange(claims, i, UNCLAIMED, WORKER) !== UNCLAIMED) continue;
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(paths[i] ?? "");
    } catch {
      continue; // left to the main thread, which reads it again
    }
    let plaintext: Uint8Array | null = null;
    try {
      plaintext = fastDecrypt(bytes, identities);
    } catch {
      // left to the main thread, which decrypts it again and reports the error
    }
    out.push([i, sha256Hex(bytes), plaintext === null ? null : own(plaintext)]);
  }
  return out;
}

async function handle(
  req: Exclude<WorkerRequest, { type: "decrypt-files" }>,
): Promise<WorkerReply> {
  try {
    const result =
      req.type === "render"
        ? // Loaded on the first render: a rekey's workers only encrypt and decrypt, and the
          // generators (handlebars, Go templates, bcrypt) are half of a worker's start-up.
          await (await import("./job.js")).runRenderJob(req.job, data.seed)
        : req.type === "encrypt"
          ? await encryptHere(req.plaintext, req.recipients, req.armor)
          : await decrypt(req.ciphertext, identities);
    return { id: req.id, ok: true, result };
  } catch (err) {
    return { id: req.id, ok: false, error: encodeError(err) };
  }
}
