/**
 * Shared by the commands that write the tree: take the lock, sweep what a killed run left
 * behind, run, release.
 */
import { acquireLock, sweepTempFiles, type Layout } from "../../store/index.js";
import type { Session } from "../session.js";

export async function withWriteLock<T>(
  session: Session,
  fn: (layout: Layout) => Promise<T>,
): Promise<T> {
  const layout = session.layout;
  const lock = await acquireLock(layout.secretsDir, {
    waitSeconds: session.opts.wait,
    onWarning: (m) => {
      session.warn(m);
    },
  });
  try {
    const leftovers = await sweepTempFiles(layout.secretsDir);
    for (const f of leftovers) session.output.verbose(`removed leftover temporary file ${f}`);
    const { sweepScriptLeftovers } = await import("../../engine/index.js");
    for (const d of await sweepScriptLeftovers())
      session.output.verbose(`removed leftover directory ${d}`);
    return await fn(layout);
  } finally {
    await lock.release();
  }
}
