/**
 * Where the work of a run is executed, the public face: the Executor (this thread, or the
 * worker pool of worker-pool.ts, imported on its own so that a run on this thread alone never
 * loads node:worker_threads), render jobs (job.ts, loaded on the first render) and their
 * restarts, the error codec of the worker boundary, encryption of one file, and the plugin
 * sessions (plugin-sessions.ts, also imported on its own: only plugin users load it).
 */
export { LocalExecutor, type Executor } from "./executor.js";
export type { EarlyDecrypt } from "./early-decrypt.js";
export {
  renderWithRestarts,
  type RenderHooks,
  type RenderOutcome,
  type RenderRequest,
} from "./restarts.js";
export type { JobResult, RenderJob } from "./job.js";
export { asSecretgenError, decodeError, encodeError, type EncodedError } from "./error-codec.js";
export { encryptHere, parsedRecipients, type EncryptFile } from "./encrypt-file.js";
