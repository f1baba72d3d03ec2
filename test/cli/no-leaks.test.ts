/**
 * No value ever leaks: over a tree whose values are known, every command (including failing
 * ones and a failing script) is run, and no value appears in stdout (except `reveal`), stderr,
 * a child process's argv or environment, or any file left in the temporary directory.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ADMIN_RECIPIENT, TestRepo, decls } from "../helpers/repo.js";

const MANUAL = "manual-VALUE-7f3a9c";
const LEGACY = "legacy-VALUE-b81e2d";

let repo: TestRepo;
let tmp: string;
let logDir: string;
let binDir: string;
const outputs: { cmd: string; stdout: string; stderr: string }[] = [];

function all(): Record<string, unknown> {
  return decls({
    pw: { hosts: ["web01"], random: { length: 24 } },
    token: { hosts: ["web01"], manual: {} },
    legacy: { hosts: ["web01"], manual: {} },
    page: {
      hosts: ["web01"],
      template: { content: 'p={{secret "pw"}} t={{secret "token"}} h={{bcrypt (secret "pw") 4}}' },
    },
    conf: {
      hosts: ["web01"],
      json: { content: { x: { __secretgen: "secret", args: ["token"] } } },
    },
    wg: { hosts: ["web01"], wireguard: {} },
    derived: {
      hosts: ["web01"],
      script: {
        script: 't=$(<"$SECRETS_DIR/token"); printf "%s-derived" "$t"',
        runtimeInputs: [binDir],
        dependencies: ["token"],
      },
    },
  });
}

function run(args: string[], opts: { input?: string; identity?: boolean } = {}) {
  const r = repo.run(args, {
    ...opts,
    env: { TMPDIR: tmp, PATH: `${binDir}:${process.env.PATH ?? ""}`, SECRETGEN_LOG_DIR: logDir },
  });
  outputs.push({ cmd: args.join(" "), stdout: r.stdout, stderr: r.stderr });
  return r;
}

describeWithTools(["age"], "no leaks", () => {
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), "sg-leak-tmp-"));
    logDir = mkdtempSync(join(tmpdir(), "sg-leak-log-"));
    binDir = mkdtempSync(join(tmpdir(), "sg-leak-bin-"));
    // A bash on PATH that records its argv and environment, then runs the real bash.
    const realBash = execFileSync("sh", ["-c", "command -v bash"]).toString().trim();
    mkdirSync(join(binDir, "bin"));
    writeFileSync(
      join(binDir, "bash"),
      `#!${realBash}\n{ printf '%s\\n' "$0" "$@"; export -p; } >> "${logDir}/bash-$$.log"\nexec ${realBash} "$@"\n`,
    );
    chmodSync(join(binDir, "bash"), 0o755);
    for (const tool of ["cat", "printf"]) {
      try {
        const p = execFileSync("sh", ["-c", `command -v ${tool}`])
          .toString()
          .trim();
        if (p.startsWith("/"))
          writeFileSync(join(binDir, "bin", tool), `#!/bin/sh\nexec ${p} "$@"\n`, { mode: 0o755 });
      } catch {
        /* a builtin */
      }
    }
    repo = new TestRepo();
    repo.declare(all());
  });
  afterAll(() => {
    repo.cleanup();
    for (const d of [tmp, logDir, binDir]) rmSync(d, { recursive: true, force: true });
  });

  it("runs every command without printing a value", () => {
    const first = run(["generate"]);
    expect(first.code, first.stderr).toBe(0);
    const set = run(["set", "token"], { input: MANUAL });
    expect(set.code, set.stderr).toBe(0);
    const legacyDir = join(repo.root, "legacy");
    mkdirSync(legacyDir);
    writeFileSync(
      join(legacyDir, "legacy.age"),
      execFileSync("age", ["-r", ADMIN_RECIPIENT], { input: LEGACY }),
    );
    expect(run(["adopt", "legacy", "--from", legacyDir]).code).toBe(0);
    for (const args of [
      ["generate"],
      ["generate", "--json"],
      ["generate", "--dry-run", "-v"],
      ["check"],
      ["check", "--json"],
      ["status"],
      ["ls", "--json"],
      ["rotate", "pw"],
      ["export", "--format", "agenix"],
      ["prune", "--dry-run"],
      ["help", "generate"],
    ]) {
      expect(run(args).code, args.join(" ")).toBeLessThan(2);
    }
    expect(run(["check", "--offline"], { identity: false }).code).toBe(0);
    // failures: a script that prints its dependency to stderr and fails; a template error;
    // a wrong identity; a value on argv is refused (that one is the test's own string)
    const failing = all();
    (failing.secrets as Record<string, unknown>).derived = {
      hosts: ["web01"],
      script: {
        script: 'cat "$SECRETS_DIR/token" >&2; echo; echo "oops" >&2; exit 7',
        runtimeInputs: [binDir],
        dependencies: ["token"],
      },
    };
    repo.declare(failing);
    const f = run(["generate", "-v"]);
    expect(f.code).toBe(3);
    expect(f.stderr).toMatch(/status 7/);
    expect(f.stderr).toMatch(/oops/);
    repo.declare(all());
    const other = join(repo.keysDir, "other.key");
    execFileSync("age-keygen", ["-o", other], { stdio: "ignore" });
    expect(run(["generate", "-i", other], { identity: false }).code).toBe(3);
    repo.write("secrets/secrets.json", '{"admins": ["' + MANUAL + '"');
    expect(run(["generate"]).code).toBe(2);
    repo.declare(all());
    expect(run(["reveal", "token"]).stdout).toBe(MANUAL);
    outputs.pop(); // reveal is the one command allowed to print a value
  });

  it("no value in any stdout or stderr, child argv/env, or leftover temp file", () => {
    const known = [
      MANUAL,
      LEGACY,
      `${MANUAL}-derived`,
      repo.reveal("pw").toString(),
      repo.reveal("wg").toString().trim(),
    ];
    const page = repo.reveal("page").toString();
    known.push(/h=(\S+)/.exec(page)?.[1] ?? "no-hash");
    for (const o of outputs) {
      for (const v of known) {
        expect(o.stdout, `${o.cmd} stdout`).not.toContain(v);
        expect(o.stderr, `${o.cmd} stderr`).not.toContain(v);
      }
    }
    const logs = readdirSync(logDir);
    expect(logs.length).toBeGreaterThan(0); // the scripts did run under the recording bash
    for (const log of logs) {
      const text = readFileSync(join(logDir, log), "utf8");
      for (const v of known) expect(text, log).not.toContain(v);
    }
    const leftovers: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else leftovers.push(p);
      }
    };
    walk(tmp);
    for (const p of leftovers) {
      const text = readFileSync(p, "utf8");
      for (const v of known) expect(text, p).not.toContain(v);
    }
    expect(readdirSync(tmp).filter((e) => e.startsWith("secretgen-"))).toEqual([]);
  });
});
