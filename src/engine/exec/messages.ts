/**
 * The messages between the main thread and a worker of the pool: a request, and one reply per
 * request (a result, or the error encoded by error-codec.ts).
 */
import type { EncodedError } from "./error-codec.js";
import type { JobResult, RenderJob } from "./job.js";
import { copyToSend } from "./transfer.js";

export type WorkerRequest =
  | { id: number; type: "render"; job: RenderJob }
  | {
      id: number;
      /** Read and decrypt the files this thread has not claimed (early-decrypt.ts). */
      type: "decrypt-files";
      paths: string[];
      /** An Int32Array's buffer: a claim flag per file (UNCLAIMED, WORKER, HERE). */
      claims: SharedArrayBuffer;
    }
  | { id: number; type: "decrypt"; ciphertext: Uint8Array }
  | {
      id: number;
      type: "encrypt";
      plaintext: Uint8Array;
      recipients: readonly string[];
      armor: boolean;
    };
/**
 * The reply to decrypt-files: the files the worker claimed, by index, with the SHA-256 of the
 * bytes it read and their plaintext (null when its fast path declined or failed).
 */
export interface EarlyReply {
  id: number;
  files: [index: number, hash: string, plaintext: Uint8Array<ArrayBuffer> | null][];
}
export type WorkerReply =
  | { id: number; ok: true; result: JobResult | Uint8Array }
  | { id: number; ok: false; error: EncodedError };

/**
 * The request to encrypt `plaintext` (a copy of it, moved to the worker: the caller keeps its
 * bytes) and what to transfer with it. The pool and the early worker send the same one.
 */
export function encryptRequest(
  id: number,
  plaintext: Uint8Array,
  recipients: readonly string[],
  armor: boolean,
): { req: WorkerRequest; transfer: ArrayBuffer[] } {
  const bytes = copyToSend(plaintext);
  return {
    req: { id, type: "encrypt", plaintext: bytes, recipients, armor },
    transfer: [bytes.buffer],
  };
}
