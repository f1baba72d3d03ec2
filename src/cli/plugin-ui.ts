/**
 * The terminal side of age plugins: their messages on stderr, their questions (confirmations,
 * values, PINs) on the controlling terminal, /dev/tty, so they work while stdin carries a value
 * (`set`) and never touch argv, the environment or a log. Without a terminal a question fails
 * the plugin's session with one error naming the plugin and what it asked.
 */
import { closeSync, openSync } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";
import { headlessUI, setPluginUI, type PluginUI, pluginError, pluginBinary } from "../age/index.js";
import { inRawMode, readLineFrom } from "./raw-mode.js";

const CLEAR = "\r\u001b[K";

interface Tty {
  input: ReadStream;
  output: WriteStream;
}

function openTty(): Tty | undefined {
  let r: number | undefined;
  try {
    r = openSync("/dev/tty", "r");
    const w = openSync("/dev/tty", "w");
    return { input: new ReadStream(r), output: new WriteStream(w) };
  } catch {
    if (r !== undefined) closeSync(r);
    return undefined;
  }
}

function closeTty(tty: Tty): void {
  tty.input.destroy();
  tty.output.destroy();
}

/**
 * Read one line on the terminal; hidden (raw mode, no echo) when `hidden`. Ctrl-C stops the
 * run as a signal would; Ctrl-D (end of input) gives no answer: the plugin's session fails, as
 * it does when the plugin exits before the answer (`gone`).
 */
async function readLine(
  tty: Tty,
  name: string,
  question: string,
  hidden: boolean,
  gone: AbortSignal | undefined,
): Promise<string> {
  tty.input.setEncoding("utf8");
  // Raw mode (no echo) before the question: an answer typed at once is not echoed either.
  return inRawMode(tty.input, tty.output, hidden, async () => {
    tty.output.write(CLEAR + question);
    return readLineFrom(
      tty.input,
      () => pluginError(name, "asked a question and got no answer (end of input)"),
      gone,
    );
  });
}

async function ask<T>(fallback: () => Promise<T>, fn: (tty: Tty) => Promise<T>): Promise<T> {
  const tty = openTty();
  if (tty === undefined) return fallback();
  try {
    return await fn(tty);
  } finally {
    closeTty(tty);
  }
}

/** The plugin UI of the CLI. */
export function terminalPluginUI(): PluginUI {
  const stderr = process.stderr;
  let waitingShown = false;
  const clearWaiting = () => {
    if (waitingShown && stderr.isTTY) stderr.write(CLEAR);
    waitingShown = false;
  };
  return {
    message: (name, text) => {
      clearWaiting();
      // From the start of a clean line: the progress display may be on this one.
      stderr.write(`${stderr.isTTY ? CLEAR : ""}secretgen: ${pluginBinary(name)}: ${text}\n`);
    },
    confirm: (name, text, yes, no, gone) =>
      ask(
        () => headlessUI.confirm(name, text, yes, no),
        async (tty) => {
          clearWaiting();
          const options = no === undefined ? `Enter = ${yes}` : `y = ${yes}, n = ${no}`;
          const question = `${pluginBinary(name)}: ${text} [${options}] `;
          const answer = await readLine(tty, name, question, false, gone);
          return no === undefined || /^\s*y/i.test(answer) || answer.trim() === yes;
        },
      ),
    request: (name, text, secret, gone) =>
      ask(
        () => headlessUI.request(name, text, secret),
        (tty) => {
          clearWaiting();
          return readLine(tty, name, `${pluginBinary(name)}: ${text}: `, secret, gone);
        },
      ),
    waiting: (name, waiting) => {
      if (!waiting) {
        clearWaiting();
        return;
      }
      waitingShown = true;
      const line = `secretgen: waiting for ${pluginBinary(name)}…`;
      stderr.write(stderr.isTTY ? `${CLEAR}${line}` : `${line}\n`);
    },
  };
}

/** Route every plugin session of this process through the terminal. */
export function installPluginUI(): void {
  setPluginUI(terminalPluginUI());
}
