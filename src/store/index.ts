/** The secrets tree on disk: layout, atomic writes, the lock. */
export {
  DEFAULT_FILE_MODE,
  TEMP_MARKER,
  isTempFileName,
  removeEmptyParents,
  removeFileAtomic,
  sweepTempFiles,
  writeFileAtomic,
  type WriteOptions,
} from "./atomic.js";
export {
  LOCK_FILE_NAME,
  acquireLock,
  parseLockInfo,
  type Lock,
  type LockInfo,
  type LockOptions,
} from "./lock.js";
export { Layout, findRoot, type StoredNames } from "./layout.js";
export { rulesFileState, rulesProblem } from "./agenix-rules-file.js";
export { renderAgenixRules } from "./agenix-rules.js";
export { ioReason } from "./atomic.js";
export { hashFileIfExists, readIfExists } from "./files.js";
export { ensureGitFiles } from "./gitfiles.js";
export { clearJournal, loadManifestWithJournal, writeJournal } from "./journal.js";
export {
  type Manifest,
  type ManifestEntry,
  sameList,
  serializeManifest,
  sha256Hex,
} from "./manifest.js";
export { type OrderedOp, stageWrites, type StagedWrites, writeInOrder } from "./ordered-writes.js";
export { publicDirHashes, publicHasher, publicHashes } from "./public-files.js";
export { type EntropyRecord, parseRecord, serializeRecord } from "./record.js";
export { RENDERER_VERSION } from "./renderer-version.js";
export { scaffoldTree } from "./scaffold.js";
