/**
 * The messages a new user meets (issue 17): for each situation the exact error or warning
 * lines, the exit status, and that nothing under secrets/ was written when it fails.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ADMIN_RECIPIENT, CLI, TestRepo, changedFiles, decls } from "../helpers/repo.js";

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo();
});
afterEach(() => {
  repo.cleanup();
});

interface Case {
  name: string;
  doc?: unknown;
  setup?: (r: TestRepo) => void;
  args: string[];
  code: number;
  /** The `secretgen: error|warning|hint:` lines of stderr, exactly. */
  lines: string[];
  /** stdout, exactly, when given. */
  stdout?: string;
  /** Files a failing run may write (a first run's bookkeeping), instead of none. */
  written?: string[];
}

const ok = { hosts: ["web01"], random: { length: 8 } };
const lock = () =>
  JSON.stringify({ host: hostname(), pid: process.pid, started: "2026-01-01T00:00:00Z" });

const cases: Case[] = [
  {
    name: "an empty document",
    doc: "{}",
    args: ["generate"],
    code: 2,
    lines: [
      "error: admins: needs at least one admin recipient",
      "hint: run `secretgen init` and add its recipient",
      "error: secrets: is missing",
      'hint: declare them as an object, "secrets": {} for none yet',
    ],
  },
  {
    name: "a template reading itself",
    doc: decls({ t: { hosts: ["web01"], template: { content: 'x{{secret "t"}}' } } }),
    args: ["generate"],
    code: 2,
    lines: ['error: secrets."t": reads its own value'],
  },
  {
    name: "Go's range in a handlebars template",
    doc: decls({
      t: {
        hosts: ["web01"],
        template: { content: "{{ range .xs }}{{ . }}{{ end }}", data: { xs: [1] } },
      },
    }),
    args: ["generate"],
    code: 2,
    lines: [
      'error: secrets."t".template: line 1, column 4: "xs" is not defined in the template data',
      'hint: the template uses `range`, which is Go text/template syntax, and it is rendered as handlebars: write {{#each xs}}…{{/each}}, {{#with x}}…{{/with}} and {{name}} (no leading dot), or set the template\'s engine to "go"',
    ],
  },
  {
    name: "--value-file that does not exist",
    doc: decls({ m: { hosts: ["web01"], manual: {} } }),
    args: ["set", "m", "--value-file", "/nonexistent/value"],
    code: 2,
    lines: [
      'error: cannot read --value-file "/nonexistent/value": no such file or directory (ENOENT)',
    ],
  },
  {
    name: "JSON of commas",
    doc: ",,,",
    args: ["check", "--offline"],
    code: 2,
    lines: ["error: ROOT/secrets/secrets.json is not valid JSON at line 1, column 1"],
  },
  {
    name: "a truncated JSON file",
    doc: `{\n  "admins": ["${ADMIN_RECIPIENT}"],\n  "secrets": {\n    "a": { "random": {`,
    args: ["check", "--offline"],
    code: 2,
    lines: [
      "error: ROOT/secrets/secrets.json is not valid JSON at line 4, column 23 (it ends too early)",
    ],
  },
  {
    name: "a secret with no hosts",
    doc: decls({ a: { random: { length: 8 } } }),
    args: ["generate"],
    code: 0,
    lines: ['warning: secrets."a": has no hosts: only the admins can read it'],
    stdout: "created     a: never generated\ncreated 1\n",
  },
  {
    name: 'mode "777"',
    doc: decls({ a: { ...ok, mode: "777" } }),
    args: ["check", "--offline"],
    code: 1,
    lines: ['warning: secrets."a".mode: "777" lets every user on the host read it'],
  },
  {
    name: "mode of five digits",
    doc: decls({ a: { ...ok, mode: "04400" } }),
    args: ["generate"],
    code: 2,
    lines: ['error: secrets."a".mode: must be three or four octal digits like "0440", not "04400"'],
  },
  {
    name: "a runtime input without bin/",
    doc: decls({
      s: {
        hosts: ["web01"],
        script: { script: "cat /dev/null; echo x", runtimeInputs: ["/usr/bin"] },
      },
    }),
    args: ["generate"],
    code: 3,
    lines: [
      'error: secrets."s".script.runtimeInputs[0]: "/usr/bin" has no bin/ directory; the script\'s PATH is each runtime input\'s bin/',
      'hint: give "/usr": its bin/ goes on PATH',
    ],
    // A runtime failure of this secret alone: the run's bookkeeping, but no file of it.
    written: ["secrets/manifest.json"],
  },
  {
    name: "a template syntax error, offline",
    doc: decls({ t: { hosts: ["web01"], template: { content: "a\n{{#each xs}}" } } }),
    args: ["check", "--offline"],
    code: 2,
    lines: [
      'error: secrets."t".template: line 2, column 13: syntax error at the end of the template',
    ],
  },
  {
    name: "an unknown helper, offline",
    doc: decls({ t: { hosts: ["web01"], template: { content: "{{nohelper 1}}" } } }),
    args: ["check", "--offline"],
    code: 2,
    lines: [
      'error: secrets."t".template: line 1, column 1: unknown helper "nohelper" (known: base64, bcrypt, concat, fmt, hashBcrypt, json, random, readSecret, secret, sha256, trim)',
    ],
  },
  {
    name: "a template file that is not UTF-8",
    doc: decls({ t: { hosts: ["web01"], template: { file: "t.hbs" } } }),
    setup: (r) => {
      r.write("templates/t.hbs", Buffer.from([0x61, 0x62, 0xc3, 0x28, 0x63]));
    },
    args: ["check", "--offline"],
    code: 2,
    lines: ['error: secrets."t".template.file: templates/t.hbs is not valid UTF-8 (byte offset 2)'],
  },
  {
    name: "a declarations file that is not UTF-8",
    doc: Buffer.concat([Buffer.from('{"admins": ["'), Buffer.from([0xff]), Buffer.from('"]}')]),
    args: ["generate"],
    code: 2,
    lines: ["error: ROOT/secrets/secrets.json is not valid UTF-8 (byte offset 13)"],
  },
  {
    name: "--json with a usage error",
    doc: decls({ a: ok }),
    args: ["check", "--bogus", "--json"],
    code: 2,
    lines: ["error: unknown option '--bogus'"],
    stdout:
      JSON.stringify({
        schema: "secretgen-error",
        version: 1,
        command: "check",
        errors: [
          {
            message: "unknown option '--bogus'",
            secret: null,
            field: null,
            hint: null,
            reason: "usage",
          },
        ],
        exitCode: 2,
      }) + "\n",
  },
  {
    name: "--json with the lock held",
    doc: decls({ a: ok }),
    setup: (r) => {
      r.write("secrets/.secretgen.lock", lock());
    },
    args: ["generate", "--json"],
    code: 3,
    lines: [
      `error: another secretgen run holds the lock (pid ${process.pid} on ${hostname()} since 2026-01-01T00:00:00Z)`,
      "hint: wait for it to finish, or pass --wait SECONDS to wait for it",
    ],
    stdout:
      JSON.stringify({
        schema: "secretgen-error",
        version: 1,
        command: "generate",
        errors: [
          {
            message: `another secretgen run holds the lock (pid ${process.pid} on ${hostname()} since 2026-01-01T00:00:00Z)`,
            secret: null,
            field: null,
            hint: "wait for it to finish, or pass --wait SECONDS to wait for it",
            reason: "lock-held",
          },
        ],
        exitCode: 3,
      }) + "\n",
  },
];

describe("messages", () => {
  it.for(cases)("$name", (c) => {
    if (c.doc !== undefined) repo.declare(c.doc);
    c.setup?.(repo);
    const before = repo.snapshot();
    const r = repo.run(c.args);
    const lines = r.stderr
      .split("\n")
      .filter((l) => /^secretgen: (error|warning|hint):/.test(l))
      .map((l) => l.replace(/^secretgen: /, "").replaceAll(repo.root, "ROOT"));
    expect(lines).toEqual(c.lines);
    expect(r.code).toBe(c.code);
    if (c.stdout !== undefined) expect(r.stdout).toBe(c.stdout);
    if (c.code >= 2) expect(changedFiles(before, repo.snapshot())).toEqual(c.written ?? []);
    if (c.args.includes("--json")) {
      const doc = JSON.parse(r.stdout) as { schema: string; exitCode: number; errors: unknown[] };
      expect(doc.schema).toBe("secretgen-error");
      expect(doc.exitCode).toBe(c.code);
      expect(doc.errors).toHaveLength(c.lines.filter((l) => l.startsWith("error:")).length);
    }
  });

  it("set --help shows no [value] argument", () => {
    const r = repo.run(["set", "--help"], { identity: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: secretgen set \[options\] <name>\n/);
    expect(r.stdout).not.toContain("value]");
  });

  it("a closed stdout ends every command quietly with exit 0", () => {
    repo.declare(decls({ a: ok, b: ok, c: ok }));
    expect(repo.run(["generate"]).code).toBe(0);
    for (const args of [["status"], ["check"], ["--help"], ["status", "--json"]]) {
      // `true` exits at once, so the CLI writes into a pipe with no reader: EPIPE.
      const r = spawnSync(
        "bash",
        [
          "-c",
          'node "$0" "$@" 2>"$ERR" | true; echo "${PIPESTATUS[0]}"',
          CLI,
          ...args,
          "-i",
          repo.adminKey,
        ],
        { cwd: repo.root, env: { ...process.env, NO_COLOR: "1", ERR: repo.path("stderr.txt") } },
      );
      expect(readFileSync(repo.path("stderr.txt"), "utf8"), args.join(" ")).toBe("");
      expect(r.stdout.toString(), args.join(" ")).toBe("0\n");
    }
  });
});
