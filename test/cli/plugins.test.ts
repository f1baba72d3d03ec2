/**
 * Age plugin admin keys end to end, with the test plugin age-plugin-sgtest: one plugin session
 * per run (counted by the plugin), the PIN asked once through a pty and refused without a
 * terminal, every failure mode with its own message, exit 3 and nothing written, and the other
 * commands (reveal, set, adopt, rekeying, --jobs, check --offline) with plugin keys. Runs go
 * through `setsid` so that no controlling terminal leaks in from the test runner.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  generatePluginKey,
  pluginPath,
  pluginStarts,
  resetStarts,
  type PluginKey,
} from "../helpers/plugin.js";
import { ADMIN_RECIPIENT, CLI, TestRepo, WEB01, changedFiles } from "../helpers/repo.js";
import { describeWithTools } from "../helpers/tools.js";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

let key: PluginKey;
let keyFile: string;
let work: string;
let counter: string;
let tmp: string;

function env(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: "1",
    SECRETGEN_IDENTITY: "",
    XDG_CONFIG_HOME: work,
    HOME: work,
    PATH: pluginPath(),
    TMPDIR: tmp,
    SGTEST_COUNT_FILE: counter,
    ...extra,
  };
}

/** The CLI in its own session (no controlling terminal), with the plugin identity. */
function cli(repo: TestRepo, args: string[], extra: NodeJS.ProcessEnv = {}, input = ""): Result {
  const r = spawnSync("setsid", ["-w", process.execPath, CLI, ...args, "-i", keyFile], {
    cwd: repo.root,
    input,
    env: env(extra),
    encoding: "utf8",
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The CLI on a pseudo-terminal (`script`), typing `answer` once `prompt` appears. */
function onPty(repo: TestRepo, args: string[], prompt: RegExp, answer: string, extra = {}) {
  const command = [process.execPath, CLI, ...args, "-i", keyFile].map(shellQuote).join(" ");
  return onPtyShell(repo, command, prompt, answer, extra);
}

/**
 * A shell command on a pseudo-terminal, typing `answer` once `prompt` appears (or calling
 * `onPrompt` instead).
 */
function onPtyShell(
  repo: TestRepo,
  command: string,
  prompt: RegExp,
  answer: string,
  extra = {},
  onPrompt?: () => void,
) {
  const child = spawn("script", ["-qec", command, "/dev/null"], {
    cwd: repo.root,
    env: env(extra),
    stdio: ["pipe", "pipe", "pipe"],
  });
  let transcript = "";
  let answered = false;
  return new Promise<{ code: number; transcript: string }>((resolve) => {
    child.stdout.on("data", (d: Buffer) => {
      transcript += d.toString();
      if (!answered && prompt.test(transcript)) {
        answered = true;
        if (onPrompt === undefined) child.stdin.write(answer);
        else onPrompt();
      }
    });
    child.on("close", (code) => {
      child.stdin.destroy();
      resolve({ code: code ?? -1, transcript });
    });
  });
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}

function tree(n: number, admins: string[]): unknown {
  const secrets: Record<string, unknown> = {};
  for (let i = 0; i < n - 10; i++) secrets[`s/${i}`] = { hosts: ["web01"], random: { length: 20 } };
  for (let i = 0; i < 10; i++) {
    secrets[`t/${i}`] = {
      hosts: ["web01"],
      template: { content: `user${i}:{{secret "s/${i % (n - 10)}"}}` },
    };
  }
  return { admins, hosts: { web01: [WEB01] }, secrets };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "sg-plugin-"));
  tmp = join(work, "tmp");
  mkdirSync(tmp);
  counter = join(work, "starts");
  key = generatePluginKey();
  keyFile = join(work, "plugin.key");
  writeFileSync(keyFile, key.file, { mode: 0o600 });
});

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

beforeEach(() => {
  resetStarts(counter);
});

describeWithTools(["age", "setsid", "script"], "a plugin admin key, one session per run", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = new TestRepo(tree(200, [key.recipient]));
  });
  afterAll(() => {
    repo.cleanup();
  });

  it("generate of 200 secrets wraps every file key in one recipient-v1 session", () => {
    const r = cli(repo, ["generate"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/created 200$/m);
    expect(pluginStarts(counter)).toEqual({ identity: 0, recipient: 1, files: [] });
    // age, through the same plugin, reads what was written.
    const value = execFileSync("age", ["-d", "-i", keyFile, repo.path("secrets/data/t/3.age")], {
      env: env(),
    }).toString();
    expect(value).toMatch(/^user3:[A-Za-z0-9]{20}$/);
    expect(value).toBe(cli(repo, ["reveal", "t/3"]).stdout);
  });

  // 210 files: the 200 entropy files and the data files of the 10 secrets the templates read
  // (any of them could have been adopted, its value only in its data file).
  it("a no-op check and generate start the plugin once each, for the 200 entropy files", () => {
    const before = repo.snapshot();
    const check = cli(repo, ["check"]);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/unchanged 200$/m);
    expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [210] });
    resetStarts(counter);
    const gen = cli(repo, ["generate"]);
    expect(gen.code).toBe(0);
    expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [210] });
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("--jobs 2: decryption stays on the main thread, one session", () => {
    const r = cli(repo, ["check", "--jobs", "2"]);
    expect(r.code).toBe(0);
    expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [210] });
  });

  it("check --offline starts no plugin", () => {
    const r = cli(repo, ["check", "--offline"]);
    expect(r.code).toBe(0);
    expect(pluginStarts(counter)).toEqual({ identity: 0, recipient: 0, files: [] });
  });

  it("a PIN is asked once on the terminal, hidden, for the whole run", async () => {
    const r = await onPty(repo, ["check"], /PIN of the sgtest key: $/, "123456\r", {
      SGTEST_MODE: "pin",
    });
    expect(r.transcript).toMatch(/unchanged 200/);
    expect(r.code).toBe(0);
    expect(r.transcript.match(/enter the PIN/g)).toHaveLength(1);
    expect(r.transcript).not.toContain("123456");
    expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [210] });
  });

  it("without a terminal the PIN mode fails with one clear message, nothing written", () => {
    const before = repo.snapshot();
    const r = cli(repo, ["generate"], { SGTEST_MODE: "pin" });
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(
      'secretgen: error: age-plugin-sgtest asked for a secret (PIN or passphrase) ("enter the PIN of the sgtest key"), and there is no terminal to ask on\n' +
        "secretgen: hint: run secretgen on a terminal to answer the plugin\n",
    );
    expect(r.stdout).toBe("");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("messages and confirmations: shown, and without a terminal a confirmation fails the run", () => {
    const r = cli(repo, ["check"], { SGTEST_MODE: "msg" });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("secretgen: age-plugin-sgtest: touch the sgtest key\n");
    expect(r.stderr).toContain(
      'age-plugin-sgtest asked for a confirmation ("use the sgtest key?"), and there is no terminal to ask on',
    );
  });
});

describeWithTools(["age", "setsid", "script", "stty"], "interrupting a plugin's question", () => {
  const secrets = (n: number) => ({
    ...Object.fromEntries(
      Array.from({ length: n }, (_, i) => [`s/${i}`, { hosts: ["web01"], random: {} }]),
    ),
    m: { hosts: ["web01"], manual: {} },
  });
  let repo: TestRepo;
  let before: ReturnType<TestRepo["snapshot"]>;
  beforeAll(() => {
    repo = new TestRepo({
      admins: [key.recipient],
      hosts: { web01: [WEB01] },
      secrets: secrets(5),
    });
    expect(cli(repo, ["generate"]).code).toBe(0);
    // A pending change: a run that went on would write s/5.
    repo.declare({ admins: [key.recipient], hosts: { web01: [WEB01] }, secrets: secrets(6) });
    before = repo.snapshot();
  });
  afterAll(() => {
    repo.cleanup();
  });
  const run = (args: string[]) =>
    [process.execPath, CLI, ...args, "-i", keyFile].map(shellQuote).join(" ");
  /** After the run: its exit status, and whether the terminal echoes again. */
  const after = "; echo rc=$?; stty -a | grep -o -- ' -*echo ' | head -1";

  it("Ctrl-C at the PIN prompt stops the run (exit 130), nothing written, echo back on", async () => {
    const r = await onPtyShell(
      repo,
      run(["generate"]) + after,
      /PIN of the sgtest key: $/,
      "12\u0003",
      {
        SGTEST_MODE: "pin",
      },
    );
    expect(r.transcript).toContain("rc=130");
    expect(r.transcript).toContain(" echo ");
    expect(r.transcript).not.toContain("-echo");
    expect(r.transcript).not.toMatch(/error|created/);
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("SIGTERM at the PIN prompt: the terminal echoes again", async () => {
    const pidFile = join(work, "cli.pid");
    const r2 = await onPtyShell(
      repo,
      `${run(["generate"])} & echo $! > ${shellQuote(pidFile)}; wait $!${after}`,
      /PIN of the sgtest key: $/,
      "",
      { SGTEST_MODE: "pin" },
      () => process.kill(Number(readFileSync(pidFile, "utf8")), "SIGTERM"),
    );
    expect(r2.transcript).toContain("rc=143");
    expect(r2.transcript).toContain(" echo ");
    expect(r2.transcript).not.toContain("-echo");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("Ctrl-D at the PIN prompt: one error naming the plugin, exit 3, nothing written", async () => {
    const r = await onPty(repo, ["generate"], /PIN of the sgtest key: $/, "\u0004", {
      SGTEST_MODE: "pin",
    });
    expect(r.code).toBe(3);
    expect(r.transcript.match(/error:/g)).toHaveLength(1);
    expect(r.transcript).toContain(
      "error: age-plugin-sgtest asked a question and got no answer (end of input)",
    );
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("the plugin exits while its PIN prompt is shown: the prompt ends at once, one error", async () => {
    const started = Date.now();
    const r = await onPtyShell(
      repo,
      run(["generate"]) + after,
      /PIN of the sgtest key: $/,
      "",
      { SGTEST_MODE: "pin-exit" },
      () => undefined, // nobody answers
    );
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(r.transcript).toContain("rc=3");
    expect(r.transcript.match(/error:/g)).toHaveLength(1);
    expect(r.transcript).toContain(
      "error: age-plugin-sgtest exited with status 5 before finishing the protocol",
    );
    expect(r.transcript).toContain(" echo ");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("Ctrl-D at set's hidden value prompt: an error, nothing stored", async () => {
    const r = await onPty(repo, ["set", "m"], /Value: $/, "ab\u0004", {});
    expect(r.code).toBe(3);
    expect(r.transcript).toContain("error: no value was typed (end of input)");
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("a confirmation declined: the plugin opens nothing; one error, exit 3, nothing written", async () => {
    const r = await onPty(
      repo,
      ["generate"],
      /use the sgtest key\? \[y = use it, n = skip it\] $/,
      "n\r",
      {
        SGTEST_MODE: "msg",
      },
    );
    expect(r.code).toBe(3);
    expect(r.transcript.match(/error:/g)).toHaveLength(1);
    expect(r.transcript).toContain(
      `error: none of the identities given opens any of the 5 entropy files (a plugin identity opens none when it is not an admin's key, or when its plugin's question was declined); they are encrypted to the admins: ${key.recipient.slice(0, 61)}...`,
    );
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });
});

const FAILURES: [string, NodeJS.ProcessEnv, RegExp][] = [
  [
    "error",
    { SGTEST_MODE: "error" },
    /age-plugin-sgtest reported an error: the sgtest key is locked/,
  ],
  ["crash", { SGTEST_MODE: "crash" }, /age-plugin-sgtest exited with status 7 before finishing/],
  [
    "hang",
    { SGTEST_MODE: "hang", SECRETGEN_PLUGIN_TIMEOUT: "1" },
    /age-plugin-sgtest did not answer within 1 s \(timed out\)/,
  ],
  [
    "protocol",
    { SGTEST_MODE: "protocol" },
    /age-plugin-sgtest broke the plugin protocol: it sent a line/,
  ],
  [
    "badindex",
    { SGTEST_MODE: "badindex" },
    /age-plugin-sgtest broke the plugin protocol: an index/,
  ],
  ["missing", { PATH: "/usr/bin:/bin" }, /age-plugin-sgtest was not found on PATH/],
  [
    "a bad timeout",
    { SECRETGEN_PLUGIN_TIMEOUT: "soon" },
    /SECRETGEN_PLUGIN_TIMEOUT must be a number of seconds above 0 and at most 2147483, not "soon"/,
  ],
];

describeWithTools(
  ["age", "setsid"],
  "plugin failures: exit 3, nothing written, nothing lost",
  () => {
    let repo: TestRepo;
    let values: Map<string, string>;
    beforeAll(() => {
      repo = new TestRepo(tree(12, [key.recipient]));
      expect(cli(repo, ["generate"]).code).toBe(0);
      values = new Map(["s/0", "t/1"].map((n) => [n, cli(repo, ["reveal", n]).stdout]));
      // A pending change: a new secret, so that generate would write.
      const decls = tree(12, [key.recipient]) as { secrets: Record<string, unknown> };
      decls.secrets.extra = { hosts: ["web01"], random: {} };
      repo.declare(decls);
    });
    afterAll(() => {
      repo.cleanup();
    });

    it.each(FAILURES)("%s: its own message once, exit 3", (mode, extra, message) => {
      const before = repo.snapshot();
      for (const command of mode === "error" ? ["generate", "check"] : ["generate"]) {
        const r = cli(repo, [command], extra);
        expect(r.code).toBe(3);
        const errors = r.stderr.split("\n").filter((l) => l.startsWith("secretgen: error:"));
        expect(errors).toHaveLength(1);
        expect(errors[0]).toMatch(message);
      }
      expect(changedFiles(before, repo.snapshot())).toEqual([]);
    });

    it("encryption failing on a first generation writes nothing", () => {
      const fresh = new TestRepo(tree(12, [key.recipient]));
      try {
        const r = cli(fresh, ["generate"], { SGTEST_MODE: "error" });
        expect(r.code).toBe(3);
        expect(r.stderr).toMatch(
          /error: age-plugin-sgtest reported an error: the sgtest key is locked/,
        );
        expect([...fresh.snapshot().keys()].filter((f) => f.endsWith(".age"))).toEqual([]);
      } finally {
        fresh.cleanup();
      }
    });

    it("while the plugin is silent (a touch), the run says what it waits for", () => {
      const r = cli(repo, ["check"], { SGTEST_MODE: "slow" });
      expect(r.code).toBe(1); // the pending new secret
      expect(r.stdout).toMatch(/missing\s+extra/);
      expect(r.stderr).toContain("secretgen: waiting for age-plugin-sgtest…\n");
    });

    it("after the failures, generate with a working plugin keeps every value", () => {
      const r = cli(repo, ["generate"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/created 1, unchanged 12$/m);
      for (const [name, value] of values) expect(cli(repo, ["reveal", name]).stdout).toBe(value);
    });
  },
);

describeWithTools(["age", "setsid"], "other commands with plugin keys", () => {
  it("set, reveal and adopt through the plugin", () => {
    const secrets = {
      token: { hosts: ["web01"], manual: {} },
      legacy: { hosts: ["web01"], random: {} },
      "legacy-2": { hosts: ["web01"], manual: {} },
    };
    const repo = new TestRepo({ admins: [key.recipient], hosts: { web01: [WEB01] }, secrets });
    try {
      const set = cli(repo, ["set", "token"], {}, "tok-4242\n");
      expect(set.code).toBe(0);
      expect(cli(repo, ["reveal", "token"]).stdout).toBe("tok-4242");
      const from = join(repo.root, "old");
      mkdirSync(from);
      for (const name of ["legacy", "legacy-2"]) {
        execFileSync("age", ["-r", key.recipient, "-o", join(from, `${name}.age`)], {
          input: `${name}-value`,
          env: env(),
        });
      }
      resetStarts(counter);
      const adopt = cli(repo, ["adopt", "legacy", "legacy-2", "--from", from]);
      expect(adopt.code).toBe(0);
      // Both files in one session (and the new files wrapped in one).
      expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 1, files: [2] });
      expect(cli(repo, ["reveal", "legacy-2"]).stdout).toBe("legacy-2-value");
      expect(cli(repo, ["reveal", "legacy"]).stdout).toBe("legacy-value");
      resetStarts(counter);
      expect(cli(repo, ["check"]).code).toBe(0);
      expect(pluginStarts(counter).identity).toBe(1);
      // A secret that reads an adopted one: its data file joins the one session.
      repo.declare({
        admins: [key.recipient],
        hosts: { web01: [WEB01] },
        secrets: {
          ...secrets,
          env: { hosts: ["web01"], template: { content: '{{secret "legacy"}}!' } },
        },
      });
      expect(cli(repo, ["generate"]).code).toBe(0);
      expect(cli(repo, ["reveal", "env"]).stdout).toBe("legacy-value!");
      for (const args of [["check"], ["generate"], ["check", "--jobs", "2"]]) {
        resetStarts(counter);
        const r = cli(repo, args);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/unchanged 4$/m);
        // 4 entropy files, and the data file of legacy (which env reads).
        expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [5] });
      }
    } finally {
      repo.cleanup();
    }
  });

  it("a plugin identity of a plugin no admin uses: one 'not an admin' error, plugin not started", () => {
    const repo = new TestRepo({
      admins: [ADMIN_RECIPIENT],
      hosts: { web01: [WEB01] },
      secrets: { a: { hosts: ["web01"], random: {} }, b: { hosts: ["web01"], random: {} } },
    });
    try {
      expect(repo.run(["generate"]).code).toBe(0);
      const before = repo.snapshot();
      resetStarts(counter);
      const r = cli(repo, ["check"]);
      expect(r.code).toBe(3);
      const errors = r.stderr.split("\n").filter((l) => l.startsWith("secretgen: error:"));
      const line = key.file.split("\n").indexOf(key.identity) + 1;
      expect(errors).toEqual([
        `secretgen: error: the identity ${keyFile}:${line} (an age-plugin-sgtest identity) is not an admin; the admins are: ${ADMIN_RECIPIENT}`,
      ]);
      expect(pluginStarts(counter)).toEqual({ identity: 0, recipient: 0, files: [] });
      expect(changedFiles(before, repo.snapshot())).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });

  it("rekeying when a plugin admin is added, then the X25519 admin removed", () => {
    const secrets = { a: { hosts: ["web01"], random: {} }, m: { hosts: ["web01"], manual: {} } };
    const repo = new TestRepo({ admins: [ADMIN_RECIPIENT], hosts: { web01: [WEB01] }, secrets });
    try {
      expect(repo.run(["generate"]).code).toBe(0);
      expect(repo.run(["set", "m"], { input: "manual-1\n" }).code).toBe(0);
      const a = repo.reveal("a").toString();
      repo.declare({
        admins: [ADMIN_RECIPIENT, key.recipient],
        hosts: { web01: [WEB01] },
        secrets,
      });
      const add = repo.run(["generate"], { env: env() });
      expect(add.code).toBe(0);
      expect(add.stdout).toMatch(/rekeyed 2/);
      expect(pluginStarts(counter)).toEqual({ identity: 0, recipient: 1, files: [] });
      // The plugin key alone now reads everything.
      expect(cli(repo, ["reveal", "a"]).stdout).toBe(a);
      expect(cli(repo, ["reveal", "m"]).stdout).toBe("manual-1");
      repo.declare({ admins: [key.recipient], hosts: { web01: [WEB01] }, secrets });
      resetStarts(counter);
      const remove = cli(repo, ["generate"]);
      expect(remove.code).toBe(0);
      expect(remove.stdout).toMatch(/rekeyed 2/);
      // One session decrypts the entropy files and the data files of both (each is rekeyed, and
      // either could have been adopted: its value only in its data file).
      expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 1, files: [4] });
      expect(repo.run(["reveal", "a"]).code).toBe(3); // the removed X25519 admin
      expect(cli(repo, ["reveal", "m"]).stdout).toBe("manual-1");
    } finally {
      repo.cleanup();
    }
  });
});

describeWithTools(["age", "setsid", "script"], "leaks", () => {
  it("no value or PIN in the output, the plugin's argv or environment, or temporary files", async () => {
    const repo = new TestRepo(tree(12, [key.recipient]));
    const dump = join(work, "env-dump");
    try {
      expect(cli(repo, ["generate"], { SGTEST_ENV_FILE: dump }).code).toBe(0);
      const runs = [cli(repo, ["check"], { SGTEST_ENV_FILE: dump })];
      const pty = await onPty(repo, ["check"], /PIN of the sgtest key: $/, "123456\r", {
        SGTEST_MODE: "pin",
        SGTEST_ENV_FILE: dump,
      });
      expect(pty.code).toBe(0);
      const values = ["s/0", "s/1", "t/0"].map((n) => cli(repo, ["reveal", n]).stdout);
      const seen = [
        ...runs.flatMap((r) => [r.stdout, r.stderr]),
        pty.transcript,
        readFileSync(dump, "utf8"),
      ].join("\n");
      for (const v of [...values, "123456"]) expect(seen).not.toContain(v);
      expect(readFileSync(dump, "utf8")).not.toMatch(/SECRETGEN_/);
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      repo.cleanup();
    }
  });
});
