/**
 * Crash safety of `prune`: for every k from 1 to the number of files it removes, a prune is
 * SIGKILLed right after its k-th removal (the test-only hook SECRETGEN_TEST_CRASH_AFTER_REMOVALS).
 * The killed run has removed exactly the first k files in the order public → data → entropy and
 * left manifest.json as it was; `check` then reports the same orphans as before (no error), and
 * the next prune finishes: the tree is the one an uninterrupted prune leaves.
 */
import { cpSync, existsSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isTempFileName } from "../../src/store/atomic.js";
import { TestRepo, changedFiles, decls } from "../helpers/repo.js";

const KEPT = { kept: { hosts: ["web01"], random: {} } };
const ALL = {
  ...KEPT,
  "old/wg": { hosts: ["web01"], wireguard: {} },
  "old/pw": { hosts: ["web01"], random: {} },
};
/** The removals of one prune, in order. */
const REMOVED = [
  "secrets/public/old/wg.pub",
  "secrets/data/old/pw.age",
  "secrets/data/old/wg.age",
  "secrets/entropy/old/pw.age",
  "secrets/entropy/old/wg.age",
];
/** What a run leaves that is not the tree: the lock a killed run held, temporary files. */
const tree = (files: string[]) =>
  files.filter((f) => !/secrets\/\.secretgen\.lock$/.test(f) && !isTempFileName(basename(f)));

let repo: TestRepo;
let pristine: string;
let pruned: Map<string, { bytes: string }>;

function reset(): void {
  rmSync(repo.path("secrets"), { recursive: true });
  cpSync(pristine, repo.path("secrets"), { recursive: true });
}

describe("crash safety of prune", () => {
  beforeAll(() => {
    repo = new TestRepo(decls(ALL));
    expect(repo.run(["generate"]).code).toBe(0);
    repo.declare(decls(KEPT));
    pristine = repo.path("pristine");
    cpSync(repo.path("secrets"), pristine, { recursive: true });
    const start = repo.snapshot();
    const r = repo.run(["prune"]);
    expect(r.code).toBe(0);
    pruned = repo.snapshot();
    expect(tree(changedFiles(start, pruned))).toEqual([...REMOVED, "secrets/manifest.json"].sort());
  }, 60_000);
  afterAll(() => {
    repo.cleanup();
  });

  it.for(REMOVED.map((_, i) => i + 1))(
    "killed after %i removals: the rest is still an orphan, the next prune finishes",
    { timeout: 60_000 },
    (k) => {
      reset();
      const start = repo.snapshot();
      const killed = repo.run(["prune"], {
        env: { SECRETGEN_TEST_CRASH_AFTER_REMOVALS: String(k) },
      });
      expect(killed.code).toBe(-1); // killed by the signal
      const afterKill = repo.snapshot();
      expect(tree(changedFiles(start, afterKill))).toEqual(REMOVED.slice(0, k).sort());

      const check = repo.run(["check", "--offline"], { identity: false });
      expect(check.code).toBe(1);
      expect(check.stderr).not.toMatch(/error/);
      expect(check.stdout).toMatch(/orphan\s+old\/pw/);
      expect(check.stdout).toMatch(/orphan\s+old\/wg/);

      const repair = repo.run(["prune"]);
      expect(repair.stderr).not.toMatch(/error/);
      expect(repair.code).toBe(0);
      expect(repair.stdout).toBe("pruned old/pw\npruned old/wg\npruned 2\n");
      expect(tree(changedFiles(pruned, repo.snapshot()))).toEqual([]);
      for (const dir of ["data/old", "entropy/old", "public"])
        expect(existsSync(repo.path("secrets", dir)), `${dir} removed`).toBe(false);
      expect(repo.run(["check"]).code).toBe(0);
    },
  );
});
