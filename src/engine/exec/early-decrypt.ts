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
 *
 * Once through its files the worker is idle, and a run without a pool (a rekey) hands it files
 * to encrypt (encrypt, used by split-encrypt.ts): the second core then writes too.
 */
import { Worker } from "node:worker_threads";
import { serializeIdentity, type Identity } from "../../age/index.js";
import { sha256Hex } from "../../store/index.js";
import { HERE, UNCLAIMED, WORKER } from "./claims.js";
import { asSecretgenError } from "./error-codec.js";
import {
  encryptRequest,
  type EarlyReply,
  type WorkerReply,
  type WorkerRequest,
} from "./messages.js";

/** The id of the decrypt-files request; encryptions count up from 1. */
const FILES = 0;

export class EarlyDecrypt {
  private readonly index = new Map<string, number>();
  private readonly claims: Int32Array;
  private readonly worker: Worker;
  /** The worker's files by index: the SHA-256 of the bytes it read, and their plaintext. */
  private readonly results: Promise<Map<number, [hash: string, plaintext: Uint8Array | null]>>;
  /** Whether this thread waits for the worker's files (take), and whether they are in. */
  private waiting = false;
  private filesIn = false;
  /** Whether the worker is gone (failed, exited, closed). */
  private gone = false;
  /** Encryptions sent and not answered: undefined settles them when the worker is gone. */
  private readonly encrypting = new Map<
    number,
    { resolve: (v: Uint8Array | undefined) => void; reject: (e: unknown) => void }
  >();
  private nextId = FILES + 1;

  /** Start decrypting `paths` (entropy files) with `identities` (native ones) on a worker. */
  constructor(paths: readonly string[], identities: readonly Identity[]) {
    paths.forEach((p, i) => this.index.set(p, i));
    this.claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, paths.length)));
    const workerData = { identities: identities.map(serializeIdentity) };
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { workerData });
    this.results = new Promise((resolve) => {
      this.worker.on("message", (reply: EarlyReply | WorkerReply) => {
        if (reply.id === FILES && "files" in reply) {
          resolve(new Map(reply.files.map(([i, hash, plaintext]) => [i, [hash, plaintext]])));
        } else if (!("files" in reply)) this.settle(reply);
      });
      // A worker that fails leaves its files, and the files it was encrypting, to this thread.
      const lost = () => {
        this.gone = true;
        resolve(new Map());
        for (const p of this.encrypting.values()) p.resolve(undefined);
        this.encrypting.clear();
      };
      this.worker.once("error", lost);
      this.worker.once("exit", lost);
    });
    const req: WorkerRequest = {
      id: FILES,
      type: "decrypt-files",
      paths: [...paths],
      claims: this.claims.buffer as SharedArrayBuffer,
    };
    this.worker.postMessage(req);
    // It keeps the process alive only while this thread waits for it (its files, encryptions).
    this.worker.unref();
    void this.results.then(() => {
      this.filesIn = true;
      this.holdIfWaited();
    });
  }

  /** Files sent to encrypt and not answered yet. */
  get encryptions(): number {
    return this.encrypting.size;
  }

  /**
   * Encrypt on the worker (after its files: requests are answered in turn). Undefined when the
   * worker is gone, at once or before it answered: the caller encrypts the file itself.
   *
   * @throws the SecretgenError encrypting it threw on the worker
   */
  encrypt(
    plaintext: Uint8Array,
    recipients: readonly string[],
    armor: boolean,
  ): Promise<Uint8Array | undefined> {
    if (this.gone) return Promise.resolve(undefined);
    const { req, transfer } = encryptRequest(this.nextId++, plaintext, recipients, armor);
    return new Promise((resolve, reject) => {
      this.encrypting.set(req.id, { resolve, reject });
      this.holdIfWaited();
      this.worker.postMessage(req, transfer);
    });
  }

  private settle(reply: WorkerReply): void {
    const p = this.encrypting.get(reply.id);
    if (p === undefined) return;
    this.encrypting.delete(reply.id);
    this.holdIfWaited();
    if (!reply.ok) p.reject(asSecretgenError(reply.error));
    else if (reply.result instanceof Uint8Array) p.resolve(reply.result);
    else p.reject(new Error("the early worker answered an encryption with a render result"));
  }

  /** Keep the process alive while this thread waits for the worker, and only then. */
  private holdIfWaited(): void {
    if ((this.waiting && !this.filesIn) || this.encrypting.size > 0) this.worker.ref();
    else this.worker.unref();
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
    this.waiting = true;
    this.holdIfWaited();
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
