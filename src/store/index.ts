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
