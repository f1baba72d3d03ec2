/**
 * The files `check --offline` reads (plan/offline.ts): hashes, each file read once; a file
 * that cannot be read is an error naming its secret.
 */
import { hashFileIfExists, type Layout, publicHasher } from "../store/index.js";
import type { OfflineFiles } from "./plan/index.js";
import { reading } from "./reading.js";

export function offlineFiles(layout: Layout): OfflineFiles {
  const hashes = new Map<string, string | undefined>();
  const fileHash = (path: string) => {
    if (!hashes.has(path)) hashes.set(path, hashFileIfExists(path));
    return hashes.get(path);
  };
  return {
    dataHash: (name) => reading(name, () => fileHash(layout.dataFile(name))),
    entropyHash: (name) => reading(name, () => fileHash(layout.entropyFile(name))),
    publicHashes: publicHasher(layout),
    listStored: () => layout.listStored(),
  };
}
