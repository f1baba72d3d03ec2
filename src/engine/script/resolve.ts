/**
 * Finding programs and building the script's PATH: `bash` and `nix-store` are looked up on the
 * invoking PATH (absolute entries only), runtime inputs under /nix/store are realised, and the
 * script's PATH is the `bin/` directories of its runtime inputs.
 */
import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { execa } from "execa";
import { runtimeError } from "../../errors.js";
import { formatTail } from "./redact.js";

/** The script's PATH when it has no runtime inputs: names nothing, like a Nix build's PATH. */
export const EMPTY_PATH = "/path-not-set";

const STORE_DIR = "/nix/store/";

/**
 * The absolute path of the first executable regular file `name` in the directories of
 * `pathVar`, or undefined. Empty and relative entries (which would mean "the current
 * directory") are ignored.
 */
export async function findOnPath(
  name: string,
  pathVar: string | undefined,
): Promise<string | undefined> {
  for (const dir of (pathVar ?? "").split(":")) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    try {
      if (!(await stat(candidate)).isFile()) continue;
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here (missing, not executable, unreadable directory)
    }
  }
  return undefined;
}

/** PATH for the script: `INPUT/bin` for each runtime input (made absolute), joined by ":". */
export function scriptPath(runtimeInputs: readonly string[]): string {
  if (runtimeInputs.length === 0) return EMPTY_PATH;
  return runtimeInputs.map((input) => join(resolve(input), "bin")).join(":");
}

/**
 * The store paths to realise for these runtime inputs: for each input under /nix/store/, its
 * top-level store path (`/nix/store/HASH-NAME`), without duplicates, in order.
 */
export function storePathsOf(runtimeInputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const input of runtimeInputs) {
    if (!input.startsWith(STORE_DIR)) continue;
    const name = input.slice(STORE_DIR.length).split("/")[0] ?? "";
    if (name === "" || name === "." || name === "..") continue;
    const storePath = STORE_DIR + name;
    if (!out.includes(storePath)) out.push(storePath);
  }
  return out;
}

/**
 * Run `nix-store --realise PATH…` (paths as argv, under the invoking environment).
 * Throws a runtime error (exit 3) when nix-store is not on PATH or fails.
 */
export async function realise(
  storePaths: readonly string[],
  opts: { secret: string; env: NodeJS.ProcessEnv; signal?: AbortSignal },
): Promise<void> {
  if (storePaths.length === 0) return;
  const nixStore = await findOnPath("nix-store", opts.env.PATH);
  if (nixStore === undefined) {
    throw runtimeError("nix-store not found on PATH: cannot realise the script's runtimeInputs", {
      reason: "script",
      secret: opts.secret,
      field: "script.runtimeInputs",
      hint: "install Nix (or put nix-store on PATH), or build the runtime inputs before running secretgen",
    });
  }
  const result = await execa(nixStore, ["--realise", ...storePaths], {
    env: opts.env,
    extendEnv: false,
    stdin: "ignore",
    stdout: "ignore",
    encoding: "buffer",
    reject: false,
    ...(opts.signal === undefined ? {} : { cancelSignal: opts.signal }),
  });
  if (!result.failed) return;
  const status = result.isCanceled
    ? "was cancelled"
    : result.exitCode !== undefined
      ? `failed with exit status ${result.exitCode}`
      : result.signal !== undefined
        ? `was killed by ${result.signal}`
        : `could not be started (${result.code ?? "unknown error"})`;
  throw runtimeError(`nix-store --realise ${status}${formatTail(result.stderr, [], [])}`, {
    reason: "script",
    secret: opts.secret,
    field: "script.runtimeInputs",
    hint: "check that the runtime inputs' store paths can be built or substituted on this machine",
  });
}
