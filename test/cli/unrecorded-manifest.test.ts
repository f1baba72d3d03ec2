/**
 * A run killed after its last file and before manifest.json (written last) leaves the files
 * ahead of manifest.json, and the journal (git-ignored) says so. Here the files are complete,
 * so nothing is stale, but a clone, which has no journal, would see every rewritten file as
 * changed outside secretgen: `check` and `check --offline` say manifest.json is out of date
 * (exit 1) until `generate` writes it, and `status` warns.
 */
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TestRepo, decls } from "../helpers/repo.js";

const tree = (length: number) =>
  decls({
    "app/a": { hosts: ["web01"], random: { length } },
    "app/b": { hosts: ["web01"], random: { length: 16 } },
  });

const BEHIND =
  "an interrupted run did not write secrets/manifest.json, which is behind the files of 1 secret(s)";

let repo: TestRepo;
beforeAll(() => {
  repo = new TestRepo(tree(16));
  expect(repo.run(["generate"]).code).toBe(0);
});
afterAll(() => {
  repo.cleanup();
});

describe("a run killed between its last file and manifest.json", () => {
  it("check and check --offline say manifest.json is out of date until generate writes it", () => {
    const manifest = repo.read("secrets/manifest.json");
    const value = repo.reveal("app/b");
    repo.declare(tree(20));
    // Three renames: the journal, then app/a's entropy and data files; the next is manifest.json.
    const killed = repo.run(["generate"], { env: { SECRETGEN_TEST_CRASH_AFTER_WRITES: "3" } });
    expect(killed.code).toBe(-1);
    expect(repo.read("secrets/manifest.json").equals(manifest)).toBe(true);
    expect(existsSync(repo.path("secrets/.secretgen.journal"))).toBe(true);
    expect(repo.reveal("app/a").length).toBe(20);

    for (const check of [
      repo.run(["check"]),
      repo.run(["check", "--offline"], { identity: false }),
    ]) {
      expect(check.code, check.stderr).toBe(1);
      expect(check.stdout).toContain("unchanged 2; secrets/manifest.json out of date");
      expect(check.stderr).toContain(BEHIND);
    }
    // status says so too (it always exits 0), with a key and without.
    for (const status of [repo.run(["status"]), repo.run(["status"], { identity: false })]) {
      expect(status.code).toBe(0);
      expect(status.stderr).toContain(BEHIND);
    }

    const dry = repo.run(["generate", "--dry-run"]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stderr).toContain(
      "would complete secrets/manifest.json, which an interrupted run had left behind the files of 1 secret(s)",
    );
    expect(existsSync(repo.path("secrets/.secretgen.journal"))).toBe(true);
    const repair = repo.run(["generate"]);
    expect(repair.code, repair.stderr).toBe(0);
    expect(repair.stderr).toContain(
      "completed secrets/manifest.json, which an interrupted run had left behind the files of 1 secret(s)",
    );
    // Said once: the next run has nothing to complete.
    expect(repo.run(["generate"]).stderr).not.toContain("manifest.json");
    expect(repo.read("secrets/manifest.json").equals(manifest)).toBe(false);
    expect(existsSync(repo.path("secrets/.secretgen.journal"))).toBe(false);
    expect(repo.run(["check"]).code).toBe(0);
    const offline = repo.run(["check", "--offline"], { identity: false });
    expect(offline.code, offline.stdout).toBe(0);
    expect(offline.stdout).not.toContain("manifest.json");
    expect(repo.reveal("app/a").length).toBe(20);
    expect(repo.reveal("app/b").equals(value)).toBe(true);
  });
});
