/**
 * Pruning (engine/prune.ts): which files go, in which order (public, data, entropy: the reverse
 * of how they are made), the directories left empty, and the manifest written once, without
 * the pruned entries, after every removal.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { bech32Encode } from "../../src/age/bech32.js";
import { validateDeclarations } from "../../src/declarations/index.js";
import { writeManifest } from "../../src/engine/write/index.js";
import { executePrune, planPrune } from "../../src/engine/prune.js";
import { Layout } from "../../src/store/layout.js";
import type { ManifestEntry } from "../../src/store/manifest.js";
import type { OrderedOp } from "../../src/store/ordered-writes.js";

const ADMIN = bech32Encode("age", new Uint8Array(32).fill(1));
const decls = validateDeclarations(
  { admins: [ADMIN], hosts: {}, secrets: { kept: { hosts: [], random: {} } } },
  { readTemplate: () => undefined },
);

const entry = (generator: ManifestEntry["generator"]): ManifestEntry => ({
  generator,
  declarationHash: "d".repeat(64),
  recipients: [],
  dependencies: {},
  public: {},
  data: "a".repeat(64),
  entropy: "e".repeat(64),
  admins: [ADMIN],
});

let root: string;
let layout: Layout;
const put = (path: string) => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, "x");
};
const rel = (ops: OrderedOp[]) =>
  ops.map((op) => ("remove" in op ? relative(layout.secretsDir, op.remove) : "a write"));

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), "sg-prune-"));
  mkdirSync(join(root, "secrets"));
  layout = new Layout(root);
  for (const name of ["kept", "old/wg", "old/pw"]) {
    put(layout.dataFile(name));
    put(layout.entropyFile(name));
  }
  put(layout.publicFile("old/wg"));
  put(join(layout.publicDir("web"), "certs", "ca.pem"));
  put(join(layout.publicDir("web"), "a.conf"));
  await writeManifest(layout, {
    admins: [ADMIN],
    secrets: new Map([
      ["kept", entry("random")],
      ["old/wg", entry("wireguard")],
      ["old/pw", entry("random")],
      ["gone", entry("random")], // its files are gone already: a manifest entry only
    ]),
  });
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("planPrune", () => {
  it("names the undeclared secrets and removes public, then data, then entropy files", () => {
    const plan = planPrune(decls, layout);
    expect(plan.names).toEqual(["gone", "old/pw", "old/wg", "web"]);
    expect(plan.phases.map(rel)).toEqual([
      ["public/old/wg.pub", "public/web.d/a.conf", "public/web.d/certs/ca.pem"],
      ["data/old/pw.age", "data/old/wg.age"],
      ["entropy/old/pw.age", "entropy/old/wg.age"],
    ]);
    expect([...plan.manifest.secrets.keys()]).toEqual(["kept"]);
  });

  it("keeps what a declared secret named NAME.d/… has in the orphan NAME's public directory", () => {
    // web is undeclared; web.d/tls and web.d/sub/app are declared (allowed now that web is not).
    const inside = validateDeclarations(
      {
        admins: [ADMIN],
        hosts: {},
        secrets: {
          kept: { hosts: [], random: {} },
          "web.d/tls": { hosts: [], "ssh-ed25519": {} },
          "web.d/sub/app": { hosts: [], script: { script: "echo x" } },
        },
      },
      { readTemplate: () => undefined },
    );
    put(layout.publicFile("web.d/tls"));
    put(join(layout.publicDir("web.d/sub/app"), "cert.pem"));
    const plan = planPrune(inside, layout);
    expect(plan.names).toContain("web");
    expect(
      plan.phases[0].map((op) => ("remove" in op ? relative(layout.secretsDir, op.remove) : "")),
    ).toEqual(["public/old/wg.pub", "public/web.d/a.conf", "public/web.d/certs/ca.pem"]);
  });

  it("writes nothing", () => {
    const before = readFileSync(layout.manifestFile, "utf8");
    planPrune(decls, layout);
    expect(readFileSync(layout.manifestFile, "utf8")).toBe(before);
    expect(existsSync(layout.dataFile("old/pw"))).toBe(true);
  });
});

describe("executePrune", () => {
  it("removes the files and the directories left empty, then writes the manifest", async () => {
    await executePrune(layout, planPrune(decls, layout));
    expect(existsSync(join(layout.dataDir, "old"))).toBe(false);
    expect(existsSync(join(layout.entropyDir, "old"))).toBe(false);
    expect(existsSync(layout.publicRoot)).toBe(false);
    expect(existsSync(layout.dataFile("kept"))).toBe(true);
    expect(readFileSync(layout.manifestFile, "utf8")).not.toMatch(/"(gone|old\/pw|old\/wg)"/);
    expect(readFileSync(layout.manifestFile, "utf8")).toMatch(/"kept"/);
    expect(planPrune(decls, layout).names).toEqual([]);
  });

  it("finishes what a killed prune left: a manifest entry, some files, empty directories", async () => {
    // A prune killed after the public and data phases: data/old/ is empty, entropy files left.
    rmSync(layout.publicRoot, { recursive: true });
    rmSync(layout.dataFile("old/pw"));
    rmSync(layout.dataFile("old/wg"));
    const plan = planPrune(decls, layout);
    expect(plan.phases.map(rel)).toEqual([[], [], ["entropy/old/pw.age", "entropy/old/wg.age"]]);
    await executePrune(layout, plan);
    expect(existsSync(join(layout.dataDir, "old"))).toBe(false);
    expect(existsSync(join(layout.entropyDir, "old"))).toBe(false);
    expect(existsSync(layout.dataDir)).toBe(true); // kept's directory
    expect(planPrune(decls, layout).names).toEqual([]);
  });

  it("does nothing, not even write the manifest, when nothing is undeclared", async () => {
    const only = validateDeclarations(
      { admins: [ADMIN], hosts: {}, secrets: { kept: { hosts: [], random: {} } } },
      { readTemplate: () => undefined },
    );
    rmSync(layout.secretsDir, { recursive: true });
    mkdirSync(layout.secretsDir);
    put(layout.dataFile("kept"));
    const plan = planPrune(only, layout);
    expect(plan.names).toEqual([]);
    await executePrune(layout, plan);
    expect(existsSync(layout.manifestFile)).toBe(false);
  });
});
