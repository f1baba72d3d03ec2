/**
 * The terminal side of age plugins: their messages on stderr, their questions (confirmations,
 * values, PINs) on the controlling terminal, /dev/tty, so they work while stdin carries a value
 * (`set`) and never touch argv, the environment or a log. Without a terminal a question fails
 * the plugin's session with one error naming the plugin and what it asked.
 */
import { closeSync, openSync } from "node:fs";
import { ReadStream, WriteStream } from "node:tty";
import { headlessUI, setPluginUI, type PluginUI } from "../age/plugin-ui.js";
import { pluginBinary } from "../age/plugin-names.js";
import { runtimeError } from "../errors.js";

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

/** Read one line on the terminal; hidden (raw mode, no echo) when `hidden`. */
async function readLine(tty: Tty, question: string, hidden: boolean): Promise<string> {
  // Raw mode (no echo) before the question: an answer typed at once is not echoed either.
  if (hidden) tty.input.setRawMode(true);
  tty.input.setEncoding("utf8");
  tty.output.write(question);
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = "";
      tty.input.on("data", (chunk: string) => {
        for (const ch of chunk) {
          if (ch === "\r" || ch === "\n") {
            resolve(value);
            return;
          }
          if (ch === "\u0003" || ch === "\u0004") {
            reject(runtimeError("interrupted"));
            return;
          }
          if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
          else value += ch;
        }
      });
    });
  } finally {
    if (hidden) {
      tty.input.setRawMode(false);
      tty.output.write("\n");
    }
  }
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
          const answer = await readLine(tty, `${pluginBinary(name)}: ${text} [${options}] `, false);
          return no === undefined || /^\s*y/i.test(answer) || answer.trim() === yes;
        },
      ),
    request: (name, text, secret) =>
      ask(
        () => headlessUI.request(name, text, secret),
        (tty) => {
          clearWaiting();
          return readLine(tty, `${pluginBinary(name)}: ${text}: `, secret);
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
