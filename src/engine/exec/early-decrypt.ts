/**
 * Entropy files decrypted early, on a worker thread beside this one. A check, a no-op generate
 * and a rekey decrypt every entropy file, one thread's work of about 0.2 ms a file; the worker
 * starts before the declarations are loaded (it needs only the identity files and the list of
 * entropy files) and decrypts from the end of the list while this thread loads the
 * declarations and then works from the start. A file is claimed by one thread only (a flag per
 * file in shared memory). This thread uses the worker's plaintext only for the very bytes it
 * read itself (their SHA-256 must match); anything else (a file the worker's fast path declined
 * or failed on, a file changed in between, a worker that died) is decrypted here, with this
 * thread's errors. Never needed for correctness: without it every file is decrypted here.
 */
import { Worker } from "node:worker_threads";
import { serializeIdentity, type Identity } from "../../age/index.js";
import { sha256Hex } from "../../store/index.js";
import { HERE, UNCLAIMED, WORKER } from "./claims.js";
import type { EarlyReply, WorkerRequest } from "./messages.js";

export class EarlyDecrypt {
  private readonly index = new Map<string, number>();
  private readonly claims: Int32Array;
  private readonly worker: Worker;
  /** The worker's files by index: the SHA-256 of the bytes it read, and their plaintext. */
  private readonly results: Promise<Map<number, [hash: string, plaintext: Uint8Array | null]>>;

  /** Start decrypting `paths` (entropy files) with `identities` (native ones) on a worker. */
  constructor(paths: readonly string[], identities: readonly Identity[]) {
    paths.forEach((p, i) => this.index.set(p, i));
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, paths.length)));
    const workerData = { identities: identities.map(serializeIdentity) };
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { workerData });
    this.results = new Promise((resolve) => {
      this.worker.once("message", (reply: EarlyReply) => {
        resolve(new Map(reply.files.map(([i, hash, plaintext]) => [i, [hash, plaintext]])));
      });
      // A worker that fails leaves its files to this thread.
      this.worker.once("error", () => {
        resolve(new Map());
      });
      this.worker.once("exit", () => {
        resolve(new Map());
      });
    });
    const req: WorkerRequest = {
      id: 0,
      type: "decrypt-files",
      paths: [...paths],
      claims: this.claims.buffer as SharedArrayBuffer,
    };
    this.worker.postMessage(req);
    // It keeps the process alive only while this thread waits for its files (take).
    this.worker.unref();
    void this.results.then(() => {
      this.worker.unref();
    });
  }

  /**
   * The worker's plaintext of the file at `path`, which this thread read as `bytes`; undefined
   * (at once, or once the worker is done) when this thread must decrypt it itself.
   */
  take(path: string, bytes: Uint8Array): Promise<Uint8Array | undefined> | undefined {
    const i = this.index.get(path);
    if (i === undefined) return undefined;
    // Claimed by this thread now, or before: decrypted here.
    if (Atomics.compareExchange(this.claims, i, UNCLAIMED, HERE) !== WORKER) return undefined;
    this.worker.ref();
    return this.results.then((files) => {
      const done = files.get(i);
      if (done === undefined || done[1] === null || done[0] !== sha256Hex(bytes)) return undefined;
      return done[1];
    });
  }

  /** Resolves once the worker has gone through every file (or died). */
  async done(): Promise<void> {
    await this.results;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
