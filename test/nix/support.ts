/**
 * Evaluating Nix in tests: an expression is a function of `{ root, ... }` (the repository,
 * passed with --argstr, never spliced into the text) evaluated by the real
 * `nix-instantiate --eval --strict --json`.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { execa } from "execa";

export const ROOT = resolve(import.meta.dirname, "../..");
export const NIX_TOOLS = ["nix", "nix-instantiate", "git"];

/** `import "${root}/nix/lib.nix"` and friends, for the start of an expression. */
export const PRELUDE = `
  sg = import (root + "/nix/lib.nix");
  evalModules = import (root + "/test/fixtures/nix/eval-modules.nix");
  moduleFile = root + "/nix/module.nix";
`;

export function secretsJson(): unknown {
  return JSON.parse(readFileSync(join(ROOT, "secrets/secrets.json"), "utf8")) as unknown;
}

async function run(expr: string, args: Record<string, string>) {
  const argv = ["--eval", "--strict", "--json"];
  for (const [k, v] of Object.entries({ root: ROOT, ...args })) argv.push("--argstr", k, v);
  argv.push("-E", expr);
  return execa("nix-instantiate", argv, { reject: false, stdin: "ignore" });
}

/** The JSON value of `expr` (a function of `{ root, ...args }`); throws with Nix's stderr. */
export async function nixValue(expr: string, args: Record<string, string> = {}): Promise<unknown> {
  const r = await run(expr, args);
  if (r.exitCode !== 0) throw new Error(`nix-instantiate failed:\n${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

/** Nix's stderr for an expression that must fail to evaluate. */
export async function nixFailure(expr: string, args: Record<string, string> = {}): Promise<string> {
  const r = await run(expr, args);
  if (r.exitCode === 0) throw new Error(`expected a Nix evaluation error, got ${r.stdout}`);
  return r.stderr;
}

/** The files the flake and the example need. */
export const FLAKE_FILES = [
  "flake.nix",
  "nix/lib.nix",
  "nix/module.nix",
  "nix/example/default.nix",
  "nix/example/hosts.nix",
  "test/fixtures/keys/web01_ssh_host_ed25519_key.pub",
  "test/fixtures/keys/db01_ssh_host_rsa_key.pub",
];

/** A temporary git repository holding copies of `files` (all `git add`ed, no commit). */
export async function gitRepoWith(files: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "sg-nix-flake-"));
  for (const f of files) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    cpSync(join(ROOT, f), join(dir, f));
  }
  await execa("git", ["init", "-q"], { cwd: dir });
  await execa("git", ["add", "--", ...files], { cwd: dir });
  return dir;
}

/** Hosts lists sorted, for comparing a collected document with secrets.json. */
export function sortHostLists(doc: unknown): unknown {
  const d = doc as { secrets: Record<string, { hosts: string[] }> };
  const secrets = Object.fromEntries(
    Object.entries(d.secrets).map(([name, s]) => [name, { ...s, hosts: [...s.hosts].sort() }]),
  );
  return { ...d, secrets };
}
