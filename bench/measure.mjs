/**
 * Timing whole processes: wall-clock time from spawn to exit, repeated, median reported.
 */
import process from "node:process";
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "..");
export const CLI = join(ROOT, "dist/bundle/main.js");

/** Progress and diagnostics go to stderr; stdout is left to the table. */
export function progress(message) {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Run a command to completion and time it.
 *
 * @returns `{ ms, stdout, stderr }`
 * @throws when it exits with a status not in `okStatus` (default [0]).
 */
export function timeProcess(
  cmd,
  args,
  { cwd = ROOT, env = process.env, okStatus = [0], encoding = "utf8" } = {},
) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    env,
    encoding: encoding === "buffer" ? undefined : encoding,
    maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.error !== undefined) throw r.error;
  if (!okStatus.includes(r.status ?? -1)) {
    throw new Error(
      `${cmd} ${args.join(" ")} exited with ${r.status ?? r.signal}:\n${r.stdout}${r.stderr}`,
    );
  }
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Times in ms, rounded to 0.1, with their median: `{ median, runs }`. */
export function summarize(times) {
  const runs = times.map((ms) => Math.round(ms * 10) / 10);
  return { median: median(runs), runs };
}

/** Call `once()`, which returns milliseconds, `k` times; see summarize. */
export function repeat(k, once) {
  const times = [];
  for (let i = 0; i < k; i++) times.push(once(i));
  return summarize(times);
}

/**
 * The environment secretgen runs in: no default identity can be found (HOME and
 * XDG_CONFIG_HOME point at the benchmark's key directory), no colours. The rest of the
 * environment (NODE_EXTRA_CA_CERTS included) is kept, so that every node start pays the same.
 */
export function cliEnv(keysDir) {
  return {
    ...process.env,
    NO_COLOR: "1",
    SECRETGEN_IDENTITY: "",
    HOME: keysDir,
    XDG_CONFIG_HOME: keysDir,
  };
}

/**
 * Run the built CLI in `repo` and time it.
 *
 * @param opts.key admin identity file, or undefined for none (check --offline)
 * @param opts.jobs passed through as --jobs when set
 */
export function secretgen(repo, args, { key, jobs, keysDir, okStatus = [0] }) {
  const full = [CLI, ...args, "--root", repo];
  if (key !== undefined) full.push("-i", key);
  if (jobs !== undefined) full.push("--jobs", String(jobs));
  return timeProcess(process.execPath, full, { cwd: repo, env: cliEnv(keysDir), okStatus });
}
