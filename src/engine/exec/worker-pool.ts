/**
 * The worker-thread executor: decryption, encryption and render jobs spread over `size` threads running
 * worker.js, each job to the least loaded one. Its own module so that runs on this thread alone
 * never load node:worker_threads.
 */
import { Worker } from "node:worker_threads";
import { serializeIdentity, type Identity } from "../../age/index.js";
import { runtimeError } from "../../errors.js";
import { asSecretgenError } from "./error-codec.js";
import type { JobResult, RenderJob } from "./job.js";
import type { Executor } from "./executor.js";
import type { WorkerReply, WorkerRequest } from "./messages.js";
import { copyToSend } from "./transfer.js";

interface Pending {
  resolve: (v: JobResult | Uint8Array) => void;
  reject: (e: unknown) => void;
}

export class WorkerPool implements Executor {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(size: number, identities: Identity[], seed?: string) {
    const workerData = { identities: identities.map(serializeIdentity), seed };
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData });
      worker.on("message", (reply: WorkerReply) => {
        this.settle(i, reply);
      });
      worker.on("error", (err) => {
        this.failAll(err);
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  render(job: RenderJob): Promise<JobResult> {
    return this.send({ id: this.nextId++, type: "render", job }) as Promise<JobResult>;
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    const bytes = copyToSend(ciphertext);
    const req: WorkerRequest = { id: this.nextId++, type: "decrypt", ciphertext: bytes };
    return this.send(req, [bytes.buffer]) as Promise<Uint8Array>;
  }

  encrypt(plaintext: Uint8Array, recipients: readonly string[], armor: boolean) {
    const bytes = copyToSend(plaintext);
    const req: WorkerRequest = {
      id: this.nextId++,
      type: "encrypt",
      plaintext: bytes,
      recipients,
      armor,
    };
    return this.send(req, [bytes.buffer]) as Promise<Uint8Array>;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private send(req: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<JobResult | Uint8Array> {
    // The least loaded worker takes the job.
    let best = 0;
    for (let i = 1; i < this.load.length; i++)
      if ((this.load[i] ?? 0) < (this.load[best] ?? 0)) best = i;
    this.load[best] = (this.load[best] ?? 0) + 1;
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.workers[best]?.postMessage(req, transfer);
    });
  }

  private settle(worker: number, reply: WorkerReply): void {
    this.load[worker] = (this.load[worker] ?? 1) - 1;
    const p = this.pending.get(reply.id);
    if (p === undefined) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.result);
    else p.reject(asSecretgenError(reply.error));
  }

  private failAll(err: unknown): void {
    for (const p of this.pending.values())
      p.reject(runtimeError(`a worker thread failed: ${String(err)}`, { cause: err }));
    this.pending.clear();
  }
}
