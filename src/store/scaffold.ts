/**
 * A new repository's secrets tree for `secretgen init`: `secrets/secrets.json` with the admin's
 * recipient in `admins`, created only where no `secrets/` exists yet. An existing tree (a
 * `secrets/` directory in the directory or any directory above it) is never touched.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runtimeError } from "../errors.js";
import { errnoCode, ioReason } from "./atomic.js";
import { findRoot } from "./layout.js";

export type ScaffoldResult =
  { kind: "created"; root: string; file: string } | { kind: "existing"; root: string };

/** The first declarations document: this admin, no hosts, no secrets yet. */
export function initialDeclarations(recipient: string): string {
  return JSON.stringify({ admins: [recipient], hosts: {}, secrets: {} }, null, 2) + "\n";
}

/** The root of the tree `dir` already belongs to, or undefined. */
function existingRoot(dir: string): string | undefined {
  try {
    return findRoot(dir);
  } catch {
    return undefined;
  }
}

/**
 * Create `DIR/secrets/secrets.json` (DIR = `explicitRoot` or `cwd`) unless a tree exists there
 * (with `explicitRoot`, only DIR itself counts; otherwise DIR and its parents).
 */
export function scaffoldTree(
  cwd: string,
  recipient: string,
  explicitRoot?: string,
): ScaffoldResult {
  const dir = explicitRoot === undefined ? resolve(cwd) : findRoot(cwd, explicitRoot);
  const found = existingRoot(dir);
  if (found !== undefined && (explicitRoot === undefined || found === dir)) {
    return { kind: "existing", root: found };
  }
  const secretsDir = join(dir, "secrets");
  const file = join(secretsDir, "secrets.json");
  try {
    mkdirSync(secretsDir);
    writeFileSync(file, initialDeclarations(recipient), { flag: "wx", mode: 0o644 });
  } catch (err) {
    throw runtimeError(`cannot create ${file}: ${ioReason(err)}`, {
      reason: "io",
      cause: err,
      hint: errnoCode(err) === "ENOENT" ? `create ${dir} first` : undefined,
    });
  }
  return { kind: "created", root: dir, file };
}
