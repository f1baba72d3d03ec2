/**
 * Record and replay, end to end through the built CLI: determinism, staleness, drift, restore,
 * and interop of the written files with the real `age` and `htpasswd`.
 */
import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ADMIN_RECIPIENT, TestRepo, changedFiles, decls, privateKey } from "../helpers/repo.js";

const HTPASSWD = '{{#each users}}\n{{this}}:{{bcrypt (secret (concat "pw/" this)) 5}}\n{{/each}}\n';

function example(aliceLength = 20) {
  return decls({
    "pw/alice": { hosts: ["web01"], random: { length: aliceLength } },
    "pw/bob": { hosts: ["web01"], random: { length: 20, charsets: { special: false } } },
    "db/password": { hosts: ["db01"], random: { length: 30, charset: "hex" } },
    htpasswd: {
      hosts: ["web01"],
      owner: "nginx",
      template: { file: "htpasswd.hbs", data: { users: ["alice", "bob"] } },
    },
    "grafana/config": {
      hosts: ["web01"],
      json: {
        content: {
          z: { __secretgen: "bcrypt", args: [{ __secretgen: "secret", args: ["pw/bob"] }, 5] },
          a: { __secretgen: "random", args: [12] },
          user: "admin",
        },
      },
    },
  });
}

/** The same document with every object's keys in reverse order. */
function permuted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(permuted);
  if (typeof v === "object" && v !== null) {
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, permuted(x)]),
    );
  }
  return v;
}

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(example());
  repo.write("templates/htpasswd.hbs", HTPASSWD);
});
afterEach(() => {
  repo.cleanup();
});

describeWithTools(["age", "htpasswd"], "generate and replay", () => {
  it("creates every secret, then a second run writes nothing", () => {
    const first = repo.run(["generate"]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/created 5$/m);
    expect(repo.read("secrets/.gitattributes").toString()).toBe("*.age binary\n");
    expect(repo.read("secrets/.gitignore").toString()).toBe(
      "/.secretgen.lock\n/.secretgen.journal\n.*.secretgen-tmp-*\n",
    );
    const before = repo.snapshot();
    const second = repo.run(["generate"]);
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toBe("unchanged 5");
    const after = repo.snapshot();
    expect(changedFiles(before, after)).toEqual([]);
    for (const [f, s] of before) expect(after.get(f)?.mtime, f).toBe(s.mtime);
    expect(repo.run(["check"]).code).toBe(0);
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
  });

  it("permuted keys give byte-identical files (no rewrite)", () => {
    repo.run(["generate"]);
    const before = repo.snapshot();
    repo.declare(permuted(example()));
    const r = repo.run(["generate"]);
    expect(r.stdout.trim()).toBe("unchanged 5");
    expect(
      changedFiles(before, repo.snapshot()).filter((f) => !f.endsWith("secrets.json")),
    ).toEqual([]);
  });

  it("changing one length regenerates exactly that secret and its readers", () => {
    repo.run(["generate"]);
    const alice = repo.reveal("pw/alice");
    const bob = repo.reveal("pw/bob");
    const before = repo.snapshot();
    repo.declare(example(24));
    const r = repo.run(["generate"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/regenerated 2, unchanged 3/);
    const changed = changedFiles(before, repo.snapshot());
    expect(changed).toEqual(
      [
        "secrets/data/htpasswd.age",
        "secrets/data/pw/alice.age",
        "secrets/entropy/htpasswd.age",
        "secrets/entropy/pw/alice.age",
        "secrets/manifest.json",
        "secrets/secrets.json",
      ].sort(),
    );
    expect(repo.reveal("pw/alice").length).toBe(24);
    expect(repo.reveal("pw/alice").equals(alice)).toBe(false);
    expect(repo.reveal("pw/bob").equals(bob)).toBe(true);
  });

  it("a template that needs more randomness than recorded is regenerated", () => {
    repo.run(["generate"]);
    const before = repo.reveal("htpasswd").toString();
    repo.write("templates/htpasswd.hbs", HTPASSWD + "extra:{{random 8}}\n");
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/regenerated\s+htpasswd: declaration changed/);
    const after = repo.reveal("htpasswd").toString();
    expect(after).toMatch(/^extra:[A-Za-z0-9]{8}$/m);
    expect(after.split("\n")[0]).not.toBe(before.split("\n")[0]); // new salts
  });

  it("bcrypt hashes verify with htpasswd -v (password on stdin)", () => {
    repo.run(["generate"]);
    const file = join(repo.keysDir, "htpasswd");
    writeFileSync(file, repo.reveal("htpasswd"));
    for (const user of ["alice", "bob"]) {
      const pw = repo.reveal(`pw/${user}`);
      execFileSync("htpasswd", ["-v", "-i", file, user], {
        input: pw,
        stdio: ["pipe", "ignore", "ignore"],
      });
      expect(() =>
        execFileSync("htpasswd", ["-v", "-i", file, user], {
          input: "wrong",
          stdio: ["pipe", "ignore", "ignore"],
        }),
      ).toThrow();
    }
    const config = JSON.parse(repo.reveal("grafana/config").toString()) as {
      z: string;
      a: string;
      user: string;
    };
    expect(config.user).toBe("admin");
    writeFileSync(file, `bob:${config.z}\n`);
    execFileSync("htpasswd", ["-v", "-i", file, "bob"], {
      input: repo.reveal("pw/bob"),
      stdio: ["pipe", "ignore", "ignore"],
    });
  });

  it("data files decrypt with the real age and the host's ssh key, and with the admin key", () => {
    repo.run(["generate"]);
    const web = privateKey("web01_ssh_host_ed25519_key", repo.keysDir);
    const db = privateKey("db01_ssh_host_rsa_key", repo.keysDir);
    const viaHost = execFileSync("age", ["-d", "-i", web, repo.path("secrets/data/pw/alice.age")]);
    expect(viaHost.equals(repo.reveal("pw/alice"))).toBe(true);
    const viaRsa = execFileSync("age", ["-d", "-i", db, repo.path("secrets/data/db/password.age")]);
    expect(viaRsa.toString()).toMatch(/^[0-9a-f]{30}$/);
    const viaAdmin = execFileSync("age", [
      "-d",
      "-i",
      repo.adminKey,
      repo.path("secrets/data/db/password.age"),
    ]);
    expect(viaAdmin.equals(viaRsa)).toBe(true);
    // web01 is not a recipient of db/password
    expect(() =>
      execFileSync("age", ["-d", "-i", web, repo.path("secrets/data/db/password.age")], {
        stdio: "pipe",
      }),
    ).toThrow();
    // entropy files are for admins only
    expect(() =>
      execFileSync("age", ["-d", "-i", web, repo.path("secrets/entropy/pw/alice.age")], {
        stdio: "pipe",
      }),
    ).toThrow();
  });

  it("a wrong admin identity is exit 3 and writes nothing", () => {
    repo.run(["generate"]);
    const before = repo.snapshot();
    const other = join(repo.keysDir, "other.key");
    execFileSync("age-keygen", ["-o", other], { stdio: "ignore" });
    const r = repo.run(["generate", "-i", other], { identity: false });
    expect(r.code).toBe(3);
    // Said once, before anything is decrypted: which identity, and who the admins are.
    const recipient = execFileSync("age-keygen", ["-y", other]).toString().trim();
    expect(r.stderr.split("\n").filter((l) => l.includes("error:"))).toEqual([
      `secretgen: error: the identity ${other}:3 (${recipient}) is not an admin; the admins are: ${ADMIN_RECIPIENT}`,
    ]);
    expect(r.stderr).not.toMatch(/cannot decrypt/);
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("a corrupt entropy file is exit 3: nothing regenerated, nothing written for it or its readers", () => {
    repo.run(["generate"]);
    const before = repo.snapshot();
    repo.write("secrets/entropy/pw/bob.age", "age-encryption.org/v1\n-> garbage\n");
    const r = repo.run(["generate"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/secrets\."pw\/bob": cannot decrypt its entropy file/);
    expect(r.stdout).toMatch(/skipped\s+htpasswd/);
    expect(r.stdout).toMatch(/skipped\s+grafana\/config/);
    expect(changedFiles(before, repo.snapshot())).toEqual(["secrets/entropy/pw/bob.age"]);
  });

  it("altered recorded bytes are drift: exit 3, value kept; rotate then regenerates", () => {
    repo.run(["generate"]);
    const value = repo.reveal("db/password");
    const entropyPath = repo.path("secrets/entropy/db/password.age");
    const record = JSON.parse(
      execFileSync("age", ["-d", "-i", repo.adminKey, entropyPath]).toString(),
    ) as { entropy: string };
    const bytes = Buffer.from(record.entropy, "base64").map((b) => (b + 1) % 240);
    record.entropy = Buffer.from(bytes).toString("base64");
    const reenc = execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: JSON.stringify(record) });
    writeFileSync(entropyPath, reenc);
    const before = repo.snapshot();
    const r = repo.run(["generate"]);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/drift\s+db\/password/);
    expect(r.stderr).toMatch(/rotate/);
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
    expect(repo.reveal("db/password").equals(value)).toBe(true);
    const check = repo.run(["check"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/drift\s+db\/password/);
    const rot = repo.run(["rotate", "db/password"]);
    expect(rot.code).toBe(0);
    expect(rot.stdout).toMatch(/regenerated\s+db\/password: rotated/);
    expect(repo.reveal("db/password").equals(value)).toBe(false);
    expect(repo.run(["check"]).code).toBe(0);
  });

  it("a deleted data file comes back with the same value", () => {
    repo.run(["generate"]);
    const value = repo.reveal("htpasswd");
    rmSync(repo.path("secrets/data/htpasswd.age"));
    expect(repo.run(["check"]).code).toBe(1);
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/restored\s+htpasswd/);
    expect(repo.reveal("htpasswd").equals(value)).toBe(true);
  });

  it("a deleted entropy file next to its data file is an error that keeps the value", () => {
    repo.run(["generate"]);
    const value = repo.reveal("pw/alice");
    rmSync(repo.path("secrets/entropy/pw/alice.age"));
    const r = repo.run(["generate"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/secrets\."pw\/alice": has a data file but no entropy file/);
    expect(r.stderr).toMatch(/hint: .*rotate.*adopt/);
    expect(repo.reveal("pw/alice").equals(value)).toBe(true);
  });

  it("run from a subdirectory uses the enclosing tree", () => {
    repo.write("sub/dir/.keep", "");
    const r = repo.run(["generate"], { cwd: repo.path("sub/dir") });
    expect(r.code).toBe(0);
    expect(repo.read("secrets/manifest.json").toString()).toMatch(/"pw\/alice"/);
  });
});
