/**
 * Encryption on both cores without a pool. A run that starts no workers (a rekey: workers.ts)
 * but has the worker that decrypted the entropy files early (early-decrypt.ts), idle once it
 * has gone through them, hands it files to encrypt, a few at a time, and encrypts the others on
 * this thread meanwhile. Which thread encrypts a file changes nothing but its random
 * ciphertext: the plaintext, the recipients and the order of the writes are the same. A file
 * the worker could not take (it is gone) is encrypted here. Decryption and renders stay here.
 */
import type { EarlyDecrypt } from "./early-decrypt.js";
import type { Executor } from "./executor.js";
import type { JobResult, RenderJob } from "./job.js";

/**
 * Files the worker holds at once. Staging asks for WRITE_AHEAD (32) files ahead and waits for
 * them in order, so the worker's share is at most this many out of 32: half (4 gave it an
 * eighth, this thread waiting on its files meanwhile).
 */
export const WORKER_AHEAD = 16;

/** The part of EarlyDecrypt used here. */
export type EncryptHelper = Pick<EarlyDecrypt, "encrypt" | "encryptions">;

export class SplitEncrypt implements Executor {
  constructor(
    private readonly here: Executor,
    private readonly helper: EncryptHelper,
  ) {}

  render(job: RenderJob): Promise<JobResult> {
    return this.here.render(job);
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.here.decrypt(ciphertext);
  }

  async encrypt(
    plaintext: Uint8Array,
    recipients: readonly string[],
    armor: boolean,
  ): Promise<Uint8Array> {
    if (this.helper.encryptions < WORKER_AHEAD) {
      const there = await this.helper.encrypt(plaintext, recipients, armor);
      if (there !== undefined) return there;
    }
    return this.here.encrypt(plaintext, recipients, armor);
  }

  /** The helper is the early decryption's: its owner closes it. */
  close(): Promise<void> {
    return this.here.close();
  }
}
