/**
 * The test plugin test/fixtures/plugins/age-plugin-sgtest (TEST ONLY): a PATH that finds it,
 * fresh keys from its `--generate`, and its start counter.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./repo.js";

export const PLUGIN_DIR = join(ROOT, "test/fixtures/plugins");

/** PATH with the test plugin's directory first. */
export function pluginPath(): string {
  return `${PLUGIN_DIR}:${process.env.PATH ?? ""}`;
}

export interface PluginKey {
  /** `age1sgtest1…` */
  recipient: string;
  /** `AGE-PLUGIN-SGTEST-1…` */
  identity: string;
  /** The identity file's text, as the plugin writes it. */
  file: string;
}

/** A new key pair of the test plugin. */
export function generatePluginKey(): PluginKey {
  const file = execFileSync(join(PLUGIN_DIR, "age-plugin-sgtest"), ["--generate"], {
    encoding: "utf8",
  });
  const recipient = /# recipient: (age1sgtest1\S+)/.exec(file)?.[1] ?? "";
  const identity = /^(AGE-PLUGIN-SGTEST-1\S+)$/m.exec(file)?.[1] ?? "";
  if (recipient === "" || identity === "") throw new Error("age-plugin-sgtest --generate failed");
  return { recipient, identity, file };
}

/** Starts of the plugin recorded in `file`, by state machine, and the files per session. */
export function pluginStarts(file: string): {
  identity: number;
  recipient: number;
  files: number[];
} {
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  return {
    identity: lines.filter((l) => l === "--age-plugin=identity-v1").length,
    recipient: lines.filter((l) => l === "--age-plugin=recipient-v1").length,
    files: lines.filter((l) => l.startsWith("files ")).map((l) => Number(l.slice(6))),
  };
}

/** Empty the counter file. */
export function resetStarts(file: string): void {
  writeFileSync(file, "");
}
