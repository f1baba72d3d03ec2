/**
 * Identity files: age identity files, OpenSSH and PEM keys (with and without passphrase),
 * passphrase-encrypted identity files, the permission warning, and passing identities as text.
 */
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { format, inspect } from "node:util";
import { Encrypter } from "age-encryption";
import { afterAll, describe, expect, it, vi } from "vitest";
import {
  AgeError,
  decrypt,
  deserializeIdentity,
  generateX25519Identity,
  identityRecipient,
  loadIdentityFile,
  parseIdentities,
  serializeIdentity,
  type Identity,
} from "../../src/age/index.js";
import { SecretgenError } from "../../src/errors.js";
import {
  fixture,
  fixtureIdentities,
  fixtureText,
  noPassphrase,
  PASSPHRASE,
  privateCopy,
  publicKey,
  tempDir,
} from "./fixtures.js";
import { rejection } from "../helpers/failures.js";

const tmp = tempDir();
afterAll(() => {
  tmp.cleanup();
});

async function parse(
  text: string,
  passphrase: () => Promise<string> = noPassphrase,
): Promise<Identity[]> {
  return parseIdentities(text, { source: "keys.txt", passphrase });
}

const failure = (p: Promise<unknown>) => rejection(p, AgeError);

const keys = await Promise.all([
  generateX25519Identity(),
  generateX25519Identity(),
  generateX25519Identity(),
]);
const [k1, k2, k3] = keys;

describe("age identity files", () => {
  it("reads several keys between comments and blank lines (LF and CRLF)", async () => {
    const text = `# created: 2026-01-01\n# public key: age1…\n${k1}\n\n   \n# second\n${k2}\n${k3}\n`;
    for (const t of [text, text.replaceAll("\n", "\r\n")]) {
      const ids = await parse(t);
      expect(ids.map((i) => i.type)).toEqual(["x25519", "x25519", "x25519"]);
      expect(ids.map((i) => i.source)).toEqual(["keys.txt:3", "keys.txt:7", "keys.txt:8"]);
    }
  });

  it.for([
    {
      name: "a corrupt key",
      line: k2.slice(0, -1) + (k2.endsWith("Q") ? "P" : "Q"),
      kind: "malformed",
      message: /keys\.txt: line 3: malformed age secret key/,
    },
    {
      name: "a lower-case key",
      line: k2.toLowerCase(),
      kind: "malformed",
      message: /line 3: not an age secret key/,
    },
    {
      name: "a recipient",
      line: "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqs3290r",
      kind: "malformed",
      message: /line 3: not an age secret key/,
    },
    {
      name: "a post-quantum key",
      line: "AGE-SECRET-KEY-PQ-1" + k2.slice(16),
      kind: "unsupported",
      message: /line 3: post-quantum identities are not supported/,
    },
    {
      name: "a plugin identity with a bad checksum",
      line: "AGE-PLUGIN-YUBIKEY-1QQQQQQ",
      kind: "malformed",
      message: /line 3: invalid bech32/,
    },
    {
      name: "a lower-case plugin identity",
      line: "age-plugin-sgtest-1qqqqqqqqqqqqqqq",
      kind: "malformed",
      message: /line 3: (invalid bech32|a plugin identity is uppercase)/,
    },
  ])(
    "a bad line ($name) is reported with its number, not its content",
    async ({ line, kind, message }) => {
      const err = await failure(parse(`# keys\n${k1}\n${line}\n`));
      expect(err.kind).toBe(kind);
      expect(err.exitCode).toBe(3);
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain(line);
      expect(err.message).not.toContain(k1);
    },
  );

  it.for([
    { name: "empty", text: "" },
    { name: "only comments", text: "# nothing here\n\n" },
  ])("$name: no secret keys found", async ({ text }) => {
    expect((await failure(parse(text))).message).toMatch(/keys\.txt: no secret keys found/);
  });

  it("an SSH public key instead of a private key is named as such", async () => {
    const err = await failure(parse(fixtureText("ssh_ed25519.pub")));
    expect(err.message).toMatch(/is an SSH public key, not a private key/);
  });
});

describe("SSH keys", () => {
  it.for([
    { key: "ssh_ed25519", pub: "ssh_ed25519.pub", type: "ssh-ed25519" },
    { key: "ssh_rsa", pub: "ssh_rsa.pub", type: "ssh-rsa" },
    { key: "ssh_rsa_pkcs1.pem", pub: "ssh_rsa.pub", type: "ssh-rsa" },
    { key: "ssh_rsa_pkcs8.pem", pub: "ssh_rsa.pub", type: "ssh-rsa" },
  ])("$key (no passphrase asked) matches $pub", async ({ key, pub, type }) => {
    const ids = await parse(fixtureText(key));
    expect(ids).toHaveLength(1);
    const [id] = ids;
    expect(id?.type).toBe(type);
    expect(id === undefined ? "" : identityRecipient(id).text).toBe(publicKey(pub));
  });

  it.for([
    { key: "ssh_ed25519_pass", pub: "ssh_ed25519_pass.pub" },
    { key: "ssh_rsa_pass", pub: "ssh_rsa_pass.pub" },
  ])("$key: the passphrase is asked once and decrypts it", async ({ key, pub }) => {
    const passphrase = vi.fn(() => Promise.resolve(PASSPHRASE));
    const [id] = await parse(fixtureText(key), passphrase);
    expect(passphrase).toHaveBeenCalledTimes(1);
    expect(id === undefined ? "" : identityRecipient(id).text).toBe(publicKey(pub));
    if (id !== undefined)
      expect(Buffer.from(await decrypt(fixture("pass.age"), [id]))).toEqual(fixture("pass.txt"));
  });

  it.for([
    { key: "ssh_ed25519_pass", passphrase: "wrong" },
    { key: "ssh_rsa_pass", passphrase: "wrong" },
    { key: "ssh_ed25519_pass", passphrase: "" },
  ])(
    "$key: a wrong passphrase ($passphrase) is a passphrase error",
    async ({ key, passphrase }) => {
      const err = await failure(parse(fixtureText(key), () => Promise.resolve(passphrase)));
      expect(err.kind).toBe("passphrase");
      expect(err.exitCode).toBe(3);
      expect(err.message).toBe("wrong passphrase for keys.txt");
    },
  );

  it("a failing passphrase prompt propagates its own error", async () => {
    await expect(
      parse(fixtureText("ssh_ed25519_pass"), () => Promise.reject(new Error("prompt closed"))),
    ).rejects.toThrow("prompt closed");
  });

  it("an encrypted PKCS#8 PEM key asks its passphrase", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const pem = privateKey.export({
      format: "pem",
      type: "pkcs8",
      cipher: "aes-256-cbc",
      passphrase: "pem-pass",
    });
    const [id] = await parse(pem.toString(), () => Promise.resolve("pem-pass"));
    expect(id?.type).toBe("ssh-rsa");
    const err = await failure(parse(pem.toString(), () => Promise.resolve("nope")));
    expect(err.kind).toBe("passphrase");
  });

  it("an ed25519 PKCS#8 PEM key is read", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const [id] = await parse(privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    expect(id?.type).toBe("ssh-ed25519");
  });

  it("an ECDSA PEM key is refused as unsupported", async () => {
    const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const err = await failure(
      parse(privateKey.export({ format: "pem", type: "pkcs8" }).toString()),
    );
    expect(err.kind).toBe("unsupported");
  });

  it("a corrupt OpenSSH key is malformed, without key material in the message", async () => {
    const text = fixtureText("ssh_ed25519");
    const lines = text.split("\n");
    lines[2] = (lines[2] ?? "").slice(0, 20);
    const err = await failure(parse(lines.join("\n")));
    expect(err.kind).toBe("malformed");
    expect(err.message).toMatch(/^keys\.txt: invalid OpenSSH private key/);
    for (const l of text.split("\n").slice(1, -2)) expect(err.message).not.toContain(l);
  });
});

describe("passphrase-encrypted identity files (age -p)", () => {
  async function encryptedIdentityFile(): Promise<Uint8Array> {
    const e = new Encrypter();
    e.setPassphrase("file-pass");
    e.setScryptWorkFactor(10);
    return e.encrypt(`# encrypted identity\n${k1}\n`);
  }

  it("decrypts with the passphrase", async () => {
    const path = join(tmp.dir, "encrypted.key");
    writeFileSync(path, await encryptedIdentityFile(), { mode: 0o600 });
    const { identities } = await loadIdentityFile(path, {
      passphrase: () => Promise.resolve("file-pass"),
    });
    expect(identities).toHaveLength(1);
    const [expected] = await parse(k1);
    expect(identities[0] && identityRecipient(identities[0])).toEqual(
      expected && identityRecipient(expected),
    );
  });

  it("a wrong passphrase is a passphrase error", async () => {
    const path = join(tmp.dir, "encrypted2.key");
    writeFileSync(path, await encryptedIdentityFile(), { mode: 0o600 });
    const err = await failure(
      loadIdentityFile(path, { passphrase: () => Promise.resolve("nope") }),
    );
    expect(err.kind).toBe("passphrase");
  });
});

describe("identity files encrypted to recipients", () => {
  it("are refused before any passphrase is asked", async () => {
    const e = new Encrypter();
    e.addRecipient(publicKey("x25519.pub"));
    const file = await e.encrypt(`${k1}\n`);
    const err = await failure(
      parseIdentities(Buffer.from(file).toString("latin1"), {
        source: "x.age",
        passphrase: noPassphrase,
      }),
    );
    expect(err.kind).toBe("unsupported");
    expect(err.message).toBe("x.age is an age file not encrypted with a passphrase");
  });
});

describe("loadIdentityFile", () => {
  it("warns when the file is readable by group or others, like ssh", async () => {
    const path = privateCopy("x25519.key", tmp.dir);
    expect((await loadIdentityFile(path, { passphrase: noPassphrase })).warnings).toEqual([]);
    chmodSync(path, 0o644);
    const { identities, warnings } = await loadIdentityFile(path, { passphrase: noPassphrase });
    expect(identities).toHaveLength(1);
    expect(warnings).toEqual([
      {
        message: `identity file ${path} is readable by group or others (mode 0644); protect it with chmod 600`,
      },
    ]);
    chmodSync(path, 0o640);
    expect((await loadIdentityFile(path, { passphrase: noPassphrase })).warnings).toHaveLength(1);
  });

  it("passes the path to the passphrase callback", async () => {
    const path = privateCopy("ssh_ed25519_pass", tmp.dir);
    const passphrase = vi.fn((p: string) => Promise.resolve(p === path ? PASSPHRASE : "wrong"));
    const { identities } = await loadIdentityFile(path, { passphrase });
    expect(passphrase).toHaveBeenCalledWith(path);
    expect(identities[0]?.source).toBe(path);
  });

  it("a missing file is a runtime error naming it", async () => {
    const path = join(tmp.dir, "missing.key");
    const err: unknown = await loadIdentityFile(path, { passphrase: noPassphrase }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SecretgenError);
    expect((err as SecretgenError).exitCode).toBe(3);
    expect((err as SecretgenError).message).toBe(`cannot read identity file ${path}: no such file`);
  });
});

describe("identities as text for worker threads", () => {
  it.for(["x25519.key", "ssh_ed25519", "ssh_rsa"])(
    "%s round-trips and still decrypts",
    async (key) => {
      const [id] = await fixtureIdentities(key);
      if (id === undefined) throw new Error("no identity");
      const text = serializeIdentity(id);
      const copy = deserializeIdentity(structuredClone(text));
      expect(copy.type).toBe(id.type);
      expect(copy.source).toBe(id.source);
      expect(identityRecipient(copy)).toEqual(identityRecipient(id));
      expect(Buffer.from(await decrypt(fixture("all.age"), [copy]))).toEqual(fixture("all.txt"));
    },
  );

  it.for([
    "",
    "{}",
    "not json",
    '{"v":1,"type":"x25519","source":"s","key":"AGE-SECRET-KEY-1XYZ"}',
  ])("rejects %j without quoting it", (text) => {
    let err: unknown;
    try {
      deserializeIdentity(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AgeError);
    expect((err as AgeError).message).toBe("not a serialized identity (value not shown)");
    expect((err as AgeError).cause).toBeUndefined();
  });

  it.for(["x25519.key", "ssh_ed25519", "ssh_rsa"])(
    "%s: inspect and JSON show no key material",
    async (key) => {
      const [id] = await fixtureIdentities(key);
      if (id === undefined) throw new Error("no identity");
      const serialized = JSON.parse(serializeIdentity(id)) as { key: string };
      for (const shown of [
        inspect(id, { showHidden: true, depth: 9 }),
        JSON.stringify(id),
        format("%o", id),
      ]) {
        expect(shown).not.toContain(serialized.key);
        expect(shown).not.toContain(serialized.key.slice(0, 24));
      }
    },
  );
});

describe("generateX25519Identity", () => {
  it("makes distinct X25519 identities that parse back", async () => {
    const a = await generateX25519Identity();
    const b = await generateX25519Identity();
    expect(a).toMatch(/^AGE-SECRET-KEY-1[0-9A-Z]{58}$/);
    expect(a).not.toBe(b);
    const [id] = await parse(a);
    expect(id?.type).toBe("x25519");
    expect(id === undefined ? "" : identityRecipient(id).text).toMatch(/^age1[0-9a-z]{58}$/);
  });
});
