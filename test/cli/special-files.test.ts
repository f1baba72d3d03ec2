/**
 * A FIFO in place of a secret's data or entropy file: reading it must not block (a blocked
 * open stops the whole process, signals included, and holds the lock). Every command finishes,
 * names the secret, and writes nothing over it: a secret is never regenerated for it.
 */
import { execFileSync } from "node:child_process";
import { lstatSync, rmSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, decls } from "../helpers/repo.js";

let repo: TestRepo;
beforeAll(() => {
  repo = new TestRepo(
    decls({
      "app/a": { hosts: ["web01"], random: { length: 16 } },
      "app/b": { hosts: ["web01"], random: { length: 16 } },
    }),
  );
  expect(repo.run(["generate"]).code).toBe(0);
});
afterAll(() => {
  repo.cleanup();
});

describeWithTools(["mkfifo"], "a FIFO in place of a file", () => {
  for (const kind of ["data", "entropy"]) {
    it(`${kind}: check, check --offline, status and generate finish and name the secret`, () => {
      const rel = `secrets/${kind}/app/a.age`;
      const bytes = repo.read(rel);
      rmSync(repo.path(rel));
      execFileSync("mkfifo", [repo.path(rel)]);
      try {
        // status always exits 0; the others find something wrong.
        for (const args of [["check"], ["check", "--offline"], ["status"], ["generate"]]) {
          const what = args.join(" ");
          const r = repo.run(args, { timeout: 20_000, identity: args[1] !== "--offline" });
          expect(r.code, `${what} did not finish`).not.toBe(-1);
          if (args[0] === "status") expect(r.code, what).toBe(0);
          else expect([1, 3], `${what}: ${r.stdout}${r.stderr}`).toContain(r.code);
          expect(`${r.stdout}${r.stderr}`, what).toMatch(
            /app\/a\b.*(changed|drift|cannot|missing)/,
          );
          expect(lstatSync(repo.path(rel)).isFIFO(), what).toBe(true);
        }
      } finally {
        rmSync(repo.path(rel));
        repo.write(rel, bytes);
      }
      expect(repo.run(["check"]).code).toBe(0);
    });
  }
});
