/**
 * The private directory of one script run: `secretgen-<pid>-<random>` (mode 0700) under
 * `$XDG_RUNTIME_DIR` when set, else the system temp directory, holding `tmp/`, `secrets/`
 * (dependency values, files 0600), `public/` and the script file. It is always removed; a
 * directory left by a killed run is removed by `sweepStaleTempDirs` at the next start.
 */
import { chmodSync, lstatSync, readdirSync, rmSync } from "node:fs";
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { SecretgenError, quote, runtimeError, usageError } from "../../errors.js";

export const DIR_PREFIX = "secretgen-";
const DIR_PATTERN = /^secretgen-(\d+)-[A-Za-z0-9]+$/;

export interface PrivateDir {
  root: string;
  /** `$TMP_DIR` (also `$HOME` and `$TMPDIR`); the script's working directory. */
  tmp: string;
  /** `$SECRETS_DIR`: one file per dependency, at its name. */
  secrets: string;
  /** `$PUBLIC_DIR`: public outputs. */
  public: string;
  /** The script file given to bash. */
  script: string;
}

/** Where private directories go: `$XDG_RUNTIME_DIR` when set (absolute), else os.tmpdir(). */
export function privateParent(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_RUNTIME_DIR;
  return xdg !== undefined && isAbsolute(xdg) ? xdg : tmpdir();
}

/** Create a fresh private directory and its subdirectories, all 0700. */
export async function createPrivateDir(parent: string, secret: string): Promise<PrivateDir> {
  let root: string;
  try {
    root = await mkdtemp(join(parent, `${DIR_PREFIX}${process.pid}-`));
  } catch (e) {
    throw runtimeError(`cannot create a private directory in ${quote(parent)}: ${errCode(e)}`, {
      reason: "script",
      secret,
      hint: "check that $XDG_RUNTIME_DIR (or the system temp directory) exists and is writable",
      cause: e,
    });
  }
  const dir: PrivateDir = {
    root,
    tmp: join(root, "tmp"),
    secrets: join(root, "secrets"),
    public: join(root, "public"),
    script: join(root, "script.sh"),
  };
  try {
    await chmod(root, 0o700);
    for (const d of [dir.tmp, dir.secrets, dir.public]) await mkdir(d, { mode: 0o700 });
  } catch (e) {
    await removePrivateDir(root);
    throw runtimeError(`cannot prepare the private directory: ${errCode(e)}`, {
      reason: "script",
      secret,
      cause: e,
    });
  }
  return dir;
}

/** Reject a name that is not a plain relative path (defence in depth: names are validated). */
function checkRelative(name: string, what: string, secret: string): void {
  const segments = name.split("/");
  if (isAbsolute(name) || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw runtimeError(`${what} ${quote(name)} is not a relative path`, {
      reason: "script",
      secret,
    });
  }
}

/**
 * Write each dependency value to `secretsDir/NAME` (mode 0600), creating subdirectories (0700).
 * Two dependencies `a` and `a/b` cannot both be written (`a` would be a file and a directory):
 * that is a usage error (exit 2).
 */
export async function writeDependencies(
  secretsDir: string,
  deps: ReadonlyMap<string, Uint8Array>,
  secret: string,
): Promise<void> {
  const names = [...deps.keys()].sort();
  for (const name of names) {
    checkRelative(name, "dependency", secret);
    const clash = names.find((other) => other.startsWith(name + "/"));
    if (clash !== undefined) {
      throw usageError(
        `dependencies ${quote(name)} and ${quote(clash)} cannot both be files under $SECRETS_DIR`,
        { secret, field: "script.dependencies" },
      );
    }
  }
  for (const [name, value] of deps) {
    const file = join(secretsDir, name);
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, value, { mode: 0o600, flag: "wx" });
    } catch (e) {
      throw runtimeError(`cannot write dependency ${quote(name)} to $SECRETS_DIR: ${errCode(e)}`, {
        reason: "script",
        secret,
        cause: e,
      });
    }
  }
}

/**
 * The regular files under `publicDir`, by relative path (`/`-separated), sorted. Symbolic links
 * and special files are an error: following one could copy a secret into a public file.
 */
export async function collectPublicFiles(
  publicDir: string,
  secret: string,
): Promise<Map<string, Uint8Array>> {
  const found: [string, Uint8Array][] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of (await readdir(dir)).sort()) {
      const path = join(dir, entry);
      const rel = prefix + entry;
      const st = await lstat(path);
      if (st.isDirectory()) await walk(path, rel + "/");
      else if (st.isFile()) found.push([rel, new Uint8Array(await readFile(path))]);
      else
        throw runtimeError(
          `public file ${quote(rel)} is not a regular file (symbolic link or special file)`,
          {
            reason: "script",
            secret,
            field: "script",
            hint: "write public outputs to $PUBLIC_DIR as regular files (cp, not ln -s)",
          },
        );
    }
  };
  try {
    await walk(publicDir, "");
  } catch (e) {
    if (e instanceof SecretgenError) throw e;
    throw runtimeError(`cannot read the script's public files: ${errCode(e)}`, {
      reason: "script",
      secret,
      cause: e,
    });
  }
  found.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return new Map(found);
}

/** Make every directory under `root` writable by us, so that removal cannot be blocked. */
function unlockTree(root: string): void {
  try {
    if (!lstatSync(root).isDirectory()) return;
    chmodSync(root, 0o700);
    for (const entry of readdirSync(root)) unlockTree(join(root, entry));
  } catch {
    // best effort
  }
}

/** Remove a private directory, even when the script left read-only directories in it. */
export async function removePrivateDir(root: string): Promise<void> {
  try {
    await rm(root, { recursive: true, force: true });
  } catch {
    unlockTree(root);
    await rm(root, { recursive: true, force: true });
  }
}

/** Synchronous `removePrivateDir`, for signal and exit handlers. Never throws. */
export function removePrivateDirSync(root: string): void {
  try {
    rmSync(root, { recursive: true, force: true });
  } catch {
    unlockTree(root);
    try {
      rmSync(root, { recursive: true, force: true });
    } catch {
      // nothing more can be done here; the next start sweeps it
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Remove the private directories left behind by runs that were killed: entries
 * `secretgen-<pid>-<random>` of `$XDG_RUNTIME_DIR` and of os.tmpdir() that are directories (not
 * links) owned by this user, whose pid is not a live process. Returns the removed paths.
 * @param env the invoking environment (for `$XDG_RUNTIME_DIR`), default process.env
 */
export async function sweepStaleTempDirs(env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const parents = [...new Set([privateParent(env), tmpdir()])];
  const uid = process.getuid?.();
  const removed: string[] = [];
  for (const parent of parents) {
    let entries: string[];
    try {
      entries = await readdir(parent);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const m = DIR_PATTERN.exec(entry);
      const pid = Number(m?.[1]);
      if (
        m === null ||
        !Number.isSafeInteger(pid) ||
        pid <= 0 ||
        pid === process.pid ||
        isAlive(pid)
      )
        continue;
      const path = join(parent, entry);
      try {
        const st = await lstat(path);
        if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
        await removePrivateDir(path);
        removed.push(path);
      } catch {
        // vanished meanwhile, or not removable: leave it
      }
    }
  }
  return removed;
}

function errCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : "unknown error";
}
