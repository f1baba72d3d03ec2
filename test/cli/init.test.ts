/**
 * `secretgen init` starting a repository from nothing: the admin key, `secrets/secrets.json`
 * with its recipient, the next steps; then a `generate` that the real `age` decrypts. An existing
 * tree is never touched.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { CLI } from "../helpers/repo.js";
import { describeWithTools } from "../helpers/tools.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sg-init-"));
  mkdirSync(join(dir, "repo"));
  execFileSync("git", ["init", "-q"], { cwd: join(dir, "repo") });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function sg(args: string[], cwd = join(dir, "repo")) {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", HOME: dir, XDG_CONFIG_HOME: join(dir, "cfg") },
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
    return { code: 0, stdout, stderr: "" };
  } catch (err) {
    const e = err as { status: number; stdout: Buffer; stderr: Buffer };
    return { code: e.status, stdout: e.stdout.toString(), stderr: e.stderr.toString() };
  }
}

function sgFull(args: string[], cwd = join(dir, "repo")) {
  const r = execFileSync(
    "sh",
    ["-c", 'node "$0" "$@" 2>"$ERR"; echo "rc=$?" >>"$ERR"', CLI, ...args],
    {
      cwd,
      env: {
        ...process.env,
        NO_COLOR: "1",
        HOME: dir,
        XDG_CONFIG_HOME: join(dir, "cfg"),
        ERR: join(dir, "stderr"),
      },
    },
  ).toString();
  const err = readFileSync(join(dir, "stderr"), "utf8");
  const code = Number(/rc=(\d+)\n$/.exec(err)?.[1]);
  return { code, stdout: r, stderr: err.replace(/rc=\d+\n$/, "") };
}

describeWithTools(["age", "git"], "init in an empty git repository", () => {
  it("creates the key and secrets/secrets.json, prints next steps; a generate then works with the real age", () => {
    const r = sgFull(["init"]);
    expect(r.code).toBe(0);
    const recipient = r.stdout.trim();
    expect(recipient).toMatch(/^age1[0-9a-z]{58}$/);
    const key = join(dir, "cfg", "secretgen", "admin.key");
    expect(readFileSync(key, "utf8")).toContain(`# public key: ${recipient}`);
    const file = join(dir, "repo", "secrets", "secrets.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
      admins: [recipient],
      hosts: {},
      secrets: {},
    });
    expect(r.stderr).toContain('wrote secrets/secrets.json with this recipient in "admins"');
    expect(r.stderr).toContain("/etc/ssh/ssh_host_ed25519_key.pub");
    expect(r.stderr).toContain("ssh-keyscan -t ed25519 HOST");
    expect(r.stderr).toContain("secretgen generate");
    expect(r.stderr).toContain("secretgen check --offline");

    // The next steps, literally: declare a secret, generate, decrypt with age.
    const doc = JSON.parse(readFileSync(file, "utf8")) as { secrets: Record<string, unknown> };
    doc.secrets["db/password"] = { random: { length: 32 } };
    writeFileSync(file, JSON.stringify(doc, null, 2));
    const gen = sgFull(["generate"]);
    expect(gen.code).toBe(0);
    expect(gen.stdout).toContain("created 1");
    const value = execFileSync("age", [
      "-d",
      "-i",
      key,
      join(dir, "repo", "secrets", "data", "db", "password.age"),
    ]).toString();
    expect(value).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(sg(["check", "--offline"]).code).toBe(0);
  });

  it("never touches an existing tree, here or above, and reuses an existing key", () => {
    const first = sg(["init"]);
    expect(first.code).toBe(0);
    const file = join(dir, "repo", "secrets", "secrets.json");
    writeFileSync(file, '{"admins": [], "secrets": {}}\n');
    mkdirSync(join(dir, "repo", "nixos", "web01"), { recursive: true });
    for (const cwd of [join(dir, "repo"), join(dir, "repo", "nixos", "web01")]) {
      const again = sgFull(["init"], cwd);
      expect(again.code).toBe(0);
      expect(again.stdout.trim()).toBe(first.stdout.trim());
      expect(again.stderr).toContain(
        `${join(dir, "repo", "secrets")} already exists; it was not touched`,
      );
      expect(readFileSync(file, "utf8")).toBe('{"admins": [], "secrets": {}}\n');
    }
    expect(existsSync(join(dir, "repo", "nixos", "web01", "secrets"))).toBe(false);
  });

  it("--root DIR creates the tree there; a secrets/ with no secrets.json is left alone", () => {
    mkdirSync(join(dir, "other"));
    expect(sg(["init", "--root", join(dir, "other")]).code).toBe(0);
    expect(existsSync(join(dir, "other", "secrets", "secrets.json"))).toBe(true);
    expect(existsSync(join(dir, "repo", "secrets"))).toBe(false);
    mkdirSync(join(dir, "repo", "secrets"));
    const r = sgFull(["init"]);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, "repo", "secrets", "secrets.json"))).toBe(false);
    const missing = sgFull(["init", "--root", join(dir, "nowhere")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("does not exist");
  });
});
