/**
 * Shared by the script tests: a scratch parent directory (used as $XDG_RUNTIME_DIR so each test
 * sees only its own private directories), runtime inputs made of symlinks to real tools or of
 * fake executables, and a ScriptSpec builder.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScriptSpec } from "../../src/declarations/types.js";

const made: string[] = [];

/** A fresh temporary directory, removed by `cleanupScratch`. */
export function scratch(prefix = "sg-script-test-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function cleanupScratch(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Absolute path of a real tool on the test's PATH. */
export function which(tool: string): string {
  return execFileSync("sh", ["-c", 'command -v "$1"', "sh", tool], { encoding: "utf8" }).trim();
}

/** A runtime input (a directory with `bin/`) holding symlinks to the given real tools. */
export function toolsInput(tools: string[]): string {
  const root = scratch("sg-input-");
  mkdirSync(join(root, "bin"));
  for (const t of tools) symlinkSync(which(t), join(root, "bin", t));
  return root;
}

/** A directory holding executable shell scripts `NAME` (not a runtime input: no `bin/`). */
export function fakeBinDir(programs: Record<string, string>): string {
  const dir = scratch("sg-fakebin-");
  for (const [name, body] of Object.entries(programs)) {
    const path = join(dir, name);
    writeFileSync(path, `#!/bin/sh\n${body}\n`);
    chmodSync(path, 0o755);
  }
  return dir;
}

/** Entries named `secretgen-*` in a directory. */
export function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((e) => e.startsWith("secretgen-"));
}

export function scriptSpec(script: string, more: Partial<ScriptSpec> = {}): ScriptSpec {
  return {
    kind: "script",
    script,
    runtimeInputs: [],
    runtimeInputNames: [],
    dependencies: [],
    timeout: 30,
    ...more,
  };
}

export const enc = (s: string) => new TextEncoder().encode(s);
export const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether every pid is gone within `ms` (a killed process may take a moment to be reaped). */
export async function allGone(pids: number[], ms = 5_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (pids.some(alive)) {
    if (Date.now() > until) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}
