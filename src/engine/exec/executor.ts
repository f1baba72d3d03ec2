/**
 * Where decryption, encryption and rendering run: in this thread (LocalExecutor), or spread over
 * worker threads (WorkerPool, in worker-pool.ts: loaded only when used). Both give identical
 * results: each secret has its own entropy stream and a render is a pure function of its job,
 * so neither the thread nor the order matters.
 */
import { decrypt, type Identity } from "../../age/index.js";
import { encryptHere } from "./encrypt-file.js";
import type { JobResult, RenderJob } from "./job.js";

export interface Executor {
  render(job: RenderJob): Promise<JobResult>;
  /** Decrypt with the admin identities; throws a SecretgenError. */
  decrypt(ciphertext: Uint8Array): Promise<Uint8Array>;
  /** Encrypt to recipient texts (validated already); throws a SecretgenError. */
  encrypt(
    plaintext: Uint8Array,
    recipients: readonly string[],
    armor: boolean,
  ): Promise<Uint8Array>;
  /** Start decrypting a file the run may need (plugin sessions batch it with the others). */
  prefetch?(ciphertext: Uint8Array): void;
  close(): Promise<void>;
}

export class LocalExecutor implements Executor {
  constructor(
    private readonly identities: Identity[],
    private readonly seed?: string,
  ) {}

  /** The render code loads on the first render, as on a worker: writing and decrypting need none. */
  async render(job: RenderJob): Promise<JobResult> {
    return (await import("./job.js")).runRenderJob(job, this.seed);
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    return decrypt(ciphertext, this.identities);
  }

  encrypt(plaintext: Uint8Array, recipients: readonly string[], armor: boolean) {
    return encryptHere(plaintext, recipients, armor);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
