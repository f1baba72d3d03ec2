#!/usr/bin/env node
/**
 * The secretgen executable. Kept tiny so that `secretgen --version` starts fast: everything
 * else is loaded only when a command runs. No top-level await: the shipped bundle is CommonJS
 * (rolldown.config.mjs).
 */
import { readFileSync } from "node:fs";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

async function run(args: string[]): Promise<void> {
  const { main } = await import("./program.js");
  process.exitCode = await main(args, version());
  // Every command has finished its work here. Exit once stdout and stderr have handed their
  // output to the OS, instead of waiting for V8's idle-time garbage collection (~15 ms after a
  // check of 1000 secrets).
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
  process.exit();
}

/** Resolves when everything written to `stream` so far has been handed to the OS. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    stream.write("", () => {
      resolve();
    });
  });
}

/**
 * A reader that closed its end (`secretgen status | head -1`) wants no more output: end quietly
 * with exit 0, whatever the command, instead of an EPIPE stack trace. Other errors of the
 * standard streams are left to crash loudly.
 */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    process.exit(0);
  });
}
quietOnClosedPipe(process.stdout);
quietOnClosedPipe(process.stderr);

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(version() + "\n");
} else {
  // main() reports every error itself; anything escaping it is a bug, and crashes loudly.
  void run(args);
}
