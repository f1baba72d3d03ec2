/**
 * A one-line progress display on stderr, for runs that take longer than a second, only on a
 * terminal and never with --quiet or --json. It names counts, never values.
 */
export interface Progress {
  update: (done: number, total: number) => void;
  done: () => void;
}

export function createProgress(opts: { enabled: boolean; label: string }): Progress {
  const stream = process.stderr;
  if (!opts.enabled || !stream.isTTY) return { update: () => undefined, done: () => undefined };
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update: (done, total) => {
      const now = Date.now();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      stream.write(`\r\u001b[K${opts.label} ${done}/${total} secrets`);
    },
    done: () => {
      if (shown) stream.write("\r\u001b[K");
    },
  };
}
