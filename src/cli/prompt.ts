/**
 * Hidden prompts on the terminal (passphrases, manual secret values). Values typed here never
 * reach argv, the environment or a log.
 */
import { readFileSync } from "node:fs";
import { runtimeError, usageError } from "../errors.js";
import { inRawMode, readLineFrom } from "./raw-mode.js";

/**
 * Read one line from the TTY without echoing it, edited as a terminal would (raw-mode.ts).
 * Ctrl-C stops the run as a signal would; Ctrl-D gives no value (an error, nothing stored).
 */
export async function promptHidden(question: string): Promise<string> {
  const input = process.stdin;
  if (!input.isTTY) throw usageError("no terminal to prompt on");
  input.resume();
  input.setEncoding("utf8");
  try {
    // Raw mode before the question: keys typed at once are neither echoed nor line-edited.
    return await inRawMode(input, process.stderr, true, () => {
      process.stderr.write(question);
      return readLineFrom(input, () => runtimeError("no value was typed (end of input)"));
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
