/**
 * The messages between the main thread and a worker of the pool: a request, and one reply per
 * request (a result, or the error encoded by error-codec.ts).
 */
import type { EncodedError } from "./error-codec.js";
import type { JobResult, RenderJob } from "./job.js";

export type WorkerRequest =
  | { id: number; type: "render"; job: RenderJob }
  | { id: number; type: "decrypt"; ciphertext: Uint8Array }
  | {
      id: number;
      type: "encrypt";
      plaintext: Uint8Array;
      recipients: readonly string[];
      armor: boolean;
    };
export type WorkerReply =
  | { id: number; ok: true; result: JobResult | Uint8Array }
  | { id: number; ok: false; error: EncodedError };
