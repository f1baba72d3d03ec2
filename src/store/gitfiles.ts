/**
 * The secrets directory's own git settings: `.gitattributes` marks age files binary (no line
 * ending conversion, no textual diffs) and `.gitignore` keeps the lock file, the write-ahead
 * journal and the temporary files of an interrupted run (swept by the next run) out of commits.
 * Lines are added when missing; existing content is kept.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TEMP_MARKER, writeFileAtomic } from "./atomic.js";
import { JOURNAL_FILE_NAME } from "./journal.js";
import { LOCK_FILE_NAME } from "./lock.js";

const WANTED: readonly [file: string, line: string][] = [
  [".gitattributes", "*.age binary"],
  [".gitignore", `/${LOCK_FILE_NAME}`],
  [".gitignore", `/${JOURNAL_FILE_NAME}`],
  // `.NAME.secretgen-tmp-<random>` at any depth (atomic.ts), left by a run stopped mid-write.
  [".gitignore", `.*${TEMP_MARKER}*`],
];

export async function ensureGitFiles(secretsDir: string): Promise<void> {
  for (const [file, line] of WANTED) {
    const path = join(secretsDir, file);
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (text.split(/\r?\n/).some((l) => l.trim() === line)) continue;
    const sep = text === "" || text.endsWith("\n") ? "" : "\n";
    await writeFileAtomic(path, `${text}${sep}${line}\n`);
  }
}
