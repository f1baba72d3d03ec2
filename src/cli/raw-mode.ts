/**
 * Raw mode (no echo) on a terminal for a hidden answer, undone however the prompt ends: an
 * answer, an error, or a signal (SIGINT, SIGTERM, SIGHUP). On a signal the terminal is restored
 * first, then the signal is raised again, so the process ends as it would have (exit 130 on
 * SIGINT). Ctrl-C typed in raw mode does not make the terminal send SIGINT: `interrupt` raises it.
 */
import type { ReadStream, WriteStream } from "node:tty";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Run `fn` with `input` in raw mode when `hidden`; the terminal is restored on every way out. */
export async function inRawMode<T>(
  input: ReadStream,
  output: WriteStream | NodeJS.WriteStream,
  hidden: boolean,
  fn: () => Promise<T>,
): Promise<T> {
  if (!hidden) return fn();
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    for (const s of SIGNALS) process.off(s, onSignal);
    input.setRawMode(false);
    output.write("\n");
  };
  function onSignal(signal: NodeJS.Signals) {
    restore();
    process.kill(process.pid, signal);
  }
  for (const s of SIGNALS) process.on(s, onSignal);
  input.setRawMode(true);
  try {
    return await fn();
  } finally {
    restore();
  }
}

/** Ctrl-C typed at a raw-mode prompt: what the terminal would have done, SIGINT. */
export function interrupt(): void {
  process.kill(process.pid, "SIGINT");
}
