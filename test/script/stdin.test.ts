/**
 * The script's stdin is empty even when /dev/null is not the null device: a machine where
 * /dev/null was replaced by a regular file (that every `> /dev/null` and stdio "ignore" of
 * other processes writes into) must not feed that file to a secret's script. The broken
 * /dev/null is made in a private mount namespace (root and `unshare` needed, else skipped).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";
import { cleanupScratch, scratch, toolsInput } from "./helpers.js";

afterEach(cleanupScratch);

const FIXTURES = resolve(import.meta.dirname, "fixtures");
/** `sh -c` that bind-mounts $1 over /dev/null in a private mount namespace, then runs the rest. */
const WITH_FAKE_NULL = 'mount --bind "$1" /dev/null && shift && exec "$@"';

function withFakeNull(file: string, argv: string[]) {
  return spawnSync("unshare", ["-m", "sh", "-c", WITH_FAKE_NULL, "sh", file, ...argv], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function canFakeNull(): boolean {
  if (process.getuid?.() !== 0) return false;
  const dir = mkdtempSync(join(tmpdir(), "sg-fake-null-"));
  try {
    const file = join(dir, "null");
    writeFileSync(file, "probe");
    const r = withFakeNull(file, ["cat", "/dev/null"]);
    return r.status === 0 && r.stdout === "probe";
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it.skipIf(!canFakeNull())("a script's stdin is empty even if /dev/null is a regular file", () => {
  const file = join(scratch(), "null");
  writeFileSync(file, "written to /dev/null by another process\n");
  const r = withFakeNull(file, [
    process.execPath,
    "--import",
    join(FIXTURES, "register-ts.mjs"),
    join(FIXTURES, "stdin.ts"),
    toolsInput(["cat"]),
  ]);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toBe("end");
});
