/**
 * A worker thread of the pool: decrypts entropy files, encrypts files and runs render jobs. It holds the admin
 * identities (sent once, never logged) and answers one message per request.
 */
import { parentPort, workerData } from "node:worker_threads";
import { decrypt, deserializeIdentity } from "../age/index.js";
import { SecretgenError } from "../errors.js";
import { encryptHere } from "./encrypt-file.js";
import { runRenderJob } from "./job.js";
import type { WorkerReply, WorkerRequest } from "./pool.js";

const data = workerData as { identities: string[]; seed?: string };
const identities = data.identities.map(deserializeIdentity);

parentPort?.on("message", (req: WorkerRequest) => {
  void handle(req).then((reply) => parentPort?.postMessage(reply));
});

async function handle(req: WorkerRequest): Promise<WorkerReply> {
  try {
    const result =
      req.type === "render"
        ? runRenderJob(req.job, data.seed)
        : req.type === "encrypt"
          ? await encryptHere(req.plaintext, req.recipients, req.armor)
          : await decrypt(req.ciphertext, identities);
    return { id: req.id, ok: true, result };
  } catch (err) {
    if (err instanceof SecretgenError)
      return { id: req.id, ok: false, message: err.message, code: err.code, hint: err.hint };
    return {
      id: req.id,
      ok: false,
      message: `internal error: ${err instanceof Error ? err.message : String(err)}`,
      code: 3,
    };
  }
}
