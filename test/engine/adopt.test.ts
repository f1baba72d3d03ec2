/**
 * Adoption (engine/adopt.ts): which secrets may be adopted, the warnings about a value (does it
 * fit its declaration, does it replace one), what is stored (pinned or not, script inputs), and
 * readAdoptions' order of refusals, with a fake decryptor and a temporary tree.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bech32Encode } from "../../src/age/bech32.js";
import { validateDeclarations } from "../../src/declarations/index.js";
import {
  adoptable,
  adoptionWarnings,
  misfit,
  readAdoptions,
  valueToStore,
  type AdoptDecryptor,
} from "../../src/engine/adopt.js";
import { ExitCode, SecretgenError, type Warning } from "../../src/errors.js";
import { Layout } from "../../src/store/layout.js";
import { sha256Hex } from "../../src/store/manifest.js";

const ADMIN = bech32Encode("age", new Uint8Array(32).fill(1));
const decls = validateDeclarations(
  {
    admins: [ADMIN],
    hosts: {},
    secrets: {
      pw: { hosts: [], random: { length: 4, charset: "digits" } },
      key: { hosts: [], random: { bytes: 16 } },
      token: { hosts: [], manual: {} },
      env: { hosts: [], template: { content: '{{secret "token"}}' } },
      wg: { hosts: [], wireguard: {} },
      made: { hosts: [], script: { script: "true", dependencies: ["token", "pw"] } },
      alone: { hosts: [], script: { script: "true" } },
    },
  },
  { readTemplate: () => undefined },
);
const decl = (name: string) => adoptable(decls, name);
const text = (s: string) => new TextEncoder().encode(s);

function thrown(f: () => unknown): SecretgenError {
  try {
    f();
  } catch (err) {
    if (err instanceof SecretgenError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

/** The SecretgenError a promise rejects with. */
async function rejection(p: Promise<unknown>): Promise<SecretgenError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof SecretgenError) return err;
    throw err;
  }
  throw new Error("did not reject");
}

describe("adoptable", () => {
  it("gives the declaration, or a usage error for an undeclared name", () => {
    expect(decl("pw").name).toBe("pw");
    const e = thrown(() => adoptable(decls, "nope"));
    expect(e.message).toBe('no secret named "nope" is declared');
    expect(e.hint).toBe("declare it first");
    expect(String(e)).not.toMatch(/secrets\./); // no secret to name: it is not declared
    expect(e).toMatchObject({ exitCode: ExitCode.usage });
  });
});

describe("misfit and adoptionWarnings", () => {
  it("random characters: length and character set", () => {
    expect(misfit(decl("pw"), text("1234"))).toBeUndefined();
    expect(misfit(decl("pw"), text("123456"))).toBe("has 6 characters, the declaration says 4");
    expect(misfit(decl("pw"), text("12a4"))).toBe(
      "has characters outside the declared character set",
    );
    // Characters, not bytes: four two-byte characters are four.
    expect(misfit(decl("pw"), text("éééé"))).toBe(
      "has characters outside the declared character set",
    );
  });

  it("random bytes, manual, template, keypair and script values always fit", () => {
    for (const name of ["key", "token", "env", "wg", "made"])
      expect(misfit(decl(name), text("anything at all"))).toBeUndefined();
  });

  it("warns about a misfit, and about replacing a value, in that order", () => {
    expect(adoptionWarnings(decl("pw"), text("1234"), false)).toEqual([]);
    expect(adoptionWarnings(decl("pw"), text("12"), true)).toEqual<Warning[]>([
      { secret: "pw", message: "the adopted value has 2 characters, the declaration says 4" },
      { secret: "pw", message: "replaces the value already in the tree" },
    ]);
  });
});

describe("valueToStore", () => {
  it("pins generated kinds, not manual or script secrets", () => {
    const v = text("v");
    expect(valueToStore(decl("pw"), v)).toEqual({ name: "pw", value: v, pinned: true });
    expect(valueToStore(decl("key"), v).pinned).toBe(true);
    expect(valueToStore(decl("env"), v).pinned).toBe(true);
    expect(valueToStore(decl("wg"), v).pinned).toBe(true);
    expect(valueToStore(decl("token"), v).pinned).toBe(false);
    expect(valueToStore(decl("made"), v, { token: "d" })).toEqual({
      name: "made",
      value: v,
      pinned: false,
      dependencies: { token: "d" },
    });
  });
});

describe("readAdoptions", () => {
  let root: string;
  let from: string;
  let layout: Layout;
  /** "Ciphertext" is the plaintext behind a marker; anything else fails to decrypt. */
  const seal = (s: string) => `sealed:${s}`;
  let decrypted: string[];
  let prefetched: string[];
  const decryptor: AdoptDecryptor = {
    decrypt: (c) => {
      const s = new TextDecoder().decode(c);
      decrypted.push(s);
      if (!s.startsWith("sealed:")) return Promise.reject(new Error("no identity matched"));
      return Promise.resolve(text(s.slice("sealed:".length)));
    },
    prefetch: (c) => {
      prefetched.push(new TextDecoder().decode(c));
    },
  };
  const put = (path: string, content: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  const read = (names: string[], warnings: Warning[] = []) =>
    readAdoptions(decls, layout, names, from, decryptor, (w) => warnings.push(w));

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "sg-adopt-"));
    mkdirSync(join(root, "secrets"));
    from = join(root, "legacy");
    layout = new Layout(root);
    decrypted = [];
    prefetched = [];
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it("decrypts each file once, after prefetching all that exist, and keeps the values", async () => {
    put(join(from, "pw.age"), seal("1234"));
    put(join(from, "token.age"), seal("t0k3n"));
    const items = await read(["pw", "token"]);
    expect(prefetched).toEqual([seal("1234"), seal("t0k3n")]);
    expect(items).toEqual([
      { name: "pw", value: text("1234"), pinned: true },
      { name: "token", value: text("t0k3n"), pinned: false },
    ]);
  });

  it("a script secret records the digests of the values it reads that are stored", async () => {
    put(join(from, "made.age"), seal("out"));
    put(layout.dataFile("token"), seal("t0k3n")); // pw is not stored yet
    const [item] = await read(["made"]);
    expect(item?.dependencies).toEqual({ token: sha256Hex(text("t0k3n")) });
    // A script secret without dependencies records none.
    put(join(from, "alone.age"), seal("x"));
    expect((await read(["alone"]))[0]).not.toHaveProperty("dependencies");
  });

  it("warns in order, through the callback, before a later name's refusal", async () => {
    put(join(from, "pw.age"), seal("12"));
    put(layout.dataFile("pw"), seal("old"));
    const warnings: Warning[] = [];
    await expect(read(["pw", "nope"], warnings)).rejects.toThrow(
      'no secret named "nope" is declared',
    );
    expect(warnings.map((w) => w.message)).toEqual([
      "the adopted value has 2 characters, the declaration says 4",
      "replaces the value already in the tree",
    ]);
  });

  it("a missing file is a usage error naming the secret and path", async () => {
    const e = await rejection(read(["token"]));
    expect(e).toBeInstanceOf(SecretgenError);
    expect(String(e)).toBe(`secrets."token": ${join(from, "token.age")} does not exist`);
    expect(e).toMatchObject({ exitCode: ExitCode.usage });
  });

  it("a file that does not decrypt is a runtime error naming the secret, with the cause", async () => {
    put(join(from, "token.age"), "garbage");
    const e = await rejection(read(["token"]));
    expect(String(e)).toBe(
      `secrets."token": cannot decrypt ${join(from, "token.age")}: no identity matched`,
    );
    expect(e).toMatchObject({ exitCode: ExitCode.runtime });
    expect((e.cause as Error).message).toBe("no identity matched");
  });
});
