/**
 * `check --offline` after a declaration change lists the readers of the changed secret too
 * (transitively), with the same states and reasons as `check`.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, decls } from "../helpers/repo.js";

let repo: TestRepo;
const base = {
  pw: { hosts: ["web01"], random: { length: 12 } },
  conf: { hosts: ["web01"], template: { content: 'p={{secret "pw"}}' } },
  wrapped: {
    hosts: ["web01"],
    json: { content: { c: { __secretgen: "secret", args: ["conf"] } } },
  },
  other: { hosts: ["web01"], random: { length: 12 } },
};
beforeEach(() => {
  repo = new TestRepo(decls(base));
});
afterEach(() => {
  repo.cleanup();
});

describeWithTools(["age"], "offline stale readers", () => {
  it("lists the same stale secrets as check after a declaration change", () => {
    expect(repo.run(["generate"]).code).toBe(0);
    repo.declare(decls({ ...base, pw: { hosts: ["web01"], random: { length: 13 } } }));
    const offline = repo.run(["check", "--offline"], { identity: false });
    const online = repo.run(["check"]);
    expect(offline.code).toBe(1);
    expect(online.code).toBe(1);
    expect(offline.stdout).toBe(
      [
        'stale       conf: reads "pw", which will change',
        "stale       pw: declaration changed",
        'stale       wrapped: reads "conf", which will change',
        "unchanged 1, stale 3",
        "",
      ].join("\n"),
    );
    expect(online.stdout).toBe(offline.stdout);
  });
});

describeWithTools(["age"], "offline status", () => {
  it("shows the readers of a changed secret stale, as check --offline does", () => {
    expect(repo.run(["generate"]).code).toBe(0);
    repo.declare(decls({ ...base, pw: { hosts: ["web01"], random: { length: 13 } } }));
    const status = repo.run(["status"], { identity: false });
    expect(status.code).toBe(0);
    const states = status.stdout
      .split("\n")
      .filter((l) => /^(conf|pw|wrapped|other)\b/.test(l))
      .map((l) =>
        l
          .split(/\s+/)
          .slice(0, 1)
          .concat(l.includes("stale") ? ["stale"] : ["-"]),
      );
    expect(states).toEqual([
      ["conf", "stale"],
      ["other", "-"],
      ["pw", "stale"],
      ["wrapped", "stale"],
    ]);
    expect(status.stdout).toContain('reads "pw", which will change');
    expect(status.stdout).toContain('reads "conf", which will change');
  });
});
