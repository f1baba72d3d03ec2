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

/**
 * One line typed at a raw-mode prompt, edited as a terminal would: Backspace deletes a
 * character, Ctrl-U the line, Ctrl-W a word; other control characters and escape sequences
 * (arrow keys) are dropped, never part of the answer. Enter ends the line; Ctrl-C interrupts;
 * Ctrl-D, or the terminal closing, rejects with `noAnswer()`; `gone` aborting rejects with its
 * reason (the one asking is no longer there).
 */
export function readLineFrom(
  input: NodeJS.ReadableStream,
  noAnswer: () => Error,
  gone?: AbortSignal,
): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let chars: string[] = [];
    let escape: "" | "esc" | "csi" | "ss3" = "";
    const done = () => {
      input.off("data", onData);
      input.off("end", onEnd);
      gone?.removeEventListener("abort", onAbort);
    };
    const onEnd = () => {
      done();
      reject(noAnswer());
    };
    const reason = (): Error =>
      gone?.reason instanceof Error ? gone.reason : new Error("the question was withdrawn");
    const onAbort = () => {
      done();
      reject(reason());
    };
    const onData = (chunk: string | Buffer) => {
      for (const ch of chunk.toString()) {
        const code = ch.codePointAt(0) ?? 0;
        if (escape === "esc") {
          escape = ch === "[" ? "csi" : ch === "O" ? "ss3" : "";
          continue;
        }
        if (escape === "ss3") {
          escape = "";
          continue;
        }
        if (escape === "csi") {
          if (code >= 0x40 && code <= 0x7e) escape = "";
          continue;
        }
        if (ch === "\r" || ch === "\n") {
          done();
          resolve(chars.join(""));
          return;
        }
        if (ch === "\u0003") {
          interrupt();
          return;
        }
        if (ch === "\u0004") {
          onEnd();
          return;
        }
        if (ch === "\u001b") escape = "esc";
        else if (ch === "\u007f" || ch === "\b") chars = chars.slice(0, -1);
        else if (ch === "\u0015") chars = [];
        else if (ch === "\u0017") {
          while (chars.length > 0 && /\s/.test(chars[chars.length - 1] ?? "")) chars.pop();
          while (chars.length > 0 && !/\s/.test(chars[chars.length - 1] ?? "")) chars.pop();
        } else if (code >= 0x20 && !(code >= 0x7f && code <= 0x9f)) chars.push(ch);
      }
    };
    if (gone?.aborted === true) {
      reject(reason());
      return;
    }
    input.on("data", onData);
    input.on("end", onEnd);
    gone?.addEventListener("abort", onAbort);
  });
}
