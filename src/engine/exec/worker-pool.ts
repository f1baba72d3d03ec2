/**
 * The worker-thread executor: decryption, encryption and render jobs spread over `size` threads
 * running worker.js, handed out by one queue (job-queue.ts). Its own module so that runs on this
 * thread alone never load node:worker_threads.
 */
import { Worker } from "node:worker_threads";
import { serializeIdentity, type Identity } from "../../age/index.js";
import { runtimeError } from "../../errors.js";
import { asSecretgenError } from "./error-codec.js";
import type { JobResult, RenderJob } from "./job.js";
import type { Executor } from "./executor.js";
import { encryptRequest, type WorkerReply, type WorkerRequest } from "./messages.js";
import { JobQueue } from "./job-queue.js";
import { copyToSend } from "./transfer.js";

interface Pending {
  resolve: (v: JobResult | Uint8Array) => void;
  reject: (e: unknown) => void;
}

interface Queued {
  req: WorkerRequest;
  transfer: ArrayBuffer[];
}

export class WorkerPool implements Executor {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly queue: JobQueue<Queued>;
  private nextId = 0;

  constructor(size: number, identities: Identity[], seed?: string) {
    const workerData = { identities: identities.map(serializeIdentity), seed };
    this.queue = new JobQueue(size);
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL("./worker.js", import.meta.url), { workerData });
      worker.on("message", (reply: WorkerReply) => {
        this.settle(i, reply);
      });
      worker.on("error", (err) => {
        this.failAll(err);
      });
      this.workers.push(worker);
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
    const { req, transfer } = encryptRequest(this.nextId++, plaintext, recipients, armor);
    return this.send(req, transfer) as Promise<Uint8Array>;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private send(req: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<JobResult | Uint8Array> {
    return new Promise((resolve, reject) => {
      this.pending.set(req.id, { resolve, reject });
      this.post(this.queue.push({ req, transfer }));
    });
  }

  private post(sends: [number, Queued][]): void {
    for (const [w, { req, transfer }] of sends) this.workers[w]?.postMessage(req, transfer);
  }

  private settle(worker: number, reply: WorkerReply): void {
    this.post(this.queue.settled(worker));
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
    this.queue.clear();
  }
}
