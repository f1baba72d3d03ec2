/**
 * Hidden prompts on the terminal (passphrases, manual secret values). Values typed here never
 * reach argv, the environment or a log.
 */
import { readFileSync } from "node:fs";
import { runtimeError, usageError } from "../errors.js";
import { inRawMode, interrupt } from "./raw-mode.js";

/** Read one line from the TTY without echoing it; Ctrl-C stops the run as a signal would. */
export async function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw usageError("no terminal to prompt on");
  process.stderr.write(question);
  input.resume();
  input.setEncoding("utf8");
  try {
    return await inRawMode(input, process.stderr, true, () => {
      return new Promise<string>((resolve) => {
        let value = "";
        const onData = (chunk: string) => {
          for (const ch of chunk) {
            if (ch === "\r" || ch === "\n") {
              input.off("data", onData);
              resolve(value);
              return;
            }
            if (ch === "\u0003") {
              interrupt();
              return;
            }
            if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
            else value += ch;
          }
        };
        input.on("data", onData);
      });
    });
  } finally {
    input.pause();
  }
}

/**
 * The passphrase of an encrypted identity file: from the file named by
 * SECRETGEN_PASSPHRASE_FILE (one trailing newline stripped), else a hidden prompt on a TTY.
 */
export async function passphraseFor(path: string): Promise<string> {
  const file = process.env.SECRETGEN_PASSPHRASE_FILE;
  if (file !== undefined && file !== "") {
    try {
      return readFileSync(file, "utf8").replace(/\r?\n$/, "");
    } catch (err) {
      throw runtimeError(`cannot read SECRETGEN_PASSPHRASE_FILE: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  if (!process.stdin.isTTY) {
    throw runtimeError(`${path} is passphrase-protected and there is no terminal to ask on`, {
      hint: "set SECRETGEN_PASSPHRASE_FILE to a file holding the passphrase",
    });
  }
  return promptHidden(`Passphrase for ${path}: `);
}
