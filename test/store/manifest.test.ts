/**
 * manifest.json: the exact text serializeManifest writes (sorted, one secret per line, entry
 * admins only where they differ), parseManifest's round trip, and each corrupt input's error
 * naming what is wrong.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SecretgenError, type Warning } from "../../src/errors.js";
import {
  MANIFEST_VERSION,
  emptyManifest,
  loadManifest,
  parseManifest,
  sameList,
  serializeManifest,
  sha256Hex,
  type Manifest,
  type ManifestEntry,
} from "../../src/store/manifest.js";

const H = (c: string) => c.repeat(64);
const PATH = "secrets/manifest.json";

function entry(over: Partial<ManifestEntry> = {}): ManifestEntry {
  return {
    generator: "random",
    declarationHash: H("d"),
    recipients: ["age1host"],
    data: H("a"),
    entropy: H("e"),
    admins: ["age1admin"],
    dependencies: {},
    public: {},
    ...over,
  };
}

/** A manual secret not set yet: no data, no entropy, so no entry admins. */
function unset(): ManifestEntry {
  const e = entry({ generator: "manual" });
  delete e.data;
  delete e.entropy;
  delete e.admins;
  return e;
}

const sample = (): Manifest => ({
  admins: ["age1admin"],
  hosts: { web01: ["age1host"] },
  secrets: new Map([
    ["b", entry()],
    ["a/x", entry({ admins: ["age1old"], dependencies: { b: H("a") } })],
    ["m", unset()],
  ]),
});

describe("serializeManifest", () => {
  it("writes a known text: names sorted, keys sorted, entry admins only where they differ", () => {
    expect(serializeManifest(sample())).toBe(
      [
        "{",
        `  "version": ${MANIFEST_VERSION},`,
        '  "admins": ["age1admin"],',
        '  "hosts": {"web01":["age1host"]},',
        '  "secrets": {',
        `    "a/x": {"admins":["age1old"],"data":"${H("a")}","declarationHash":"${H("d")}","dependencies":{"b":"${H("a")}"},"entropy":"${H("e")}","generator":"random","public":{},"recipients":["age1host"]},`,
        `    "b": {"data":"${H("a")}","declarationHash":"${H("d")}","dependencies":{},"entropy":"${H("e")}","generator":"random","public":{},"recipients":["age1host"]},`,
        `    "m": {"declarationHash":"${H("d")}","dependencies":{},"generator":"manual","public":{},"recipients":["age1host"]}`,
        "  }",
        "}",
        "",
      ].join("\n"),
    );
  });

  it("an empty manifest, and one without hosts (or with withHosts false)", () => {
    expect(serializeManifest(emptyManifest())).toBe(
      `{\n  "version": 1,\n  "admins": [],\n  "secrets": {}\n}\n`,
    );
    const m = sample();
    expect(serializeManifest(m, false)).not.toContain('"hosts"');
    expect(serializeManifest({ ...m, hosts: {} })).not.toContain('"hosts"');
  });

  it("never writes `interrupted`", () => {
    const m = { ...sample(), interrupted: new Set(["b"]) };
    expect(serializeManifest(m)).toBe(serializeManifest(sample()));
  });
});

describe("parseManifest", () => {
  it("round trip: parse gives back the manifest, serialize the same text", () => {
    const text = serializeManifest(sample());
    const parsed = parseManifest(text, PATH);
    expect(parsed.admins).toEqual(["age1admin"]);
    expect(parsed.hosts).toEqual({ web01: ["age1host"] });
    expect([...parsed.secrets.keys()]).toEqual(["a/x", "b", "m"]);
    expect(parsed.secrets).toEqual(sample().secrets);
    expect(serializeManifest(parsed)).toBe(text);
  });

  it("an entry with entropy and no admins gets the top-level admins; one without entropy none", () => {
    const doc = {
      version: 1,
      admins: ["age1admin"],
      secrets: {
        e: { ...entry(), admins: undefined },
        n: { ...entry({ generator: "manual" }), entropy: undefined, admins: ["age1x"] },
      },
    };
    const parsed = parseManifest(JSON.stringify(doc), PATH);
    expect(parsed.secrets.get("e")?.admins).toEqual(["age1admin"]);
    expect(parsed.secrets.get("n")).not.toHaveProperty("admins");
    expect(parsed.hosts).toBeUndefined();
  });

  const base = () => ({ version: 1, admins: [], secrets: {} as Record<string, unknown> });
  const withEntry = (over: Record<string, unknown>) => ({
    ...base(),
    secrets: { "app/x": { ...entry(), ...over } },
  });

  it.each<[string, unknown, string]>([
    ["not JSON", "{", "not JSON"],
    ["an array", [], "not an object"],
    ["null", null, "not an object"],
    ["no version", { admins: [], secrets: {} }, "no version"],
    ["a string version", { ...base(), version: "1" }, "no version"],
    ["admins not a list", { ...base(), admins: "age1" }, "admins"],
    ["admins with a number", { ...base(), admins: [1] }, "admins"],
    ["no secrets", { version: 1, admins: [] }, "secrets"],
    ["secrets null", { ...base(), secrets: null }, "secrets"],
    ["hosts a list", { ...base(), hosts: [] }, "hosts"],
    ["hosts with a string key list", { ...base(), hosts: { web01: "age1" } }, "hosts"],
    ["hosts with a number key", { ...base(), hosts: { web01: [1] } }, "hosts"],
    ["an entry that is a string", { ...base(), secrets: { "app/x": "x" } }, 'entry "app/x"'],
    ["an entry that is null", { ...base(), secrets: { "app/x": null } }, 'entry "app/x"'],
    ["an unknown generator", withEntry({ generator: "dice" }), 'entry "app/x": generator'],
    ["no generator", withEntry({ generator: undefined }), 'entry "app/x": generator'],
    ["no declarationHash", withEntry({ declarationHash: 1 }), 'entry "app/x": declarationHash'],
    ["recipients a string", withEntry({ recipients: "age1" }), 'entry "app/x": recipients'],
    ["recipients with a number", withEntry({ recipients: [1] }), 'entry "app/x": recipients'],
    ["data a number", withEntry({ data: 1 }), 'entry "app/x": data'],
    ["entropy a number", withEntry({ entropy: 1 }), 'entry "app/x": entropy'],
    ["admins a string", withEntry({ admins: "age1" }), 'entry "app/x": admins'],
    ["dependencies missing", withEntry({ dependencies: undefined }), 'entry "app/x": dependencies'],
    [
      "dependencies of numbers",
      withEntry({ dependencies: { a: 1 } }),
      'entry "app/x": dependencies',
    ],
    ["public missing", withEntry({ public: undefined }), 'entry "app/x": public'],
    ["public of numbers", withEntry({ public: { "x.pub": 1 } }), 'entry "app/x": public'],
  ])("%s: corrupt, naming it", (_, doc, what) => {
    const text = typeof doc === "string" ? doc : JSON.stringify(doc);
    let error: unknown;
    try {
      parseManifest(text, PATH);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SecretgenError);
    expect((error as SecretgenError).message).toBe(`${PATH} is corrupt (${what})`);
    expect((error as SecretgenError).hint).toMatch(/restore it from git/);
  });

  it("a newer version is an error asking for an upgrade, not a corrupt file", () => {
    expect(() =>
      parseManifest(JSON.stringify({ ...base(), version: MANIFEST_VERSION + 1 }), PATH),
    ).toThrow(`${PATH} was written by a newer secretgen (version ${MANIFEST_VERSION + 1})`);
  });
});

describe("loadManifest", () => {
  const tree = (files: Record<string, string>) => {
    const root = mkdtempSync(join(tmpdir(), "sg-manifest-"));
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(root, rel, ".."), { recursive: true });
      writeFileSync(join(root, rel), text);
    }
    return { root, layout: { secretsDir: root, manifestFile: join(root, "manifest.json") } };
  };

  it("missing: empty, with a warning only when there are data files to rebuild it from", () => {
    const empty = tree({});
    const warnings: Warning[] = [];
    expect(loadManifest(empty.layout, warnings)).toEqual(emptyManifest());
    expect(warnings).toEqual([]);
    const withData = tree({ "data/a.age": "x" });
    expect(loadManifest(withData.layout, warnings)).toEqual(emptyManifest());
    expect(warnings).toEqual([
      { message: "secrets/manifest.json is missing; it is rebuilt from the files" },
    ]);
    rmSync(empty.root, { recursive: true });
    rmSync(withData.root, { recursive: true });
  });

  it("present: parsed; corrupt: an error naming secrets/manifest.json", () => {
    const good = tree({ "manifest.json": serializeManifest(sample()) });
    expect(serializeManifest(loadManifest(good.layout, []))).toBe(serializeManifest(sample()));
    const bad = tree({ "manifest.json": "[]" });
    expect(() => loadManifest(bad.layout, [])).toThrow(
      "secrets/manifest.json is corrupt (not an object)",
    );
    rmSync(good.root, { recursive: true });
    rmSync(bad.root, { recursive: true });
  });
});

describe("sameList and sha256Hex", () => {
  it("sameList compares in order", () => {
    expect(sameList(["a", "b"], ["a", "b"])).toBe(true);
    expect(sameList(["a", "b"], ["b", "a"])).toBe(false);
    expect(sameList(["a"], ["a", "b"])).toBe(false);
    expect(sameList([], [])).toBe(true);
  });

  it("sha256Hex: the known answer for abc, bytes and text alike", () => {
    const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    expect(sha256Hex("abc")).toBe(abc);
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe(abc);
  });
});
