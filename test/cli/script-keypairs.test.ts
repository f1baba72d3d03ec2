/**
 * Script and keypair secrets through the CLI: when scripts re-run, that failures keep the old
 * value and skip readers, and that keypair files verify with the real tools.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, changedFiles, decls } from "../helpers/repo.js";

function doc(
  script = 'p=$(cat "$SECRETS_DIR/base/pw"); printf "%s" "$p" | sha256sum | cut -c1-16; echo pub > "$PUBLIC_DIR/info.txt"',
) {
  return decls({
    "base/pw": { hosts: ["web01"], random: { length: 20 } },
    derived: {
      hosts: ["web01"],
      script: { script, runtimeInputs: ["/usr"], dependencies: ["base/pw"] },
    },
    reader: { hosts: ["web01"], template: { content: 'd={{secret "derived"}}' } },
    other: { hosts: ["web01"], random: { length: 8 } },
    "wg/web01": { hosts: ["web01"], wireguard: {} },
    "ssh/deploy": { hosts: ["web01"], "ssh-ed25519": {} },
    "age/backup": { hosts: ["web01"], age: {} },
  });
}

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo(doc());
  expect(repo.run(["generate"]).code).toBe(0);
});
afterEach(() => {
  repo.cleanup();
});

/** What a run leaves in its own TMPDIR (script work directories are made there). */
function runLeaves(args: string[]) {
  const tmp = mkdtempSync(join(tmpdir(), "sg-script-tmp-"));
  try {
    const r = repo.run(args, { env: { TMPDIR: tmp, XDG_RUNTIME_DIR: tmp } });
    return { ...r, left: readdirSync(tmp) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

describeWithTools(["age", "sha256sum"], "script secrets", () => {
  it("runs with its dependency from $SECRETS_DIR and copies public files", () => {
    const pw = repo.reveal("base/pw");
    const expected = execFileSync("sha256sum", { input: pw }).toString().slice(0, 16);
    expect(repo.reveal("derived").toString().trim()).toBe(expected);
    expect(repo.reveal("reader").toString()).toBe(`d=${expected}\n`);
    expect(repo.read("secrets/public/derived.d/info.txt").toString()).toBe("pub\n");
  });

  it("is not re-run when nothing changed; re-runs after its script text or a dependency changes", () => {
    const before = repo.snapshot();
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 7");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
    repo.declare(doc('p=$(cat "$SECRETS_DIR/base/pw"); printf "%s" "$p" | sha256sum | cut -c1-20'));
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/regenerated\s+derived: declaration changed/);
    expect(r.stdout).toMatch(/regenerated\s+reader/);
    expect(repo.reveal("derived").toString().trim()).toHaveLength(20);
    const r2 = repo.run(["rotate", "base/pw"]);
    expect(r2.stdout).toMatch(/regenerated\s+derived: "base\/pw" changed/);
    expect(r2.stdout).toMatch(/^regenerated 3$/m);
  });

  it.for([
    { name: "failure", script: 'echo "bad thing" >&2; exit 4', message: /status 4/ },
    { name: "empty output", script: "true", message: /no output/ },
    { name: "timeout", script: "sleep 5", timeout: 1, message: /timed out/ },
  ])(
    "$name keeps the old value, skips readers, writes the rest, exit 3",
    ({ script, timeout, message }) => {
      const old = repo.reveal("derived");
      const d = doc();
      const secrets = d.secrets as Record<string, { script?: Record<string, unknown> }>;
      secrets.derived = {
        hosts: ["web01"],
        script: {
          script,
          runtimeInputs: ["/usr"],
          dependencies: ["base/pw"],
          ...(timeout ? { timeout } : {}),
        },
      } as never;
      (secrets as Record<string, unknown>).other = { hosts: ["web01"], random: { length: 9 } };
      repo.declare(d);
      const r = runLeaves(["generate"]);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toMatch(/failed\s+derived/);
      expect(r.stdout).toMatch(/skipped\s+reader/);
      expect(r.stdout).toMatch(/regenerated\s+other/);
      expect(repo.reveal("derived").equals(old)).toBe(true);
      expect(repo.reveal("other").length).toBe(9);
      expect(r.left).toEqual([]);
    },
  );
});

describeWithTools(["age", "wg", "ssh-keygen", "age-keygen"], "keypair secrets", () => {
  it("public halves match the real tools, and a second generate changes nothing", () => {
    const wgPriv = repo.reveal("wg/web01");
    expect(execFileSync("wg", ["pubkey"], { input: wgPriv }).toString()).toBe(
      repo.read("secrets/public/wg/web01.pub").toString(),
    );
    const sshFile = join(repo.keysDir, "deploy");
    execFileSync("sh", ["-c", 'umask 077; cat > "$1"', "sh", sshFile], {
      input: repo.reveal("ssh/deploy"),
    });
    expect(execFileSync("ssh-keygen", ["-y", "-f", sshFile]).toString().trim()).toBe(
      repo.read("secrets/public/ssh/deploy.pub").toString().trim(),
    );
    const ageFile = join(repo.keysDir, "backup");
    execFileSync("sh", ["-c", 'umask 077; cat > "$1"', "sh", ageFile], {
      input: repo.reveal("age/backup"),
    });
    expect(execFileSync("age-keygen", ["-y", ageFile]).toString()).toBe(
      repo.read("secrets/public/age/backup.pub").toString(),
    );
    const before = repo.snapshot();
    expect(repo.run(["generate"]).stdout.trim()).toBe("unchanged 7");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("a deleted public key file is restored with the same key", () => {
    const pub = repo.read("secrets/public/wg/web01.pub").toString();
    execFileSync("rm", [repo.path("secrets/public/wg/web01.pub")]);
    expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(1);
    const r = repo.run(["generate"]);
    expect(r.stdout).toMatch(/restored\s+wg\/web01: public file wg\/web01\.pub is missing/);
    expect(repo.read("secrets/public/wg/web01.pub").toString()).toBe(pub);
  });
});
