/**
 * The script runner: the only place where secretgen runs user code.
 *
 * What a `script` secret's bash script gets (the documented contract):
 * - Interpreter: the `bash` found first on the invoking PATH (absolute entries only), resolved
 *   to an absolute path before anything runs; exit 3 with a hint when there is none.
 * - Text: written to `script.sh` (0600) in the run's private directory and run as
 *   `bash <that path>`; argv holds nothing else. The line `set -euo pipefail; ` is prepended
 *   to the script's first line (same line, so bash's line numbers match the declaration).
 *   stdin is empty (a pipe closed at once, not /dev/null, which a broken machine may have
 *   replaced with a regular file).
 * - Runtime inputs: those under `/nix/store/` are realised first with
 *   `nix-store --realise STOREPATH…` (argv, invoking environment; each top-level store path
 *   once); exit 3 with a hint when nix-store is not on PATH or fails.
 * - Environment, exactly: `PATH` = `INPUT/bin` of each runtime input (absolute), joined by
 *   ":", or `/path-not-set` when there are none (an empty PATH would search the working
 *   directory); `TMP_DIR`, `SECRETS_DIR`, `PUBLIC_DIR`; `HOME` and `TMPDIR` = `TMP_DIR` (so
 *   tools that write dotfiles or temp files keep them inside the private directory). bash adds
 *   `PWD`, `SHLVL` and `_` itself. Working directory: `TMP_DIR`.
 * - Private directory: `secretgen-<pid>-<random>`, 0700, under `$XDG_RUNTIME_DIR` when set
 *   (absolute), else os.tmpdir(); `tmp/`, `secrets/` (each dependency at `secrets/NAME`, 0600,
 *   subdirectories 0700), `public/`. Removed after every run, on failure, timeout,
 *   cancellation, and on SIGINT/SIGTERM/SIGHUP of this process (then the signal is re-raised).
 * - Output: stdout, byte for byte (nothing trimmed), is the value; regular files left in
 *   `public/` are the public files (symbolic links and special files are an error).
 * - Failures (exit 3, `secret` set, `field` "script"): non-zero exit, death by a signal,
 *   timeout (`spec.timeout` seconds; the whole process group is killed), empty stdout. The
 *   message has the status and the last 10 lines of stderr with every known value redacted.
 *   When bash exits, anything it left running in its process group is killed.
 */
import type { RunScriptOptions, ScriptOutput } from "./run.js";

/** Run a script secret (run.ts, with execa: loaded on the first script a run meets). */
export async function runScript(opts: RunScriptOptions): Promise<ScriptOutput> {
  const { runScript } = await import("./run.js");
  return runScript(opts);
}

/** Remove the private directories of runs that were killed (private-dir.ts, loaded on use). */
export async function sweepStaleTempDirs(env?: NodeJS.ProcessEnv): Promise<string[]> {
  const { sweepStaleTempDirs } = await import("./private-dir.js");
  return sweepStaleTempDirs(env);
}

export type { RunScriptOptions, ScriptOutput } from "./run.js";
export { redact } from "./redact.js";
