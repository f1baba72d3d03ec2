/**
 * Removal of private directories when our process is interrupted. While at least one script
 * runs, handlers for SIGINT, SIGTERM and SIGHUP (and `exit`) are installed; on a signal they
 * kill every running script's process group, remove every private directory, uninstall
 * themselves, and re-raise the signal so that the default behaviour (termination) follows —
 * unless another part of the program listens to that signal, which then decides.
 */
import { removePrivateDirSync } from "./private-dir.js";

export interface ActiveRun {
  readonly root: string;
  /** Process group of the running script (its pid; the script runs detached). */
  pid?: number;
}

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
const active = new Set<ActiveRun>();

/** Kill a process group, ignoring a group that is already gone. */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined || pid <= 0) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // ESRCH: nothing left in the group
  }
}

function cleanAll(): void {
  for (const run of active) {
    killGroup(run.pid);
    removePrivateDirSync(run.root);
  }
  active.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  cleanAll();
  uninstall();
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function onExit(): void {
  cleanAll();
}

function install(): void {
  for (const s of SIGNALS) process.on(s, onSignal);
  process.on("exit", onExit);
}

function uninstall(): void {
  for (const s of SIGNALS) process.off(s, onSignal);
  process.off("exit", onExit);
}

/** Track a run until the returned function is called (which does not remove anything). */
export function track(run: ActiveRun): () => void {
  if (active.size === 0) install();
  active.add(run);
  return () => {
    if (active.delete(run) && active.size === 0) uninstall();
  };
}
