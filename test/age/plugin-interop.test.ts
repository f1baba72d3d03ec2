/**
 * The plugin protocol against the real `age` CLI (1.1.1 speaks it as a client) and the test
 * plugin age-plugin-sgtest: files age encrypts through the plugin decrypt here and the other
 * way round, binary and armored, the plugin recipient alone and beside X25519 and ssh-ed25519
 * recipients; many files in one session; the user interface commands.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import {
  AgeError,
  decrypt,
  encrypt,
  generateX25519Identity,
  identityRecipient,
  parseIdentities,
  parseRecipient,
  type Identity,
} from "../../src/age/index.js";
import { DecryptSession } from "../../src/age/plugin-decrypt.js";
import { encryptBatch } from "../../src/age/plugin-encrypt.js";
import { replyTimeoutMs } from "../../src/age/plugin-process.js";
import type { PluginUI } from "../../src/age/plugin-ui.js";
import {
  PLUGIN_DIR,
  generatePluginKey,
  pluginPath,
  pluginStarts,
  resetStarts,
  type PluginKey,
} from "../helpers/plugin.js";
import { rejection } from "../helpers/failures.js";
import { describeWithTools } from "../helpers/tools.js";
import { noPassphrase, tempDir } from "./fixtures.js";

const saved = { ...process.env };
let dir: string;
let cleanup: () => void;
let key: PluginKey;
let pluginIds: Identity[];
let x25519Text: string;
let x25519Ids: Identity[];
let sshPub: string;
let sshKeyFile: string;
let counter: string;

function age(args: string[], input?: Uint8Array): Buffer {
  return execFileSync("age", args, { input, stdio: ["pipe", "pipe", "pipe"], env: process.env });
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  process.env.PATH = pluginPath();
  counter = join(dir, "starts");
  process.env.SGTEST_COUNT_FILE = counter;
  key = generatePluginKey();
  writeFileSync(join(dir, "plugin.key"), key.file, { mode: 0o600 });
  pluginIds = await parseIdentities(key.file, { source: "plugin.key", passphrase: noPassphrase });
  x25519Text = await generateX25519Identity();
  writeFileSync(join(dir, "x25519.key"), x25519Text + "\n", { mode: 0o600 });
  x25519Ids = await parseIdentities(x25519Text, { source: "x", passphrase: noPassphrase });
  sshKeyFile = join(dir, "ssh");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", sshKeyFile]);
  sshPub = readFileSync(`${sshKeyFile}.pub`, "utf8").trim();
});

afterAll(() => {
  process.env = saved;
  cleanup();
});

beforeEach(() => {
  delete process.env.SGTEST_MODE;
  resetStarts(counter);
});

const mixes = [
  { name: "alone", extra: () => [] as string[] },
  { name: "with X25519", extra: () => ["-r", identityRecipient(x25519Ids[0] as Identity).text] },
  { name: "with ssh-ed25519", extra: () => ["-R", `${sshKeyFile}.pub`] },
];

describeWithTools(["age", "ssh-keygen"], "age plugin protocol with the real age CLI", () => {
  for (const armor of [false, true]) {
    for (const mix of mixes) {
      it(`age -r age1sgtest1… (${mix.name}${armor ? ", armored" : ""}) decrypts here through the plugin`, async () => {
        const plaintext = randomBytes(100 + (armor ? 70000 : 0));
        const file = age(
          ["-r", key.recipient, ...mix.extra(), ...(armor ? ["-a"] : [])],
          plaintext,
        );
        resetStarts(counter);
        const out = await decrypt(file, pluginIds);
        expect(Buffer.from(out).equals(plaintext)).toBe(true);
        expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [1] });
      });

      it(`a file encrypted here to age1sgtest1… (${mix.name}${armor ? ", armored" : ""}) decrypts with age -d -i`, async () => {
        const plaintext = randomBytes(300);
        const recipients = [parseRecipient(key.recipient)];
        if (mix.name === "with X25519")
          recipients.push(identityRecipient(x25519Ids[0] as Identity));
        if (mix.name === "with ssh-ed25519") recipients.push(parseRecipient(sshPub));
        const file = await encrypt(plaintext, recipients, { armor });
        expect(Buffer.from(file).subarray(0, 10).toString()).toBe(
          armor ? "-----BEGIN" : "age-encryp",
        );
        expect(pluginStarts(counter).recipient).toBe(1);
        expect(age(["-d", "-i", join(dir, "plugin.key")], file).equals(plaintext)).toBe(true);
        if (mix.name === "with X25519")
          expect(age(["-d", "-i", join(dir, "x25519.key")], file).equals(plaintext)).toBe(true);
        if (mix.name === "with ssh-ed25519")
          expect(age(["-d", "-i", sshKeyFile], file).equals(plaintext)).toBe(true);
      });
    }
  }

  it("many files: one recipient-v1 session wraps every file key, one identity-v1 session unwraps them", async () => {
    const plaintexts = Array.from({ length: 30 }, (_, i) => randomBytes(10 + i));
    const recipients = [parseRecipient(key.recipient)];
    const files = await encryptBatch(
      plaintexts.map((p, i) => ({ plaintext: p, recipients, armor: i % 3 === 0 })),
    );
    expect(pluginStarts(counter)).toEqual({ identity: 0, recipient: 1, files: [] });
    // age agrees with every one of them.
    expect(
      age(["-d", "-i", join(dir, "plugin.key")], files[7]).equals(plaintexts[7] as Buffer),
    ).toBe(true);
    resetStarts(counter);
    const session = new DecryptSession(pluginIds);
    const out = await Promise.all(files.map((f) => session.decrypt(f)));
    out.forEach((o, i) => {
      expect(Buffer.from(o).equals(plaintexts[i] as Buffer)).toBe(true);
    });
    // The file keys are kept: the same files again need no session.
    await session.decrypt(files[3] as Uint8Array);
    expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [30 + 1 - 1] });
  });

  it("files a native identity opens are not sent to the plugin", async () => {
    const native = identityRecipient(x25519Ids[0] as Identity);
    const plugin = parseRecipient(key.recipient);
    const files = await encryptBatch(
      Array.from({ length: 10 }, (_, i) => ({
        plaintext: Buffer.from(`v${i}`),
        recipients: [i % 2 ? plugin : native],
      })),
    );
    resetStarts(counter);
    const session = new DecryptSession([...x25519Ids, ...pluginIds]);
    const out = await Promise.all(files.map((f) => session.decrypt(f)));
    expect(out.map((o) => Buffer.from(o).toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => `v${i}`),
    );
    expect(pluginStarts(counter)).toEqual({ identity: 1, recipient: 0, files: [5] });
  });

  it("a file for another plugin key is not decrypted: no identity matched", async () => {
    const other = generatePluginKey();
    const file = age(["-r", other.recipient], Buffer.from("x"));
    const err = await rejection(decrypt(file, pluginIds), AgeError);
    expect(err.kind).toBe("no-identity");
    expect(err.message).toMatch(/stanzas: sgtest/);
  });
});

function recordingUI(answers: { pin?: string; confirm?: boolean } = {}) {
  const calls: string[] = [];
  const ui: PluginUI = {
    message: (name, text) => calls.push(`message ${name}: ${text}`),
    confirm: (name, text, yes, no) => {
      calls.push(`confirm ${name}: ${text} [${yes}/${String(no)}]`);
      return Promise.resolve(answers.confirm ?? true);
    },
    request: (name, text, secret) => {
      calls.push(`request ${secret ? "secret" : "public"} ${name}: ${text}`);
      return Promise.resolve(answers.pin ?? "");
    },
    waiting: () => undefined,
  };
  return { ui, calls };
}

describeWithTools(["age"], "plugin user interface and failures", () => {
  async function files(n: number): Promise<Uint8Array[]> {
    const recipients = [parseRecipient(key.recipient)];
    const out = await encryptBatch(
      Array.from({ length: n }, (_, i) => ({ plaintext: Buffer.from(`v${i}`), recipients })),
    );
    resetStarts(counter);
    return out;
  }

  it("request-secret: one PIN prompt for many files, the PIN only on the plugin's stdin", async () => {
    const fs = await files(5);
    process.env.SGTEST_MODE = "pin";
    process.env.SGTEST_ENV_FILE = join(dir, "env");
    const { ui, calls } = recordingUI({ pin: "123456" });
    const session = new DecryptSession(pluginIds, { ui });
    const out = await Promise.all(fs.map((f) => session.decrypt(f)));
    expect(out.map((o) => Buffer.from(o).toString())).toEqual(["v0", "v1", "v2", "v3", "v4"]);
    expect(calls).toEqual(["request secret sgtest: enter the PIN of the sgtest key"]);
    const dump = readFileSync(join(dir, "env"), "utf8");
    expect(dump).toContain("identity-v1");
    expect(dump).not.toContain("123456");
    expect(dump).not.toContain("SECRETGEN_");
    delete process.env.SGTEST_ENV_FILE;
  });

  it("a wrong PIN: the plugin's error, naming it", async () => {
    const [f] = await files(1);
    process.env.SGTEST_MODE = "pin";
    const { ui } = recordingUI({ pin: "000000" });
    const err = await rejection(new DecryptSession(pluginIds, { ui }).decrypt(f as Uint8Array));
    expect(err.message).toBe("age-plugin-sgtest reported an error: wrong PIN");
  });

  it("msg and confirm reach the UI; yes decrypts, no leaves the file undecrypted", async () => {
    const [f] = await files(1);
    process.env.SGTEST_MODE = "msg";
    const yes = recordingUI({ confirm: true });
    expect(
      Buffer.from(
        await new DecryptSession(pluginIds, { ui: yes.ui }).decrypt(f as Uint8Array),
      ).toString(),
    ).toBe("v0");
    expect(yes.calls).toEqual([
      "message sgtest: touch the sgtest key",
      "confirm sgtest: use the sgtest key? [use it/skip it]",
    ]);
    const no = recordingUI({ confirm: false });
    const err = await rejection(
      new DecryptSession(pluginIds, { ui: no.ui }).decrypt(f as Uint8Array),
      AgeError,
    );
    expect(err.kind).toBe("no-identity");
  });

  it("request-public: the UI's answer, shown (not hidden) input", async () => {
    const [f] = await files(1);
    process.env.SGTEST_MODE = "public";
    const good = recordingUI({ pin: "slot-1" });
    const out = await new DecryptSession(pluginIds, { ui: good.ui }).decrypt(f as Uint8Array);
    expect(Buffer.from(out).toString()).toBe("v0");
    expect(good.calls).toEqual(["request public sgtest: which sgtest slot?"]);
    const bad = recordingUI({ pin: "slot-9" });
    const err = await rejection(
      new DecryptSession(pluginIds, { ui: bad.ui }).decrypt(f as Uint8Array),
    );
    expect(err.message).toBe("age-plugin-sgtest reported an error: no such slot");
  });

  it("labels: a postquantum-labelled plugin stanza alone is fine, beside X25519 it is refused", async () => {
    process.env.SGTEST_MODE = "pqlabel";
    const plugin = parseRecipient(key.recipient);
    const alone = await encrypt(Buffer.from("pq"), [plugin]);
    delete process.env.SGTEST_MODE;
    expect(age(["-d", "-i", join(dir, "plugin.key")], alone).toString()).toBe("pq");
    process.env.SGTEST_MODE = "pqlabel";
    const err = await rejection(
      encrypt(Buffer.from("pq"), [plugin, identityRecipient(x25519Ids[0] as Identity)]),
    );
    expect(err.message).toMatch(
      /^age-plugin-sgtest labelled its stanzas so that they cannot be combined/,
    );
  });

  it("an unknown command from the plugin is answered `unsupported`", async () => {
    const [f] = await files(1);
    process.env.SGTEST_MODE = "unknown";
    expect(Buffer.from(await decrypt(f as Uint8Array, pluginIds)).toString()).toBe("v0");
  });

  it.each([
    ["error", /^age-plugin-sgtest reported an error: the sgtest key is locked \(test error\)$/],
    [
      "error-exit",
      /^age-plugin-sgtest reported an error: the sgtest key is locked \(test error\)$/,
    ],
    ["crash", /^age-plugin-sgtest exited with status 7 before finishing the protocol/],
    ["hang", /^age-plugin-sgtest did not answer within 1 s \(timed out\); it was stopped$/],
    [
      "protocol",
      /^age-plugin-sgtest broke the plugin protocol: it sent a line that does not start a stanza/,
    ],
    ["badindex", /^age-plugin-sgtest broke the plugin protocol: an index out of range/],
  ])(
    "mode %s: its own message, kind plugin, for every file of the session",
    async (mode, message) => {
      const fs = await files(3);
      process.env.SGTEST_MODE = mode;
      const started = Date.now();
      // Only the hanging plugin meets the limit (a busy machine can take 0.5 s to start node).
      const session = new DecryptSession(pluginIds, mode === "hang" ? { timeoutMs: 1000 } : {});
      const errs = await Promise.all(fs.map((f) => rejection(session.decrypt(f), AgeError)));
      for (const e of errs) {
        expect(e.kind).toBe("plugin");
        expect(e.message).toMatch(message);
      }
      expect(Date.now() - started).toBeLessThan(5000);
      // A failed plugin is not started again in the same session.
      await session.decrypt(fs[0] as Uint8Array).catch(() => undefined);
      expect(pluginStarts(counter).identity).toBe(1);
    },
  );

  it("encryption failures name the plugin too", async () => {
    process.env.SGTEST_MODE = "error";
    const err = await rejection(encrypt(Buffer.from("x"), [parseRecipient(key.recipient)]));
    expect(err.message).toBe(
      "age-plugin-sgtest reported an error: the sgtest key is locked (test error)",
    );
  });

  it("a plugin not on PATH, or only on a relative PATH entry, is not found", async () => {
    const [f] = await files(1);
    const good = process.env.PATH;
    for (const path of ["/nonexistent", "test/fixtures/plugins:."]) {
      process.env.PATH = path;
      const err = await rejection(decrypt(f as Uint8Array, pluginIds));
      expect(err.message).toBe(
        "age-plugin-sgtest was not found on PATH (the current directory is never searched)",
      );
      expect(err.hint).toMatch(/install the age plugin "sgtest"/);
    }
    process.env.PATH = good;
  });

  it("a plugin on PATH that may not be executed is said to be so", async () => {
    const [f] = await files(1);
    const dir = mkdtempSync(join(tmpdir(), "sg-noexec-"));
    const good = process.env.PATH ?? "";
    try {
      const copy = join(dir, "age-plugin-sgtest");
      copyFileSync(join(PLUGIN_DIR, "age-plugin-sgtest"), copy);
      chmodSync(copy, 0o644);
      process.env.PATH = `${dir}:${good
        .split(":")
        .filter((d) => d !== PLUGIN_DIR)
        .join(":")}`;
      const err = await rejection(decrypt(f as Uint8Array, pluginIds));
      expect(err.message).toBe(`age-plugin-sgtest is on PATH as ${copy}, which is not executable`);
      // An executable one later on PATH is used.
      process.env.PATH = `${dir}:${good}`;
      expect(Buffer.from(await decrypt(f as Uint8Array, pluginIds)).length).toBeGreaterThan(0);
    } finally {
      process.env.PATH = good;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it("SECRETGEN_PLUGIN_TIMEOUT: seconds above 0 (fractions allowed), 120 by default, else an error", () => {
  expect(replyTimeoutMs({})).toBe(120_000);
  expect(replyTimeoutMs({ SECRETGEN_PLUGIN_TIMEOUT: "" })).toBe(120_000);
  expect(replyTimeoutMs({ SECRETGEN_PLUGIN_TIMEOUT: "0.25" })).toBe(250);
  expect(replyTimeoutMs({ SECRETGEN_PLUGIN_TIMEOUT: "2147483" })).toBe(2_147_483_000);
  for (const bad of ["0", "-1", "abc", "1e9", "2147484", "Infinity"]) {
    expect(() => replyTimeoutMs({ SECRETGEN_PLUGIN_TIMEOUT: bad })).toThrow(
      /^SECRETGEN_PLUGIN_TIMEOUT must be a number of seconds above 0 and at most 2147483, not "/,
    );
  }
});
