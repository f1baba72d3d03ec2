/**
 * Manual secrets and `set`: stdin, --value-file, argv refused, pending until set, readers follow.
 */
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, decls } from "../helpers/repo.js";

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(
    decls({
      token: { hosts: ["web01"], manual: {} },
      "app/env": {
        hosts: ["web01"],
        template: { content: 'TOKEN={{secret "token"}}\nSALT={{random 6}}\n' },
      },
      other: { hosts: ["web01"], random: { length: 10 } },
    }),
  );
});
afterEach(() => {
  repo.cleanup();
});

describeWithTools(["age"], "manual secrets", () => {
  it("generate leaves an unset manual secret and its readers pending, writes the rest, exits 0", () => {
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: secrets\."token": manual secret not set/);
    expect(r.stdout).toMatch(/pending\s+app\/env/);
    expect(r.stdout).toMatch(/created 1, pending 2/);
    const check = repo.run(["check"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/missing\s+token: manual secret not set/);
    const offline = repo.run(["check", "--offline"], { identity: false });
    expect(offline.code).toBe(1);
    expect(offline.stdout).toMatch(/missing\s+token/);
  });

  it("set from stdin strips exactly one newline; readers re-render", () => {
    repo.run(["generate"]);
    const r = repo.run(["set", "token"], { input: "s3cret\n\n" });
    expect(r.code).toBe(0);
    expect(repo.reveal("token").toString()).toBe("s3cret\n");
    expect(repo.reveal("app/env").toString()).toMatch(/^TOKEN=s3cret\n\nSALT=[A-Za-z0-9]{6}\n$/);
    expect(repo.run(["check"]).code).toBe(0);
    const salt = repo.reveal("app/env").toString();
    repo.run(["set", "token"], { input: "changed" });
    const after = repo.reveal("app/env").toString();
    expect(after).toMatch(/^TOKEN=changed\nSALT=/);
    expect(after).not.toBe(salt);
    // The reader keeps what it did not read: its random SALT is re-rendered from its record.
    expect(after.split("SALT=")[1]).toBe(salt.split("SALT=")[1]);
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 3");
  });

  it("set from --value-file, and --keep-newline", () => {
    repo.write("value.txt", "from-file\n");
    expect(repo.run(["set", "token", "--value-file", repo.path("value.txt")]).code).toBe(0);
    expect(repo.reveal("token").toString()).toBe("from-file");
    expect(
      repo.run(["set", "token", "--value-file", repo.path("value.txt"), "--keep-newline"]).code,
    ).toBe(0);
    expect(repo.reveal("token").toString()).toBe("from-file\n");
  });

  it("refuses a value on the command line, without echoing it", () => {
    const r = repo.run(["set", "token", "hunter2-argv"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/never taken from the command line/);
    expect(r.stderr + r.stdout).not.toContain("hunter2-argv");
  });

  it("refuses set on a non-manual secret, rotate on a manual one, and stdin with --config -", () => {
    expect(repo.run(["set", "other"], { input: "x" }).stderr).toMatch(
      /secrets\."other": is a random secret; only manual/,
    );
    const rot = repo.run(["rotate", "token"]);
    expect(rot.code).toBe(2);
    expect(rot.stderr).toMatch(/hint: store a new value with `secretgen set token`/);
    const both = repo.run(["set", "token", "--config", "-"], { input: "{}" });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/stdin cannot carry both/);
  });

  it("an empty value is refused", () => {
    const r = repo.run(["set", "token"], { input: "\n" });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the value is empty/);
  });
});
