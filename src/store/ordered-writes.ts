/**
 * A sequence of atomic writes and removals done in exactly the given order, with the slow part
 * of the writes ahead of time: the next few files are computed (their bytes may be a promise,
 * as encryption is) and written and fsynced as temporary files while earlier ones are renamed.
 * Renames and removals happen one at a time, in order, each followed by its directory's fsync,
 * so a run killed at any moment leaves the same files as writing them one by one would (plus
 * temporary files, which the next run sweeps).
 */
import { prepareFileAtomic, removeFileAtomic, type PreparedFile } from "./atomic.js";

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
export const WRITE_AHEAD = 8;

interface Ready {
  file: PreparedFile;
  data: Uint8Array | string;
}

/**
 * Do every op in order. On a failure, the ops before it are done, the temporary files made
 * ahead are removed, and the error is thrown (a runtime SecretgenError for I/O).
 */
export async function writeInOrder(ops: readonly OrderedOp[], ahead = WRITE_AHEAD): Promise<void> {
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
  for (let i = 0; i < Math.min(ahead, ops.length); i++) start(i);
  let next = 0;
  try {
    for (; next < ops.length; next++) {
      start(next + ahead);
      const op = ops[next];
      if (op === undefined) continue;
      if ("remove" in op) {
        await removeFileAtomic(op.remove);
        continue;
      }
      const r = await ready[next];
      ready[next] = undefined;
      if (r === undefined) continue;
      await r.file.commit();
      op.done?.(r.data);
    }
  } finally {
    for (let i = next; i < ready.length; i++) {
      const p = ready[i];
      if (p !== undefined) await p.then((r) => r.file.discard()).catch(() => undefined);
    }
  }
}
