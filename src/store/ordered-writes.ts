/**
 * Atomic writes and removals in phases, in two steps. Staging computes each file's bytes (they
 * may be a promise, as encryption is) and writes and fsyncs them as a temporary file beside
 * the target, a few files ahead at a time, so the disk works while the next files are computed;
 * nothing is visible yet, and a failure removes every temporary file. Committing then renames
 * the files one at a time in the given order (and does the removals in their turn), fsyncing
 * each phase's directories at its end; a phase begins only after the one before is durable. So
 * whatever one phase holds is on disk before anything of the next is visible (secretgen's
 * phases: entropy files, then data files, then public files), and a run killed at any moment
 * leaves a prefix of the renames in order (plus temporary files, which the next run sweeps).
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

/** How many files are computed and written ahead of the one staging waits for. */
export const WRITE_AHEAD = 32;

interface Ready {
  file: PreparedFile;
  data: Uint8Array | string;
}

/** Staged phases: every file written as a temporary file, nothing renamed yet. */
export interface StagedWrites {
  /**
   * Do the renames and removals in order (see above). On a failure, the ops before it are done
   * and their directories synced, the remaining temporary files are removed, and the error is
   * thrown (a runtime SecretgenError for I/O).
   */
  commit(): Promise<void>;
  /** Remove every temporary file; nothing is renamed. Never throws. */
  discard(): Promise<void>;
}

/**
 * Compute every write's bytes and write them to temporary files, `ahead` at a time. On a
 * failure (of a computation or a write) every temporary file made is removed and the error is
 * thrown: nothing is renamed.
 */
export async function stageWrites(
  phases: readonly (readonly OrderedOp[])[],
  ahead = WRITE_AHEAD,
): Promise<StagedWrites> {
  const ops = phases.flat();
  const ends = new Set<number>();
  let end = 0;
  for (const phase of phases) ends.add((end += phase.length) - 1);
  const pending: (Promise<Ready> | undefined)[] = [];
  const ready: (Ready | undefined)[] = [];
  const start = (i: number) => {
    const op = ops[i];
    if (op === undefined || !("write" in op)) return;
    const p = (async () => {
      const data = await op.data();
      return { file: await prepareFileAtomic(op.write, data), data };
    })();
    p.catch(() => undefined); // awaited in its turn; an early failure is not unhandled
    pending[i] = p;
  };
  const discardFrom = async (from: number) => {
    for (let i = from; i < ops.length; i++) {
      const r = ready[i];
      ready[i] = undefined;
      if (r !== undefined) await r.file.discard();
      const p = pending[i];
      pending[i] = undefined;
      if (p !== undefined) await p.then((x) => x.file.discard()).catch(() => undefined);
    }
  };
  for (let i = 0; i < Math.min(ahead, ops.length); i++) start(i);
  try {
    for (let next = 0; next < ops.length; next++) {
      start(next + ahead);
      const p = pending[next];
      pending[next] = undefined;
      if (p !== undefined) ready[next] = await p;
    }
  } catch (err) {
    await discardFrom(0);
    throw err;
  }

  const commit = async () => {
    const dirty = new Map<string, string>();
    const sync = async () => {
      const dirs = [...dirty];
      dirty.clear();
      await Promise.all(dirs.map(([dir, what]) => syncDir(dir, what)));
    };
    let next = 0;
    let failed = true;
    try {
      for (; next < ops.length; next++) {
        const op = ops[next];
        if (op !== undefined && "remove" in op) await removeFileAtomic(op.remove);
        else if (op !== undefined) {
          const r = ready[next];
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
      if (failed) {
        await sync().catch(() => undefined);
        await discardFrom(next);
      }
    }
  };
  return { commit, discard: () => discardFrom(0) };
}

/** Stage every phase's ops, then commit them (see above). */
export async function writeInOrder(
  phases: readonly (readonly OrderedOp[])[],
  ahead = WRITE_AHEAD,
): Promise<void> {
  await (await stageWrites(phases, ahead)).commit();
}
