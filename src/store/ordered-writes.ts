/**
 * Atomic writes and removals in phases, with the slow part of the writes done ahead: the next
 * few files are computed (their bytes may be a promise, as encryption is), written and fsynced
 * as temporary files while earlier ones are renamed. Within a phase, files are renamed one at
 * a time in the given order and their directories fsynced once at the end of the phase; a
 * phase begins only after the one before is durable. So whatever one phase holds is on disk
 * before anything of the next is visible (secretgen's phases: entropy files, then data files,
 * then public files), and a run killed at any moment leaves a prefix of the renames in order
 * (plus temporary files, which the next run sweeps).
 */
import { dirname } from "node:path";
import { prepareFileAtomic, removeFileAtomic, syncDir, type PreparedFile } from "./atomic.js";

/** One step: a file to write (its bytes computed on demand), or a file to remove. */
export type OrderedOp =
  | {
      write: string;
      data: () => Uint8Array | string | Promise<Uint8Array | string>;
      /** Called with the bytes once the file is in place. */
      done?: (data: Uint8Array | string) => void;
    }
  | { remove: string };

/** How many writes are prepared ahead of the one being renamed. */
export const WRITE_AHEAD = 32;

interface Ready {
  file: PreparedFile;
  data: Uint8Array | string;
}

/**
 * Do every phase's ops in order (see above). On a failure, the ops before it are done and
 * their directories synced, the temporary files made ahead are removed, and the error is thrown
 * (a runtime SecretgenError for I/O).
 */
export async function writeInOrder(
  phases: readonly (readonly OrderedOp[])[],
  ahead = WRITE_AHEAD,
): Promise<void> {
  const ops = phases.flat();
  const ends = new Set<number>();
  let end = 0;
  for (const phase of phases) ends.add((end += phase.length) - 1);
  const ready: (Promise<Ready> | undefined)[] = [];
  const start = (i: number) => {
    const op = ops[i];
    if (op === undefined || !("write" in op)) return;
    const p = (async () => {
      const data = await op.data();
      return { file: await prepareFileAtomic(op.write, data), data };
    })();
    p.catch(() => undefined); // awaited in its turn; an early failure is not unhandled
    ready[i] = p;
  };
  const dirty = new Map<string, string>();
  const sync = async () => {
    const dirs = [...dirty];
    dirty.clear();
    await Promise.all(dirs.map(([dir, what]) => syncDir(dir, what)));
  };
  for (let i = 0; i < Math.min(ahead, ops.length); i++) start(i);
  let next = 0;
  let failed = true;
  try {
    for (; next < ops.length; next++) {
      start(next + ahead);
      const op = ops[next];
      if (op !== undefined && "remove" in op) await removeFileAtomic(op.remove);
      else if (op !== undefined) {
        const r = await ready[next];
        ready[next] = undefined;
        if (r !== undefined) {
          await r.file.commit(false);
          dirty.set(dirname(op.write), op.write);
          op.done?.(r.data);
        }
      }
      if (ends.has(next)) await sync();
    }
    failed = false;
  } finally {
    if (failed) await sync().catch(() => undefined);
    for (let i = next; i < ready.length; i++) {
      const p = ready[i];
      if (p !== undefined) await p.then((r) => r.file.discard()).catch(() => undefined);
    }
  }
}
