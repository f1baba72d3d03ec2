#!/usr/bin/env node
/**
 * The secretgen executable. Kept tiny so that `secretgen --version` starts fast: everything
 * else is loaded only when a command runs.
 */
import { readFileSync } from "node:fs";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    version: string;
  };
  return pkg.version;
}

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) {
  process.stdout.write(version() + "\n");
} else {
  const { main } = await import("./program.js");
  process.exitCode = await main(args, version());
}
