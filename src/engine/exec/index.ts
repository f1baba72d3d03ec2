/**
 * Where the work of a run is executed, the public face: the Executor (this thread, or the
 * worker pool of worker-pool.ts, imported on its own so that a run on this thread alone never
 * loads node:worker_threads), render jobs and their restarts, encryption of one file, and the
 * plugin sessions (plugin-sessions.ts, also imported on its own: only plugin users load it).
 */
export { LocalExecutor, type Executor } from "./executor.js";
export {
  renderWithRestarts,
  type RenderHooks,
  type RenderOutcome,
  type RenderRequest,
} from "./restarts.js";
export { freshSource, runRenderJob, type JobResult, type RenderJob } from "./job.js";
export { encryptHere, parsedRecipients, type EncryptFile } from "./encrypt-file.js";
