/**
 * Running one `script` secret: bash from the invoking PATH, runtime inputs realised, a private
 * directory, a reduced environment, a timeout that kills the whole process group, and errors
 * that show only the exit status and a redacted stderr tail.
 */
import { checkBinDirs } from "./bin-dirs.js";
import { writeFile } from "node:fs/promises";
import { execa } from "execa";
import type { ScriptSpec } from "../../declarations/index.js";
import { runtimeError } from "../../errors.js";
import { killGroup, track, type ActiveRun } from "./cleanup.js";
import {
  collectPublicFiles,
  createPrivateDir,
  privateParent,
  removePrivateDir,
  writeDependencies,
  type PrivateDir,
} from "./private-dir.js";
import { formatTail } from "./redact.js";
import { findOnPath, realise, scriptPath, storePathsOf } from "./resolve.js";

export interface RunScriptOptions {
  /** Name of the secret (error messages, never a path). */
  secret: string;
  spec: ScriptSpec;
  /** Dependency values by secret name: written to `$SECRETS_DIR/NAME`. */
  dependencies: ReadonlyMap<string, Uint8Array>;
  /** Values to hide from error messages (dependency values are always added). */
  redact: readonly Uint8Array[];
  /** The invoking environment (for PATH and XDG_RUNTIME_DIR), default process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

export interface ScriptOutput {
  /** Everything the script wrote to stdout, byte for byte (nothing trimmed). */
  value: Uint8Array;
  /** The regular files the script left in `$PUBLIC_DIR`, by relative path, sorted. */
  publicFiles: Map<string, Uint8Array>;
}

/** Prepended on the script's first line, so bash's line numbers match the declaration. */
export const SCRIPT_PRELUDE = "set -euo pipefail; ";
/** How long the pipes may stay open after the process group was killed. */
const FORCE_CLOSE_MS = 2000;
/** setTimeout's limit. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The whole environment of the script. */
export function scriptEnv(dir: PrivateDir, path: string): Record<string, string> {
  return {
    PATH: path,
    TMP_DIR: dir.tmp,
    SECRETS_DIR: dir.secrets,
    PUBLIC_DIR: dir.public,
    HOME: dir.tmp,
    TMPDIR: dir.tmp,
  };
}

/**
 * Run the script of `opts.spec` and return its stdout and public files.
 *
 * Throws a SecretgenError with code 3 and `secret` set when bash (or nix-store, needed for
 * /nix/store inputs) is not on the invoking PATH, when realising fails, when the script exits
 * non-zero, is killed, times out, or prints nothing, and when it leaves a non-regular file in
 * `$PUBLIC_DIR`. The private directory is removed in every case.
 */
export async function runScript(opts: RunScriptOptions): Promise<ScriptOutput> {
  const { secret, spec } = opts;
  const env = opts.env ?? process.env;
  if (opts.signal?.aborted === true)
    throw runtimeError("script was cancelled", { reason: "script", secret, field: "script" });

  const bash = await findOnPath("bash", env.PATH);
  if (bash === undefined) {
    throw runtimeError("bash not found on PATH: cannot run the script", {
      reason: "script",
      secret,
      field: "script",
      hint: "install bash, or put the directory that holds it on PATH",
    });
  }
  await realise(storePathsOf(spec.runtimeInputs), {
    secret,
    env,
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
  });

  await checkBinDirs(spec.runtimeInputs, secret);

  const dir = await createPrivateDir(privateParent(env), secret);
  const run: ActiveRun = { root: dir.root };
  const untrack = track(run);
  try {
    await writeDependencies(dir.secrets, opts.dependencies, secret);
    const text = SCRIPT_PRELUDE + spec.script + (spec.script.endsWith("\n") ? "" : "\n");
    await writeFile(dir.script, text, { mode: 0o600, flag: "wx" });
    const values = [...opts.redact, ...opts.dependencies.values()];
    const paths = [
      [dir.script, "script"],
      [dir.tmp, "$TMP_DIR"],
      [dir.secrets, "$SECRETS_DIR"],
      [dir.public, "$PUBLIC_DIR"],
    ] as const;

    const child = execa(bash, [dir.script], {
      env: scriptEnv(dir, scriptPath(spec.runtimeInputs)),
      extendEnv: false,
      cwd: dir.tmp,
      // An empty pipe, closed at once, rather than "ignore" (/dev/null): the script's stdin is
      // empty even on a machine whose /dev/null has been replaced by a regular file that other
      // processes write into.
      stdin: "pipe",
      encoding: "buffer",
      stripFinalNewline: false,
      detached: true,
      reject: false,
    });
    run.pid = child.pid;
    child.stdin.end();
    // When bash exits, whatever it left running in the background goes with it (it could hold
    // stdout open until the timeout). Linux does not reuse a pid while it names a live group.
    child.once("exit", () => {
      killGroup(child.pid);
    });

    // On timeout or cancellation the group is killed; if something outside the group still
    // holds stdout or stderr open (setsid), the pipes are closed after a grace period.
    const ended = { timedOut: false, cancelled: false };
    let forceClose: NodeJS.Timeout | undefined;
    const stop = () => {
      killGroup(child.pid);
      forceClose ??= setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, FORCE_CLOSE_MS);
    };
    const timer = setTimeout(
      () => {
        ended.timedOut = true;
        stop();
      },
      Math.min(Math.max(spec.timeout, 0) * 1000, MAX_TIMEOUT_MS),
    );
    const onAbort = () => {
      ended.cancelled = true;
      stop();
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const result = await child;
    clearTimeout(timer);
    clearTimeout(forceClose);
    opts.signal?.removeEventListener("abort", onAbort);

    // Only facts about the run are used, never execa's message (it quotes the output).
    let failure: string | undefined;
    let hint: string | undefined;
    if (ended.timedOut) {
      failure = `script timed out after ${spec.timeout}s`;
      hint = "raise script.timeout (seconds) in the declaration if the script needs longer";
    } else if (ended.cancelled) {
      failure = "script was cancelled";
    } else if (result.isMaxBuffer) {
      failure = "script output exceeded the size limit";
    } else if (result.exitCode === undefined) {
      failure =
        result.signal !== undefined
          ? `script was killed by ${result.signal}`
          : `script could not be started (${result.code ?? "unknown error"})`;
    } else if (result.exitCode !== 0) {
      failure = `script failed with exit status ${result.exitCode}`;
    } else if (result.stdout.length === 0) {
      failure = "script produced no output";
      hint =
        "the secret is what the script prints on stdout; send progress messages to stderr (>&2)";
    }
    if (failure !== undefined) {
      // What the script printed on stdout would have been the secret: redacted like the rest.
      const own = result.stdout instanceof Uint8Array && result.stdout.length > 0;
      const redacted = own ? [...values, new Uint8Array(result.stdout)] : values;
      throw runtimeError(failure + formatTail(result.stderr, redacted, paths), {
        secret,
        field: "script",
        ...(hint === undefined ? {} : { hint }),
      });
    }
    const publicFiles = await collectPublicFiles(dir.public, secret);
    return { value: new Uint8Array(result.stdout), publicFiles };
  } finally {
    untrack();
    await removePrivateDir(dir.root);
  }
}
