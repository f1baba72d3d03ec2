/**
 * Reading the tree's files: a missing file is `undefined`, any other failure an error (exit 3)
 * naming the path.
 */
import { readFileSync } from "node:fs";
import { runtimeError } from "../errors.js";

export function readIfExists(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw runtimeError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
}
