/**
 * A table of bad situations around a generated tree: corrupt or truncated files, unknown
 * versions, a broken manifest, identities that are missing, wrong or locked, a held lock, bad
 * arguments. Each gets its clear message and exit code, and no secret is lost: every data file
 * the command rewrote still holds its original value.
 */
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  cpSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { decrypt, loadIdentityFile, type Identity } from "../../src/age/index.js";
import { describeWithTools } from "../helpers/tools.js";
import { ADMIN_RECIPIENT, ROOT, TestRepo, decls } from "../helpers/repo.js";

const NAMES = ["pw/a", "pw/b", "page", "conf", "wg", "token"];
const declarations = decls({
  "pw/a": { hosts: ["web01"], random: { length: 16 } },
  "pw/b": { hosts: ["db01"], random: { length: 16 } },
  page: { hosts: ["web01"], template: { content: 'a={{secret "pw/a"}}' } },
  conf: { hosts: ["web01"], json: { content: { b: { __secretgen: "secret", args: ["pw/b"] } } } },
  wg: { hosts: ["web01"], wireguard: {} },
  token: { hosts: ["web01"], manual: {} },
});

let repo: TestRepo;
let pristine: string;
let identities: Identity[];
const original = new Map<string, Buffer>();

const age =
  (...args: string[]) =>
  (input: string | Buffer) =>
    execFileSync("age", args, { input });
const decryptFile = (path: string) => execFileSync("age", ["-d", "-i", repo.adminKey, path]);
const encryptTo = age("-r", ADMIN_RECIPIENT);

/** Replace an entropy record by a modified one (decrypt, edit, re-encrypt). */
function editRecord(name: string, edit: (r: Record<string, unknown>) => unknown) {
  const path = repo.path(`secrets/entropy/${name}.age`);
  const record = JSON.parse(decryptFile(path).toString()) as Record<string, unknown>;
  const next = edit(record) ?? record;
  writeFileSync(path, encryptTo(typeof next === "string" ? next : JSON.stringify(next)));
}

/** Make pw/b drift: its recorded bytes now render another value. */
function driftPwB() {
  editRecord("pw/b", (r) => ({
    ...r,
    entropy: Buffer.from(
      Buffer.from(r.entropy as string, "base64").map((b) => (b + 1) % 240),
    ).toString("base64"),
  }));
}

interface Row {
  name: string;
  setup?: (r: TestRepo) => void;
  args: string[];
  identity?: boolean;
  input?: string;
  env?: NodeJS.ProcessEnv;
  code: number;
  stderr: RegExp;
  stdout?: RegExp;
}

const passKey = join(ROOT, "test/fixtures/age/ssh_ed25519_pass");
const rows: Row[] = [
  {
    name: "garbage data file",
    setup: (r) => {
      r.write("secrets/data/pw/a.age", "garbage");
    },
    args: ["generate"],
    code: 3,
    stderr:
      /secrets\."pw\/a": cannot decrypt its data file.*\n.*hint: restore the file from git; a secret that cannot be decrypted is never regenerated/,
  },
  {
    name: "truncated data file",
    setup: (r) => {
      r.write("secrets/data/pw/b.age", r.read("secrets/data/pw/b.age").subarray(0, 100));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/b": cannot decrypt its data file/,
  },
  {
    name: "truncated entropy file",
    setup: (r) => {
      r.write("secrets/entropy/pw/a.age", r.read("secrets/entropy/pw/a.age").subarray(0, 60));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/a": cannot decrypt its entropy file/,
  },
  {
    name: "garbage entropy file",
    setup: (r) => {
      r.write("secrets/entropy/wg.age", "\x00\x01\x02");
    },
    args: ["check"],
    code: 3,
    stderr: /secrets\."wg": cannot decrypt its entropy file/,
  },
  {
    name: "empty entropy file",
    setup: (r) => {
      r.write("secrets/entropy/conf.age", "");
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."conf": cannot decrypt its entropy file/,
  },
  {
    name: "another secret's entropy file copied over this one's",
    setup: (r) => {
      r.write("secrets/entropy/pw/a.age", r.read("secrets/entropy/pw/b.age"));
    },
    args: ["generate"],
    code: 3,
    stderr:
      /secrets\."pw\/a": drift: its entropy file is not the one manifest.json names.*\n.*hint: restore secrets\/entropy\/pw\/a.age from git \(and its data file, if it changed too\), or `secretgen rotate pw\/a` makes a new value/,
  },
  {
    name: "a template's entropy file replaced by another template's (check)",
    setup: (r) => {
      r.write("secrets/entropy/page.age", r.read("secrets/entropy/conf.age"));
    },
    args: ["check"],
    code: 1,
    stderr: /secrets\."page": drift: its entropy file is not the one manifest.json names/,
  },
  {
    name: "a manual secret's entropy file replaced by another's: the hint says set",
    setup: (r) => {
      r.write("secrets/entropy/token.age", r.read("secrets/entropy/pw/b.age"));
    },
    args: ["generate"],
    code: 3,
    stderr:
      /secrets\."token": drift: its entropy file.*\n.*hint: .*store the value again: `secretgen set token`/,
  },
  {
    name: "entropy record of a newer format version",
    setup: () => {
      editRecord("pw/a", (r) => ({ ...r, version: 99 }));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/a": entropy record was written by a newer secretgen \(format 99/,
  },
  {
    name: "entropy record of a newer renderer",
    setup: () => {
      editRecord("pw/b", (r) => ({ ...r, renderer: 7 }));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/b": entropy record was written by a newer secretgen/,
  },
  {
    name: "entropy record not JSON",
    setup: () => {
      editRecord("page", () => "not json {");
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."page": entropy record is corrupt \(not JSON\)/,
  },
  {
    name: "entropy record with a bad digest",
    setup: () => {
      editRecord("page", (r) => ({ ...r, output: "xyz" }));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."page": entropy record is corrupt \(output\)/,
  },
  {
    name: "entropy record of another format",
    setup: () => {
      editRecord("wg", (r) => ({ ...r, format: "other" }));
    },
    args: ["generate"],
    code: 3,
    stderr: /entropy record is corrupt \(unknown format tag\)/,
  },
  {
    name: "data file swapped for another value",
    setup: (r) => {
      copyFileSync(r.path("secrets/data/pw/b.age"), r.path("secrets/data/pw/a.age"));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/a": data file was changed outside secretgen/,
  },
  {
    name: "entropy file deleted",
    setup: (r) => {
      rmSync(r.path("secrets/entropy/conf.age"));
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."conf": has a data file but no entropy file/,
  },
  {
    name: "corrupt manifest",
    setup: (r) => {
      r.write("secrets/manifest.json", "{ nope");
    },
    args: ["generate"],
    code: 3,
    stderr: /manifest\.json is corrupt \(not JSON\)/,
  },
  {
    name: "corrupt manifest, offline",
    setup: (r) => {
      r.write("secrets/manifest.json", "[]");
    },
    args: ["check", "--offline"],
    identity: false,
    code: 3,
    stderr: /manifest\.json is corrupt/,
  },
  {
    name: "manifest of a newer version",
    setup: (r) => {
      r.write("secrets/manifest.json", JSON.stringify({ version: 5, admins: [], secrets: {} }));
    },
    args: ["check"],
    code: 3,
    stderr: /manifest\.json was written by a newer secretgen \(version 5\)/,
  },
  {
    name: "manifest deleted",
    setup: (r) => {
      rmSync(r.path("secrets/manifest.json"));
    },
    args: ["generate"],
    code: 0,
    stderr: /warning: secrets\/manifest\.json is missing/,
  },
  {
    name: "secrets/data is a file",
    setup: (r) => {
      rmSync(r.path("secrets/data"), { recursive: true });
      r.write("secrets/data", "x");
    },
    args: ["generate"],
    code: 3,
    stderr: /cannot read .*secrets\/data/,
  },
  {
    name: "a data file that cannot be read (a directory in its place)",
    setup: (r) => {
      rmSync(r.path("secrets/data/pw/a.age"));
      mkdirSync(r.path("secrets/data/pw/a.age"));
    },
    args: ["check"],
    code: 3,
    // The secret named, the reason once (Node's message would repeat the path).
    stderr:
      /secrets\."pw\/a": cannot read \S*secrets\/data\/pw\/a\.age: illegal operation on a directory \(EISDIR\)\n/,
  },
  {
    name: "a data file that cannot be read, offline",
    setup: (r) => {
      rmSync(r.path("secrets/data/pw/a.age"));
      mkdirSync(r.path("secrets/data/pw/a.age"));
    },
    args: ["check", "--offline"],
    identity: false,
    code: 3,
    // The secret named, the reason once (Node's message would repeat the path).
    stderr:
      /secrets\."pw\/a": cannot read \S*secrets\/data\/pw\/a\.age: illegal operation on a directory \(EISDIR\)\n/,
  },
  {
    name: "no secrets directory",
    setup: (r) => {
      rmSync(r.path("secrets"), { recursive: true });
    },
    args: ["check"],
    code: 2,
    stderr: /hint: .*--root/,
  },
  {
    name: "missing identity file",
    args: ["check", "-i", "/nonexistent/key"],
    identity: false,
    code: 2,
    stderr: /identity file \/nonexistent\/key does not exist/,
  },
  {
    name: "no identity at all",
    args: ["generate"],
    identity: false,
    code: 2,
    stderr: /generate needs an admin identity/,
  },
  {
    name: "wrong identity",
    setup: (r) =>
      execFileSync("age-keygen", ["-o", join(r.keysDir, "other.key")], { stdio: "ignore" }),
    args: ["check", "-i", "KEYS/other.key"],
    identity: false,
    code: 3,
    stderr:
      /error: the identity \S+other\.key\S* \(age1[0-9a-z]{58}\) is not an admin; the admins are: age1/,
  },
  {
    name: "identity file of garbage",
    setup: (r) => {
      writeFileSync(join(r.keysDir, "bad.key"), "this is not a key\n", { mode: 0o600 });
    },
    args: ["check", "-i", "KEYS/bad.key"],
    identity: false,
    code: 3,
    stderr: /line 1/,
  },
  {
    name: "wrong passphrase",
    setup: (r) => {
      copyFileSync(passKey, join(r.keysDir, "pass"));
      chmodSync(join(r.keysDir, "pass"), 0o600);
      writeFileSync(join(r.keysDir, "passphrase"), "wrong\n");
    },
    args: ["check", "-i", "KEYS/pass"],
    env: { SECRETGEN_PASSPHRASE_FILE: "KEYS/passphrase" },
    identity: false,
    code: 3,
    stderr: /passphrase/,
  },
  {
    name: "passphrase needed without a terminal",
    setup: (r) => {
      copyFileSync(passKey, join(r.keysDir, "pass"));
      chmodSync(join(r.keysDir, "pass"), 0o600);
    },
    args: ["check", "-i", "KEYS/pass"],
    identity: false,
    code: 3,
    stderr: /no terminal to ask on[\s\S]*hint: set SECRETGEN_PASSPHRASE_FILE/,
  },
  {
    name: "lock held by a live process",
    setup: (r) => {
      r.write(
        "secrets/.secretgen.lock",
        JSON.stringify({ host: hostname(), pid: process.pid, started: "2026-01-01T00:00:00Z" }),
      );
    },
    args: ["generate"],
    code: 3,
    stderr: new RegExp(`another secretgen run holds the lock \\(pid ${process.pid}`),
  },
  {
    name: "corrupt lock file",
    setup: (r) => {
      r.write("secrets/.secretgen.lock", "???");
    },
    args: ["rotate", "pw/a"],
    code: 3,
    stderr: /lock/,
  },
  {
    name: "drift",
    setup: driftPwB,
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/b": drift/,
  },
  {
    // Drift is what check is for (exit 1); the reader it skips is no runtime failure.
    name: "drift of a secret another reads (check): the reader is skipped, exit 1",
    setup: driftPwB,
    args: ["check"],
    code: 1,
    stderr: /secrets\."pw\/b": drift/,
    stdout: /conf.*reads "pw\/b", which drifted/,
  },
  {
    name: "drift behind the one secret checked (check conf): exit 1",
    setup: driftPwB,
    args: ["check", "conf"],
    code: 1,
    stderr: /^$/,
    stdout: /conf.*reads "pw\/b", which drifted/,
  },
  {
    name: "reveal an undeclared secret",
    args: ["reveal", "nope"],
    code: 2,
    stderr: /no secret named "nope" is declared/,
  },
  {
    name: "reveal a missing value",
    setup: (r) => {
      rmSync(r.path("secrets/data/wg.age"));
    },
    args: ["reveal", "wg"],
    code: 3,
    stderr: /secrets\."wg": has no data file yet/,
  },
  {
    name: "reveal a corrupt data file",
    setup: (r) => {
      r.write("secrets/data/wg.age", "garbage");
    },
    args: ["reveal", "wg"],
    code: 3,
    stderr:
      /secrets\."wg": cannot decrypt its data file: malformed age file.*\n.*hint: restore the file from git/,
  },
  {
    name: "set an undeclared secret",
    args: ["set", "nope"],
    input: "x",
    code: 2,
    stderr: /no secret named "nope"/,
  },
  {
    name: "adopt from a missing directory",
    args: ["adopt", "pw/a", "--from", "/nonexistent"],
    code: 2,
    stderr: /\/nonexistent\/pw\/a\.age does not exist/,
  },
  {
    name: "adopt a file the admins cannot decrypt",
    setup: (r) => {
      mkdirSync(r.path("legacy"));
      r.write(
        "legacy/token.age",
        age("-r", "age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg")("v"),
      );
    },
    args: ["adopt", "token", "--from", "ROOT/legacy"],
    code: 3,
    stderr: /secrets\."token": cannot decrypt .*legacy\/token\.age/,
  },
  {
    name: "rotate an undeclared secret",
    args: ["rotate", "ghost"],
    code: 2,
    stderr: /no secret named "ghost" is declared/,
  },
  {
    name: "generate an undeclared secret",
    args: ["generate", "ghost"],
    code: 2,
    stderr: /no secret named "ghost" is declared/,
  },
  {
    name: "check --offline of an undeclared secret (a typo must not pass CI)",
    args: ["check", "--offline", "pw/a", "ghost"],
    identity: false,
    code: 2,
    stderr: /no secret named "ghost" is declared/,
  },
  {
    name: "status without a key, of an undeclared secret",
    args: ["status", "ghost"],
    identity: false,
    code: 2,
    stderr: /no secret named "ghost" is declared/,
  },
  {
    name: "malformed declarations on stdin",
    args: ["check", "--config", "-"],
    input: "{ not json",
    code: 2,
    stderr: /declarations on stdin is not valid JSON/,
  },
  {
    name: "armored data file with CRLF line endings",
    setup: (r) => {
      const armored = age("-a", "-r", ADMIN_RECIPIENT)("x").toString().replace(/\n/g, "\r\n");
      r.write("secrets/data/pw/a.age", armored);
    },
    args: ["generate"],
    code: 3,
    stderr: /secrets\."pw\/a": data file was changed outside secretgen/,
  },
];

describeWithTools(["age", "age-keygen"], "bad situations", () => {
  beforeAll(async () => {
    repo = new TestRepo(declarations);
    expect(repo.run(["generate"]).code).toBe(0);
    expect(repo.run(["set", "token"], { input: "tok" }).code).toBe(0);
    pristine = join(repo.keysDir, "pristine");
    cpSync(repo.path("secrets"), pristine, { recursive: true });
    identities = (
      await loadIdentityFile(repo.adminKey, { passphrase: () => Promise.reject(new Error("none")) })
    ).identities;
    for (const name of NAMES)
      original.set(name, decryptFile(repo.path(`secrets/data/${name}.age`)));
  }, 60_000);
  afterAll(() => {
    repo.cleanup();
  });

  it("has at least 30 rows", () => {
    expect(rows.length).toBeGreaterThanOrEqual(30);
  });

  it.for(rows)("$name: exit $code with its message, no secret lost", async (row) => {
    rmSync(repo.path("secrets"), { recursive: true, force: true });
    rmSync(repo.path("legacy"), { recursive: true, force: true });
    cpSync(pristine, repo.path("secrets"), { recursive: true });
    row.setup?.(repo);
    const afterSetup = new Map<string, Buffer | undefined>();
    const dataOf = (name: string) => {
      try {
        return readFileSync(repo.path(`secrets/data/${name}.age`));
      } catch {
        return undefined;
      }
    };
    for (const name of NAMES) afterSetup.set(name, dataOf(name));
    const fill = (s: string) =>
      s.replace("KEYS/", `${repo.keysDir}/`).replace("ROOT/", `${repo.root}/`);
    const env = Object.fromEntries(
      Object.entries(row.env ?? {}).map(([k, v]) => [k, fill(v ?? "")]),
    );
    const r = repo.run(row.args.map(fill), { identity: row.identity, input: row.input, env });
    expect(r.stderr).toMatch(row.stderr);
    if (row.stdout !== undefined) expect(r.stdout).toMatch(row.stdout);
    expect(r.code).toBe(row.code);
    if (row.code >= 2) expect(r.stderr).toMatch(/^secretgen: error: /m);
    // No secret lost: a data file the command rewrote holds its original value.
    for (const name of NAMES) {
      const now = dataOf(name);
      if (now === undefined || now.equals(afterSetup.get(name) ?? Buffer.alloc(0))) continue;
      const value = Buffer.from(await decrypt(new Uint8Array(now), identities));
      expect(value.equals(original.get(name) ?? Buffer.alloc(0)), name).toBe(true);
    }
  });
});
