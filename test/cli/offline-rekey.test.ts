/**
 * `check --offline` (no identity at all) and recipient changes (rekey without regeneration).
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import {
  ADMIN_RECIPIENT,
  DB01,
  TestRepo,
  changedFiles,
  decls,
  privateKey,
} from "../helpers/repo.js";

const base = () =>
  decls({
    a: { hosts: ["web01"], random: { length: 12 } },
    b: { hosts: ["web01"], template: { content: 'b={{secret "a"}}' } },
    c: { hosts: ["db01"], random: { length: 12 } },
    k: { hosts: ["web01"], wireguard: {} },
  });

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(base());
  expect(repo.run(["generate"]).code).toBe(0);
});
afterEach(() => {
  repo.cleanup();
});

function offline() {
  return repo.run(["check", "--offline"], { identity: false });
}

describeWithTools(["age"], "check --offline", () => {
  it("a fresh tree passes without any identity", () => {
    const r = offline();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("unchanged 4");
  });

  it("check without --offline and without an identity says so, exit 2", () => {
    const r = repo.run(["check"], { identity: false });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs an admin identity/);
    expect(r.stderr).toMatch(/hint: .*check --offline/);
  });

  it.for([
    {
      name: "missing data file",
      act: (r: TestRepo) => {
        rmSync(r.path("secrets/data/a.age"));
      },
      expect: /missing\s+a: data file is missing/,
    },
    {
      name: "missing entropy file",
      act: (r: TestRepo) => {
        rmSync(r.path("secrets/entropy/c.age"));
      },
      expect: /missing\s+c: entropy file is missing/,
    },
    {
      name: "orphaned file",
      act: (r: TestRepo) => {
        r.write("secrets/data/old/thing.age", "x");
      },
      expect: /orphan\s+old\/thing: no longer declared/,
    },
    {
      name: "declaration changed",
      act: (r: TestRepo) => {
        const d = base();
        d.secrets.c = { hosts: ["db01"], random: { length: 13 } };
        r.declare(d);
      },
      expect: /stale\s+c: declaration changed/,
    },
    {
      name: "recipients changed",
      act: (r: TestRepo) => {
        const d = base();
        d.secrets.c = { hosts: ["db01", "web01"], random: { length: 12 } };
        r.declare(d);
      },
      expect: /stale\s+c: recipients changed/,
    },
    {
      name: "data file edited outside secretgen",
      act: (r: TestRepo) => {
        writeFileSync(
          r.path("secrets/data/c.age"),
          execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: "edited" }),
        );
      },
      expect: /stale\s+c: data file changed outside secretgen/,
    },
    {
      name: "dependency data changed",
      act: (r: TestRepo) => {
        // a's data re-encrypted by hand (as after `agenix -r`): b's recorded dependency hash moves
        const plain = execFileSync("age", ["-d", "-i", r.adminKey, r.path("secrets/data/a.age")]);
        writeFileSync(
          r.path("secrets/data/a.age"),
          execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: plain }),
        );
      },
      expect: /stale\s+b: "a" changed/,
    },
    {
      name: "public key file changed",
      act: (r: TestRepo) => {
        r.write("secrets/public/k.pub", "tampered\n");
      },
      expect: /stale\s+k: public file k\.pub changed/,
    },
  ])("detects $name", ({ act, expect: pattern }) => {
    act(repo);
    const r = offline();
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(pattern);
  });
});

describeWithTools(["age"], "recipient changes", () => {
  it("adding a host to a secret re-encrypts only its data file, plaintext unchanged", () => {
    const values = Object.fromEntries(["a", "b", "c", "k"].map((n) => [n, repo.reveal(n)]));
    const before = repo.snapshot();
    const d = base();
    d.secrets.a = { hosts: ["web01", "db01"], random: { length: 12 } };
    repo.declare(d);
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rekeyed 1, unchanged 3/);
    expect(changedFiles(before, repo.snapshot())).toEqual([
      "secrets/data/a.age",
      "secrets/manifest.json",
      "secrets/secrets.json",
    ]);
    for (const [n, v] of Object.entries(values)) expect(repo.reveal(n).equals(v), n).toBe(true);
    const db = privateKey("db01_ssh_host_rsa_key", repo.keysDir);
    expect(
      execFileSync("age", ["-d", "-i", db, repo.path("secrets/data/a.age")]).equals(
        values.a as Buffer,
      ),
    ).toBe(true);
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
  });

  it("a host key added under hosts re-encrypts that host's data files only", () => {
    const before = repo.snapshot();
    const d = base();
    d.hosts.db01 = [DB01, "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg"];
    repo.declare(d);
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/rekeyed 1, unchanged 3/);
    expect(changedFiles(before, repo.snapshot())).toEqual([
      "secrets/data/c.age",
      "secrets/manifest.json",
      "secrets/secrets.json",
    ]);
  });

  it("an admin added re-encrypts every entropy and data file, values unchanged", () => {
    const values = Object.fromEntries(["a", "b", "c", "k"].map((n) => [n, repo.reveal(n)]));
    const before = repo.snapshot();
    const second = "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg";
    repo.declare({ ...base(), admins: [ADMIN_RECIPIENT, second] });
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/rekeyed 4$/m);
    const changed = changedFiles(before, repo.snapshot());
    expect(changed.filter((f) => f.startsWith("secrets/entropy/")).length).toBe(4);
    expect(changed.filter((f) => f.startsWith("secrets/data/")).length).toBe(4);
    expect(changed.filter((f) => f.startsWith("secrets/public/"))).toEqual([]);
    for (const [n, v] of Object.entries(values)) expect(repo.reveal(n).equals(v), n).toBe(true);
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 4");
  });

  it("removing a host entirely names it and its key in the warning", () => {
    const d = base();
    d.secrets.c = { hosts: [], random: { length: 12 } };
    delete (d.hosts as Record<string, unknown>).db01;
    repo.declare(d);
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    const key = DB01.split(" ")[1] ?? "";
    expect(r.stderr).toContain(
      `warning: host db01's key ssh-rsa ${key.slice(0, 12)}…${key.slice(-8)} (it is no longer declared) is no longer a recipient of "c"; it can still read its old ciphertexts in git history (\`secretgen rotate c\` replaces the value)`,
    );
  });

  it("re-keying a host names the host of the old key", () => {
    const d = base();
    d.hosts.db01 = ["age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg"];
    repo.declare(d);
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    const key = DB01.split(" ")[1] ?? "";
    expect(r.stderr).toContain(
      `warning: host db01's key ssh-rsa ${key.slice(0, 12)}…${key.slice(-8)} (re-keyed) is no longer a recipient of "c"`,
    );
  });

  it("a manifest written without hosts is not rewritten by a no-op run", () => {
    const text = repo.read("secrets/manifest.json").toString();
    expect(text).toContain('"hosts": {"db01":');
    const old = text.replace(/^ {2}"hosts": .*\n/m, "");
    repo.write("secrets/manifest.json", old);
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 4");
    expect(repo.read("secrets/manifest.json").toString()).toBe(old);
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
  });

  it("removing a host warns that git history stays readable to it", () => {
    const d = base();
    d.secrets.c = { hosts: [], random: { length: 12 } };
    repo.declare(d);
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    const key = DB01.split(" ")[1] ?? "";
    expect(r.stderr).toContain(
      `warning: host db01's key ssh-rsa ${key.slice(0, 12)}…${key.slice(-8)} is no longer a recipient of "c"; it can still read its old ciphertexts in git history (\`secretgen rotate c\` replaces the value)`,
    );
  });
});
