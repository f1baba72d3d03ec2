/**
 * sweepStaleTempDirs: removes `secretgen-<pid>-*` directories whose pid is dead, in
 * $XDG_RUNTIME_DIR and os.tmpdir(); keeps live ones, foreign names and non-directories.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { sweepStaleTempDirs } from "../../src/engine/script/index.js";
import { cleanupScratch, scratch } from "./helpers.js";

afterEach(cleanupScratch);

/** Above any Linux pid_max (2^22): never a live process. */
const DEAD_PID = 2_000_000_000;

it("removes dead runs' directories and keeps the rest", async () => {
  const parent = scratch("sg-xdg-");
  const dead = join(parent, `secretgen-${DEAD_PID}-AbC123`);
  mkdirSync(join(dead, "secrets", "some"), { recursive: true, mode: 0o700 });
  writeFileSync(join(dead, "secrets", "some", "name"), "old value", { mode: 0o600 });
  const live = join(parent, `secretgen-${process.ppid}-XyZ789`);
  mkdirSync(live);
  const mine = join(parent, `secretgen-${process.pid}-Own000`);
  mkdirSync(mine);
  const notOurs = join(parent, "secretgen-notapid-abc");
  mkdirSync(notOurs);
  const aFile = join(parent, `secretgen-${DEAD_PID}-file00`);
  writeFileSync(aFile, "");

  const removed = await sweepStaleTempDirs({ XDG_RUNTIME_DIR: parent });
  expect(removed).toContain(dead);
  expect(removed.filter((p) => p.startsWith(parent + "/"))).toEqual([dead]);
  expect(existsSync(dead)).toBe(false);
  for (const kept of [live, mine, notOurs, aFile]) expect(existsSync(kept)).toBe(true);
});

it("returns nothing when there is nothing to sweep", async () => {
  const parent = scratch("sg-xdg-");
  const removed = await sweepStaleTempDirs({ XDG_RUNTIME_DIR: parent });
  expect(removed.filter((p) => p.startsWith(parent + "/"))).toEqual([]);
});

it("ignores a missing XDG_RUNTIME_DIR", async () => {
  await expect(
    sweepStaleTempDirs({ XDG_RUNTIME_DIR: join(scratch(), "missing") }),
  ).resolves.toBeInstanceOf(Array);
});
