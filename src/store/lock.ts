/**
 * One writing run at a time: `secrets/.secretgen.lock`, created exclusively, holding
 * `{ host, pid, started }`. A lock whose pid is dead on this host is taken over with a warning;
 * any other lock is held: fail at once (exit 3 naming the holder) or poll until `waitSeconds`.
 * Read-only commands take no lock.
 */
import { promises as fsp, readFileSync, statSync, unlinkSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { SecretgenError, quote, runtimeError, usageError, type Warning } from "../errors.js";
import { TEMP_MARKER, errnoCode, ioReason } from "./atomic.js";

/** The lock file's name inside secrets/. */
export const LOCK_FILE_NAME = ".secretgen.lock";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** How often a waiting run looks at the lock again. */
const POLL_MS = 100;
/** How long any run waits for another run's takeover of a dead lock to finish (it takes ms). */
const TAKEOVER_GRACE_MS = 3000;

/** The content of a lock file. */
export interface LockInfo {
  host: string;
  pid: number;
  /** ISO 8601 time the holder took the lock. */
  started: string;
}

export interface LockOptions {
  /** Wait up to this many seconds for a held lock. Default 0: fail at once. */
  waitSeconds?: number | undefined;
  /** Receives warnings, e.g. that a dead run's lock was taken over. */
  onWarning?: ((warning: Warning) => void) | undefined;
}

export interface Lock {
  readonly path: string;
  readonly info: LockInfo;
  /** Remove the lock file if it is still ours. Idempotent; also done on process exit. */
  release(): Promise<void>;
}

/**
 * Take the lock of the secrets directory `secretsDir` (which must exist). Resolves to the held
 * Lock. Throws SecretgenError exit 3 when another run holds it (after waiting `waitSeconds`),
 * when the lock file is unreadable or corrupt, or on an I/O error; exit 2 for a bad
 * `waitSeconds`.
 */
export async function acquireLock(secretsDir: string, opts: LockOptions = {}): Promise<Lock> {
  const wait = opts.waitSeconds ?? 0;
  if (!Number.isFinite(wait) || wait < 0) {
    throw usageError(
      `the time to wait for the lock must be a number of seconds, not ${String(wait)}`,
    );
  }
  const path = join(secretsDir, LOCK_FILE_NAME);
  const start = Date.now();
  const deadline = start + wait * 1000;
  let removed: LockInfo | undefined;
  for (;;) {
    const info: LockInfo = {
      host: hostname(),
      pid: process.pid,
      started: new Date().toISOString(),
    };
    const text = JSON.stringify(info) + "\n";
    const ino = await tryCreate(path, text);
    if (ino !== undefined) {
      if (removed !== undefined) {
        const { pid, host, started } = removed;
        opts.onWarning?.({
          message: `took over the lock of process ${pid} on ${host} (since ${started}), which is no longer running`,
        });
      }
      return heldLock(path, info, text, ino);
    }

    const holder = await readLockFile(path);
    if (holder.state === "gone") continue;
    if (holder.state === "dead") {
      const outcome = await takeOver(path, holder);
      if (outcome === "removed") removed = holder.info;
      if (outcome === "removed" || outcome === "changed") continue;
      if (outcome === "busy" && Date.now() < Math.max(deadline, start + TAKEOVER_GRACE_MS)) {
        await sleep(POLL_MS / 5);
        continue;
      }
      throw takeoverError(path, holder.info, outcome);
    }
    removed = undefined; // another run took the lock after all: it is the one to report
    if (Date.now() >= deadline) throw heldError(path, holder, wait);
    await sleep(POLL_MS);
  }
}

/** Create `path` exclusively with `text`; its inode, or undefined when it already exists. */
async function tryCreate(path: string, text: string): Promise<number | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(path, "wx", 0o644);
  } catch (err) {
    if (errnoCode(err) === "EEXIST") return undefined;
    throw runtimeError(`cannot create the lock file ${path}: ${ioReason(err)}`, {
      reason: "io",
      cause: err,
    });
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
    return (await handle.stat()).ino;
  } catch (err) {
    await fsp.unlink(path).catch(() => undefined);
    throw runtimeError(`cannot write the lock file ${path}: ${ioReason(err)}`, {
      reason: "io",
      cause: err,
    });
  } finally {
    await handle.close();
  }
}

type LockFile =
  | { state: "gone" | "corrupt" }
  /** `dead`: taken on this host by a process that no longer exists. */
  | { state: "alive" | "dead"; info: LockInfo; ino: number; text: string };

/**
 * What a lock file says. A file that is empty or not a lock is read again a few times first: a
 * run that has just created it may not have written it yet.
 */
async function readLockFile(path: string): Promise<LockFile> {
  for (let attempt = 1; ; attempt++) {
    const read = await readWithInode(path);
    if (read === "gone") return { state: "gone" };
    const info = read === "unreadable" ? undefined : parseLockInfo(read.text);
    if (info !== undefined && read !== "unreadable") {
      return { state: isDead(info) ? "dead" : "alive", info, ...read };
    }
    if (attempt >= 4) return { state: "corrupt" };
    await sleep(20);
  }
}

async function readWithInode(
  path: string,
): Promise<{ ino: number; text: string } | "gone" | "unreadable"> {
  try {
    const handle = await fsp.open(path, "r");
    try {
      const ino = (await handle.stat()).ino;
      return { ino, text: await handle.readFile("utf8") };
    } finally {
      await handle.close();
    }
  } catch (err) {
    return errnoCode(err) === "ENOENT" ? "gone" : "unreadable";
  }
}

/** Parse lock file content strictly; undefined when it is not a lock. */
export function parseLockInfo(text: string): LockInfo | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof doc !== "object" || doc === null) return undefined;
  const { host, pid, started } = doc as Record<string, unknown>;
  if (typeof host !== "string" || typeof started !== "string") return undefined;
  if (typeof pid !== "number" || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  return { host, pid, started };
}

/** Only a lock taken on this host by a process that no longer exists is dead. */
function isDead(info: LockInfo): boolean {
  if (info.host !== hostname()) return false;
  try {
    process.kill(info.pid, 0);
    return false;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return errnoCode(err) === "ESRCH";
  }
}

type Takeover = "removed" | "changed" | "busy" | "stuck";

/**
 * Remove the dead lock file `dead` without ever removing a live lock that another run created
 * meanwhile. Several runs may find the same dead lock at once, so removal is itself guarded: the
 * one run that exclusively creates the takeover file named after the dead lock (its pid and
 * inode) checks that the lock file is still that very file (inode and content) and unlinks it.
 * A takeover file whose creator died (killed in that short window) is passed over by creating the
 * next generation. Results: `removed` by this call; `changed` the lock file is no longer the dead
 * one; `busy` another run is taking over; `stuck` too many interrupted takeovers.
 */
async function takeOver(
  path: string,
  dead: { info: LockInfo; ino: number; text: string },
): Promise<Takeover> {
  const mine = JSON.stringify({ host: hostname(), pid: process.pid, started: new Date() });
  for (let generation = 0; generation < 8;) {
    const guard = `${path}${TEMP_MARKER}takeover-${dead.info.pid}-${dead.ino}-${generation}`;
    if ((await tryCreate(guard, mine)) === undefined) {
      const other = await readLockFile(guard);
      if (other.state === "dead") generation++;
      else if (other.state !== "gone") return "busy";
      continue;
    }
    try {
      const now = await readWithInode(path);
      if (now === "gone" || now === "unreadable") return "changed";
      if (now.ino !== dead.ino || now.text !== dead.text) return "changed";
      await fsp.unlink(path);
      return "removed";
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return "changed";
      throw runtimeError(`cannot remove the stale lock file ${path}: ${ioReason(err)}`, {
        reason: "io",
        cause: err,
      });
    } finally {
      // Safe at any time: a late run that creates this guard again finds the lock file changed.
      await fsp.unlink(guard).catch(() => undefined);
    }
  }
  return "stuck";
}

function takeoverError(path: string, dead: LockInfo, outcome: Takeover): SecretgenError {
  const what = outcome === "busy" ? "is still being taken over by another run" : "is stuck";
  return runtimeError(
    `the lock of process ${dead.pid} on ${dead.host}, which is no longer running, ${what}`,
    {
      reason: "lock",
      hint: `if no secretgen run is active, remove ${path} and ${path}${TEMP_MARKER}*`,
    },
  );
}

function heldError(path: string, holder: LockFile, waited: number): SecretgenError {
  const after = waited > 0 ? ` after waiting ${waited}s` : "";
  if (holder.state !== "alive" && holder.state !== "dead") {
    return runtimeError(`the lock file ${quote(path)} is unreadable or corrupt${after}`, {
      reason: "lock",
      hint: `if no secretgen run is active, remove ${path}`,
    });
  }
  const { pid, host, started } = holder.info;
  return runtimeError(
    `another secretgen run holds the lock (pid ${pid} on ${host} since ${started})${after}`,
    {
      reason: "lock-held",
      // The CLI says how to wait longer; this part holds wherever the lock is taken.
      hint: waited > 0 ? `if pid ${pid} is not a secretgen run, remove ${path}` : undefined,
    },
  );
}

/** Whether the lock file at `path` is still the one this run created. */
function stillOurs(path: string, text: string, ino: number): boolean {
  try {
    return statSync(path).ino === ino && readFileSync(path, "utf8") === text;
  } catch {
    return false;
  }
}

function heldLock(path: string, info: LockInfo, text: string, ino: number): Lock {
  let released = false;
  // Best effort for a run that exits without releasing (process.exit, an uncaught error, or
  // SIGINT, SIGTERM, SIGHUP: the file is removed, then the signal raised again, so the process
  // ends as it would have). A run killed otherwise (SIGKILL, a crash of the machine) leaves the
  // file; the next run on this host takes it over.
  const onExit = () => {
    if (!released && stillOurs(path, text, ino)) {
      try {
        unlinkSync(path);
      } catch {
        // Nothing more can be done while exiting.
      }
    }
  };
  const unhook = () => {
    process.off("exit", onExit);
    for (const s of SIGNALS) process.off(s, onSignal);
  };
  function onSignal(signal: NodeJS.Signals) {
    onExit();
    released = true;
    unhook();
    process.kill(process.pid, signal);
  }
  process.on("exit", onExit);
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    path,
    info,
    release: async () => {
      if (released) return;
      released = true;
      unhook();
      if (!stillOurs(path, text, ino)) return;
      try {
        await fsp.unlink(path);
      } catch (err) {
        if (errnoCode(err) !== "ENOENT") {
          throw runtimeError(`cannot remove the lock file ${path}: ${ioReason(err)}`, {
            reason: "io",
            cause: err,
          });
        }
      }
    },
  };
}
