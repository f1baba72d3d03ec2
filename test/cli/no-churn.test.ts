/**
 * No churn: one test per defect seen on a real tree, each asserting the exact set of files a
 * command changed (byte comparison of everything under secrets/), not only its summary line.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ADMIN_RECIPIENT, TestRepo, WEB01, changedFiles, decls } from "../helpers/repo.js";

let repo: TestRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const files = (name: string) => [`secrets/data/${name}.age`, `secrets/entropy/${name}.age`];
const MANIFEST = "secrets/manifest.json";

/** Run a command and return what it changed under secrets/ (and its result). */
function changes(r: TestRepo, args: string[], opts: Parameters<TestRepo["run"]>[1] = {}) {
  const before = r.snapshot();
  const result = r.run(args, opts);
  return { ...result, changed: changedFiles(before, r.snapshot()) };
}

describeWithTools(["age", "htpasswd"], "no churn", () => {
  it("a failed secret never makes later runs rewrite the others; the manifest names the admins", () => {
    repo = new TestRepo(
      decls({
        "db/password": { hosts: ["web01"], random: {} },
        broken: { hosts: ["web01"], script: { script: "exit 4" } },
      }),
    );
    const first = repo.run(["generate"]);
    expect(first.code).toBe(3);
    const manifest = JSON.parse(repo.read(MANIFEST).toString()) as { admins: string[] };
    expect(manifest.admins).toEqual([ADMIN_RECIPIENT]);
    for (let i = 0; i < 2; i++) {
      const again = changes(repo, ["generate"]);
      expect(again.code).toBe(3);
      expect(again.stdout).not.toMatch(/updated|rekeyed/);
      expect(again.changed).toEqual([]);
    }
  });

  it("set with the value the secret already has writes nothing and says so", () => {
    repo = new TestRepo(decls({ token: { hosts: ["web01"], manual: {} } }));
    expect(repo.run(["set", "token"], { input: "tok" }).code).toBe(0);
    const same = changes(repo, ["set", "token"], { input: "tok" });
    expect(same.code).toBe(0);
    expect(same.changed).toEqual([]);
    expect(same.stderr + same.stdout).toMatch(/token already has this value; nothing was written/);
    const other = changes(repo, ["set", "token"], { input: "new" });
    expect(other.changed).toEqual([...files("token"), MANIFEST].sort());
    expect(repo.reveal("token").toString()).toBe("new");
  });

  it("generate NAME acts on NAME, its readers and what it needs made; nothing else", () => {
    const base = {
      a: { hosts: ["web01"], random: { length: 10 } },
      reader: { hosts: ["web01"], template: { content: 'r={{secret "a"}}' } },
      other: { hosts: ["web01"], random: { length: 10 } },
    };
    repo = new TestRepo(decls(base));
    expect(repo.run(["generate"]).code).toBe(0);
    repo.declare(
      decls({
        ...base,
        a: { hosts: ["web01"], template: { content: 'a={{secret "dep"}}' } },
        dep: { hosts: ["web01"], random: { length: 12 } },
        fresh: { hosts: ["web01"], template: { content: 'f={{secret "a"}}' } },
        z: { hosts: ["web01"], random: { length: 8 } },
        other: { hosts: ["web01", "db01"], random: { length: 10 } },
      }),
    );
    const expected = ["a", "dep", "fresh", "reader"];
    const line = (out: string) =>
      out
        .split("\n")
        .filter((l) => /^\w+\s+\S+/.test(l) && !/^\w+ \d+(, \w+ \d+)*$/.test(l))
        .map((l) => l.split(/\s+/)[1]?.replace(/:$/, ""))
        .sort();
    const dry = changes(repo, ["generate", "a", "--dry-run"]);
    expect(dry.changed).toEqual([]);
    expect(line(dry.stdout)).toEqual(expected);
    const check = repo.run(["check", "a"]);
    expect(check.code).toBe(1);
    expect(line(check.stdout)).toEqual(expected);
    const status = repo.run(["status", "a", "--json"]);
    const listed = (JSON.parse(status.stdout) as { secrets: { name: string }[] }).secrets;
    expect(listed.map((s) => s.name).sort()).toEqual(expected);
    const gen = changes(repo, ["generate", "a"]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).not.toMatch(/\bz\b|other/);
    expect(gen.changed).toEqual(
      [...files("a"), ...files("dep"), ...files("fresh"), ...files("reader"), MANIFEST].sort(),
    );
    // The rest is still out of date, and a full run brings it.
    const full = changes(repo, ["generate"]);
    expect(full.changed).toEqual([...files("z"), "secrets/data/other.age", MANIFEST].sort());
  });

  it("a manual secret set with agenix's tools is taken as set; its readers follow", () => {
    repo = new TestRepo(
      decls({
        token: { hosts: ["web01"], manual: {} },
        env: { hosts: ["web01"], template: { content: 'T={{secret "token"}} S={{random 8}}' } },
        pw: { hosts: ["web01"], random: { length: 10 } },
      }),
    );
    expect(repo.run(["set", "token"], { input: "old" }).code).toBe(0);
    expect(repo.run(["generate"]).code).toBe(0);
    const salt = repo.reveal("env").toString().split(" S=")[1];
    execFileSync(
      "age",
      ["-r", ADMIN_RECIPIENT, "-r", WEB01, "-o", repo.path("secrets/data/token.age")],
      { input: "edited" },
    );
    const offline = repo.run(["check", "--offline"], { identity: false });
    expect(offline.code).toBe(1);
    expect(offline.stdout).toMatch(/stale\s+token: data file changed outside secretgen/);
    const gen = changes(repo, ["generate"]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/updated\s+token: set outside secretgen/);
    // token's record and data file (encrypted again to its declared recipients: the edit may
    // have used others), its reader and the manifest follow; nothing else.
    expect(gen.changed).toEqual([...files("token"), ...files("env"), MANIFEST].sort());
    expect(repo.reveal("token").toString()).toBe("edited");
    expect(repo.reveal("env").toString()).toBe(`T=edited S=${salt}`);
    expect(changes(repo, ["generate"]).changed).toEqual([]);
    expect(repo.run(["check"]).code).toBe(0);

    // A generated secret edited outside stays an error, with hints that work.
    execFileSync("age", ["-r", ADMIN_RECIPIENT, "-o", repo.path("secrets/data/pw.age")], {
      input: "x",
    });
    const bad = changes(repo, ["generate"]);
    expect(bad.code).toBe(3);
    expect(bad.changed).toEqual([]);
    expect(bad.stderr).toMatch(/secrets\."pw": data file was changed outside secretgen/);
    expect(bad.stderr).toMatch(/`secretgen rotate pw`.*`secretgen adopt pw --from DIR`/);
    const dir = mkdtempSync(join(tmpdir(), "sg-adopt-"));
    try {
      execFileSync("cp", [repo.path("secrets/data/pw.age"), join(dir, "pw.age")]);
      expect(repo.run(["adopt", "pw", "--from", dir]).code).toBe(0);
      expect(repo.reveal("pw").toString()).toBe("x");
      expect(repo.run(["check"]).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("readers keep what they did not read: random parts and bcrypt salts survive a changed input", () => {
    const config = (aliceLength: number) =>
      decls({
        "user-passwords/alice": { hosts: ["web01"], random: { length: aliceLength } },
        "grafana/config": {
          hosts: ["web01"],
          json: {
            content: {
              secret_key: { __secretgen: "random", args: [32] },
              admin_hash: {
                __secretgen: "bcrypt",
                args: [{ __secretgen: "secret", args: ["user-passwords/alice"] }, 4],
              },
              url: "https://grafana.example",
            },
          },
        },
      });
    repo = new TestRepo(config(16));
    expect(repo.run(["generate"]).code).toBe(0);
    const read = () =>
      JSON.parse(repo?.reveal("grafana/config").toString() ?? "") as Record<string, string>;
    const before = read();
    repo.declare(config(20));
    const gen = changes(repo, ["generate"]);
    expect(gen.stdout).toMatch(/regenerated\s+grafana\/config: "user-passwords\/alice" changed/);
    const after = read();
    const alice = repo.reveal("user-passwords/alice").toString();
    expect(alice).toHaveLength(20);
    expect(after.secret_key).toBe(before.secret_key);
    expect(after.url).toBe(before.url);
    expect(after.admin_hash).not.toBe(before.admin_hash);
    expect(after.admin_hash?.slice(0, 29)).toBe(before.admin_hash?.slice(0, 29)); // $2b$04$ + salt
    const dir = mkdtempSync(join(tmpdir(), "sg-htpasswd-"));
    try {
      const file = join(dir, "htpasswd");
      writeFileSync(file, `alice:${after.admin_hash ?? ""}\n`);
      execFileSync("htpasswd", ["-vi", file, "alice"], { input: alice, stdio: "pipe" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(repo.run(["rotate", "grafana/config"]).code).toBe(0);
    expect(read().secret_key).not.toBe(before.secret_key);
  });

  it("a killed run is repaired keeping its files even where a reader sorts before what it reads", () => {
    const tree = (length: number) =>
      decls({
        "a/reader": {
          hosts: ["web01"],
          template: { content: 'K={{secret "z/dep"}} R={{random 8}}' },
        },
        "z/dep": { hosts: ["web01"], random: { length } },
      });
    repo = new TestRepo(tree(10));
    expect(repo.run(["generate"]).code).toBe(0);
    const pristine = repo.snapshot();
    const restore = () => {
      for (const [f, { bytes }] of pristine) repo?.write(f, Buffer.from(bytes, "base64"));
      for (const f of repo?.snapshot().keys() ?? [])
        if (!pristine.has(f)) rmSync(repo?.path(f) ?? "");
    };
    const ignored = (f: string) => /secrets\.json$|\.secretgen\.lock$|secretgen-tmp-/.test(f);
    // journal, 2 entropy files, 2 data files, manifest
    for (let k = 1; k <= 6; k++) {
      restore();
      repo.declare(tree(12));
      const start = repo.snapshot();
      expect(
        repo.run(["generate"], { env: { SECRETGEN_TEST_CRASH_AFTER_WRITES: String(k) } }).code,
      ).toBe(-1);
      const killed = repo.snapshot();
      const written = changedFiles(start, killed).filter(
        (f) => !ignored(f) && !f.endsWith(".journal"),
      );
      expect(repo.run(["generate"]).code).toBe(0);
      const after = repo.snapshot();
      for (const f of written)
        expect(after.get(f)?.bytes, `k=${k}: ${f} kept`).toBe(killed.get(f)?.bytes);
      const dep = repo.reveal("z/dep").toString();
      expect(dep).toHaveLength(12);
      expect(repo.reveal("a/reader").toString()).toMatch(new RegExp(`^K=${dep} R=`));
      expect(repo.run(["check"]).code).toBe(0);
    }
  });
});
