/**
 * Fleet operations: locking, prune, orphans, adopt, export.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ADMIN_RECIPIENT, TestRepo, changedFiles, decls } from "../helpers/repo.js";

const slow = {
  hosts: ["web01"],
  script: { script: "sleep 1.5\necho slow-value", runtimeInputs: ["/usr"] },
};

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(decls({ a: { hosts: ["web01"], random: {} }, slow }));
});
afterEach(() => {
  repo.cleanup();
});

function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (cond()) resolve();
      else if (Date.now() - start > ms) reject(new Error("timed out"));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

function finished(
  child: ReturnType<TestRepo["spawn"]>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    }),
  );
}

describeWithTools(["age"], "one writing run at a time", () => {
  it("a second generate exits 3 naming the holder; the first completes; the tree is consistent", async () => {
    const first = repo.spawn(["generate"]);
    const firstDone = finished(first);
    await waitFor(() => existsSync(repo.path("secrets/.secretgen.lock")));
    const second = repo.run(["generate"]);
    expect(second.code).toBe(3);
    expect(second.stderr).toMatch(new RegExp(`pid ${first.pid}`));
    expect(second.stderr).toMatch(/hint: .*--wait/);
    const r = await firstDone;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created 2/);
    expect(existsSync(repo.path("secrets/.secretgen.lock"))).toBe(false);
    expect(repo.run(["check"]).code).toBe(0);
  });

  it("with --wait the second run waits, then finds everything unchanged (nothing changed twice)", async () => {
    const first = repo.spawn(["generate"]);
    const firstDone = finished(first);
    await waitFor(() => existsSync(repo.path("secrets/.secretgen.lock")));
    const second = finished(repo.spawn(["generate", "--wait", "20"]));
    const [a, b] = await Promise.all([firstDone, second]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toMatch(/created 2/);
    expect(b.stdout.trim()).toBe("unchanged 2");
  });

  it("read-only commands take no lock", async () => {
    repo.run(["generate"]);
    const first = repo.spawn(["rotate", "slow"]);
    const done = finished(first);
    await waitFor(() => existsSync(repo.path("secrets/.secretgen.lock")));
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
    expect(repo.run(["reveal", "a"]).code).toBe(0);
    expect(repo.run(["status"]).code).toBe(0);
    expect((await done).code).toBe(0);
  });

  it("a lock left by a dead process on this host is taken over with a warning", () => {
    const dead = execFileSync(process.execPath, [
      "-e",
      "process.stdout.write(String(process.pid))",
    ]).toString();
    const host = execFileSync(process.execPath, [
      "-e",
      "process.stdout.write(require('os').hostname())",
    ]).toString();
    repo.write(
      "secrets/.secretgen.lock",
      JSON.stringify({ host, pid: Number(dead), started: new Date().toISOString() }),
    );
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`warning: .*${dead}`));
    expect(existsSync(repo.path("secrets/.secretgen.lock"))).toBe(false);
  });
});

describeWithTools(["age"], "prune and orphans", () => {
  it("generate and check name orphans; prune --dry-run lists; prune deletes", () => {
    repo.declare(
      decls({ a: { hosts: ["web01"], random: {} }, old: { hosts: ["web01"], wireguard: {} } }),
    );
    repo.run(["generate"]);
    repo.declare(decls({ a: { hosts: ["web01"], random: {} } }));
    const gen = repo.run(["generate"]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/orphan\s+old/);
    expect(existsSync(repo.path("secrets/data/old.age"))).toBe(true);
    expect(repo.run(["check"]).code).toBe(1);
    const before = repo.snapshot();
    const dry = repo.run(["prune", "--dry-run"]);
    expect(dry.stdout).toMatch(/would prune old/);
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
    const pr = repo.run(["prune"]);
    expect(pr.code).toBe(0);
    expect(changedFiles(before, repo.snapshot())).toEqual([
      "secrets/data/old.age",
      "secrets/entropy/old.age",
      "secrets/manifest.json",
      "secrets/public/old.pub",
    ]);
    expect(repo.read("secrets/manifest.json").toString()).not.toMatch(/"old"/);
    expect(repo.run(["check"]).code).toBe(0);
  });
});

describeWithTools(["age"], "adopt", () => {
  it("adopts an agenix repository made with the real age CLI, keeping every value", () => {
    const src = join(repo.root, "legacy");
    mkdirSync(join(src, "users"), { recursive: true });
    const values: Record<string, string> = {
      "users/alice": "alice-old-password",
      token: "ghp_legacy",
      api: "api-key-1",
    };
    for (const [name, v] of Object.entries(values)) {
      writeFileSync(
        join(src, `${name}.age`),
        execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: v }),
      );
    }
    writeFileSync(
      join(src, "secrets.nix"),
      `{ "users/alice.age".publicKeys = [ "${ADMIN_RECIPIENT}" ]; }\n`,
    );
    repo.declare(
      decls({
        "users/alice": { hosts: ["web01"], random: { length: 18 } },
        token: { hosts: ["web01"], manual: {} },
        api: { hosts: ["web01"], random: { length: 9 } },
        reader: { hosts: ["web01"], template: { content: 'x={{secret "users/alice"}}' } },
      }),
    );
    const r = repo.run(["adopt", "users/alice", "token", "api", "--from", src]);
    expect(r.code).toBe(0);
    for (const [name, v] of Object.entries(values)) expect(repo.reveal(name).toString()).toBe(v);
    const gen = repo.run(["generate"]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toMatch(/created 1, unchanged 3/);
    expect(repo.reveal("reader").toString()).toBe("x=alice-old-password");
    const before = repo.snapshot();
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 4");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
    // rotate replaces a pinned value, and its reader follows
    expect(repo.run(["rotate", "users/alice"]).code).toBe(0);
    const rotated = repo.reveal("users/alice").toString();
    expect(rotated).not.toBe(values["users/alice"]);
    expect(rotated).toMatch(/^[A-Za-z0-9]{18}$/);
    expect(repo.reveal("reader").toString()).toBe(`x=${rotated}`);
  });

  it("warns when an adopted value does not fit its declaration, and when it replaces a value", () => {
    const src = join(repo.root, "legacy");
    mkdirSync(src);
    writeFileSync(
      join(src, "a.age"),
      execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: "short!" }),
    );
    repo.run(["generate"]);
    const r = repo.run(["adopt", "a", "--from", src]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /warning: secrets\."a": the adopted value has 6 characters, the declaration says 32/,
    );
    expect(r.stderr).toMatch(/warning: secrets\."a": replaces the value already in the tree/);
  });

  it("a pinned value is regenerated when its declaration changes", () => {
    const src = join(repo.root, "legacy");
    mkdirSync(src);
    writeFileSync(
      join(src, "a.age"),
      execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: "pinned-value" }),
    );
    repo.run(["adopt", "a", "--from", src]);
    expect(repo.run(["generate"]).code).toBe(0);
    expect(repo.reveal("a").toString()).toBe("pinned-value");
    repo.declare(decls({ a: { hosts: ["web01"], random: { length: 40 } }, slow }));
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/regenerated\s+a: declaration changed/);
    expect(repo.reveal("a").length).toBe(40);
  });
});

describeWithTools(["age", "nix-instantiate"], "export --format agenix", () => {
  it("refuses to replace a hand-written secrets/secrets.nix, naming its rules, unless --force", () => {
    repo.run(["generate"]);
    const hand = [
      'let admin = "age1..."; in',
      "{",
      '  "data/legacy/token.age".publicKeys = [ admin ];',
      '  "data/a.age".publicKeys = [ admin ];',
      '  "data/old/armored.age" = { publicKeys = [ admin ]; armor = true; };',
      "}",
      "",
    ].join("\n");
    repo.write("secrets/secrets.nix", hand);
    const r = repo.run(["export", "--format", "agenix"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'error: secrets/secrets.nix was not written by secretgen; its rules would be lost: "data/legacy/token.age", "data/a.age", "data/old/armored.age"',
    );
    expect(repo.read("secrets/secrets.nix").toString()).toBe(hand);
    // generate and check leave it alone and do not fail on it.
    expect(repo.run(["generate"]).code).toBe(0);
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
    expect(repo.read("secrets/secrets.nix").toString()).toBe(hand);
    const forced = repo.run(["export", "--format", "agenix", "--force"]);
    expect(forced.code).toBe(0);
    expect(repo.read("secrets/secrets.nix").toString()).toMatch(
      /^# Generated by `secretgen export/,
    );
  });

  it("writes secrets.nix that check then accepts, reports it when out of date, generate keeps it current", () => {
    repo.run(["generate"]);
    expect(repo.run(["export", "--format", "agenix"]).code).toBe(0);
    expect(repo.run(["check"]).code).toBe(0);
    repo.declare(decls({ a: { hosts: ["web01", "db01"], random: {} }, slow }));
    // Declarations changed, generate not run yet: the rules are out of date, and the summary
    // says so.
    const stale = repo.run(["check", "--offline"], { identity: false });
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/secrets\.nix is out of date/);
    expect(stale.stdout.trim().split("\n").at(-1)).toBe(
      "unchanged 1, stale 1; secrets/secrets.nix out of date",
    );
    // generate keeps an exported rules file current: check passes right after it.
    const gen = repo.run(["generate"]);
    expect(gen.stderr).toContain("updated secrets/secrets.nix (agenix rules)");
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
    expect(repo.run(["export", "--format", "agenix"]).stdout).toBe(
      "secrets/secrets.nix is up to date\n",
    );
  });
});

describeWithTools(["age", "wg", "ssh-keygen", "age-keygen"], "adopt of keypairs", () => {
  it("writes each public file from the adopted private key, as the real tools derive it", () => {
    const src = join(repo.root, "legacy");
    mkdirSync(src, { recursive: true });
    const wgKey = execFileSync("wg", ["genkey"], { encoding: "utf8" });
    const ageKey = execFileSync("age-keygen", { encoding: "utf8" });
    const sshDir = join(repo.root, "sshkey");
    mkdirSync(sshDir);
    execFileSync("ssh-keygen", [
      "-q",
      "-t",
      "ed25519",
      "-N",
      "",
      "-C",
      "old",
      "-f",
      join(sshDir, "k"),
    ]);
    const sshKey = execFileSync("cat", [join(sshDir, "k")], { encoding: "utf8" });
    const put = (name: string, value: string) => {
      writeFileSync(
        join(src, `${name}.age`),
        execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: value }),
      );
    };
    put("wg", wgKey);
    put("agekey", ageKey);
    put("ssh", sshKey);
    repo.declare(
      decls({
        wg: { hosts: ["web01"], wireguard: {} },
        agekey: { hosts: ["web01"], age: {} },
        ssh: { hosts: ["web01"], "ssh-ed25519": {} },
      }),
    );
    const r = repo.run(["adopt", "wg", "agekey", "ssh", "--from", src]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(repo.read("secrets/public/wg.pub").toString()).toBe(
      execFileSync("wg", ["pubkey"], { input: wgKey, encoding: "utf8" }),
    );
    expect(repo.read("secrets/public/agekey.pub").toString()).toBe(
      execFileSync("age-keygen", ["-y"], { input: ageKey, encoding: "utf8" }),
    );
    const sshPub = execFileSync("ssh-keygen", ["-y", "-f", join(sshDir, "k")], {
      encoding: "utf8",
    });
    expect(repo.read("secrets/public/ssh.pub").toString()).toBe(
      sshPub.split(" ").slice(0, 2).join(" ") + " ssh\n",
    );
    // The values are kept exactly, and nothing moves afterwards.
    expect(repo.reveal("wg").toString()).toBe(wgKey);
    expect(repo.reveal("ssh").toString()).toBe(sshKey);
    expect(repo.run(["check"]).code).toBe(0);
    const before = repo.snapshot();
    expect(repo.run(["generate"]).code).toBe(0);
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("refuses a value that is not a private key of the declared kind, writing nothing", () => {
    const src = join(repo.root, "legacy");
    mkdirSync(src, { recursive: true });
    writeFileSync(
      join(src, "wg.age"),
      execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: "oldwg" }),
    );
    repo.declare(decls({ wg: { hosts: ["web01"], wireguard: {} } }));
    const before = repo.snapshot();
    const r = repo.run(["adopt", "wg", "--from", src]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'secretgen: error: secrets."wg": the adopted value is not a WireGuard private key (what `wg genkey` prints)',
    );
    expect(r.stderr).not.toContain("oldwg");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });
});
