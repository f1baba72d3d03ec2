/**
 * A worker thread of the pool: decrypts entropy files, encrypts files and runs render jobs. It holds the admin
 * identities (sent once, never logged) and answers one message per request.
 */
import { parentPort, workerData } from "node:worker_threads";
import { decrypt, deserializeIdentity } from "../../age/index.js";
import { encryptHere } from "./encrypt-file.js";
import { encodeError } from "./error-codec.js";
import type { WorkerReply, WorkerRequest } from "./messages.js";
import { copyToSend, own } from "./transfer.js";

const data = workerData as { identities: string[]; seed?: string };
const identities = data.identities.map(deserializeIdentity);

parentPort?.on("message", (req: WorkerRequest) => {
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

async function handle(req: WorkerRequest): Promise<WorkerReply> {
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
