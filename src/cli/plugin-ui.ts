/**
 * The terminal side of age plugins: their messages on stderr, their questions (confirmations,
 * values, PINs) on the controlling terminal, /dev/tty, so they work while stdin carries a value
 * (`set`) and never touch argv, the environment or a log. Without a terminal a question fails
 * the plugin's session with one error naming the plugin and what it asked.
 */
import { closeSync, openSync } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";
import { headlessUI, setPluginUI, type PluginUI } from "../age/plugin-ui.js";
import { pluginError } from "../age/plugin-errors.js";
import { pluginBinary } from "../age/plugin-names.js";
import { inRawMode, interrupt } from "./raw-mode.js";

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
 * run as a signal would; Ctrl-D (end of input) gives no answer: the plugin's session fails.
 */
async function readLine(
  tty: Tty,
  name: string,
  question: string,
  hidden: boolean,
): Promise<string> {
  tty.input.setEncoding("utf8");
  // Raw mode (no echo) before the question: an answer typed at once is not echoed either.
  return inRawMode(tty.input, tty.output, hidden, async () => {
    tty.output.write(question);
    return new Promise<string>((resolve, reject) => {
      let value = "";
      tty.input.on("data", (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") {
            resolve(value);
            return;
          }
          if (ch === "\u0003") {
            interrupt();
            return;
          }
          if (ch === "\u0004") {
            reject(pluginError(name, "asked a question and got no answer (end of input)"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
          else value += ch;
        }
      });
      tty.input.on("end", () => {
        reject(pluginError(name, "asked a question and got no answer (end of input)"));
      });
    });
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
      stderr.write(`secretgen: ${pluginBinary(name)}: ${text}\n`);
    },
    confirm: (name, text, yes, no) =>
      ask(
        () => headlessUI.confirm(name, text, yes, no),
        async (tty) => {
          clearWaiting();
          const options = no === undefined ? `Enter = ${yes}` : `y = ${yes}, n = ${no}`;
          const question = `${pluginBinary(name)}: ${text} [${options}] `;
          const answer = await readLine(tty, name, question, false);
          return no === undefined || /^\s*y/i.test(answer) || answer.trim() === yes;
        },
      ),
    request: (name, text, secret) =>
      ask(
        () => headlessUI.request(name, text, secret),
        (tty) => {
          clearWaiting();
          return readLine(tty, name, `${pluginBinary(name)}: ${text}: `, secret);
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
