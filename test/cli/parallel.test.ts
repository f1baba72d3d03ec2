/**
 * Parallelism never touches determinism: each secret has its own entropy stream, so the thread
 * that renders it and the order of renders cannot change a value.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ROOT, TestRepo, changedFiles, decls } from "../helpers/repo.js";
import type * as RunModule from "../../src/engine/run.js";
import type * as AgeModule from "../../src/age/index.js";
import type * as LoadModule from "../../src/declarations/load.js";
import type * as LayoutModule from "../../src/store/layout.js";
import type * as EngineModule from "../../src/engine/index.js";

/** 250 secrets (over the worker threshold): randoms, templates with bcrypt reading them, JSON. */
function big() {
  const secrets: Record<string, unknown> = {};
  for (let i = 0; i < 150; i++)
    secrets[`pw/${i}`] = { hosts: ["web01"], random: { length: 12 + (i % 5) } };
  for (let i = 0; i < 60; i++) {
    secrets[`tpl/${i}`] = {
      hosts: ["web01"],
      template: { content: `u${i}:{{bcrypt (secret "pw/${i}") 4}} {{random 6 charset="hex"}}` },
    };
  }
  for (let i = 0; i < 40; i++) {
    secrets[`json/${i}`] = {
      hosts: ["db01"],
      json: {
        content: {
          b: { __secretgen: "secret", args: [`tpl/${i}`] },
          a: { __secretgen: "random", args: [8] },
        },
      },
    };
  }
  return decls(secrets);
}

// The built modules: worker threads run dist/engine/worker.js.
const dist = (p: string) => join(ROOT, "dist", p);

describeWithTools(["age"], "--jobs", () => {
  let repo: TestRepo;
  beforeAll(() => {
    repo = new TestRepo(big());
    const r = repo.run(["generate", "--jobs", "2"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/created 250/);
  });
  afterAll(() => {
    repo.cleanup();
  });

  it("a tree made with 2 workers replays unchanged with --jobs 1 and --jobs 2", () => {
    const before = repo.snapshot();
    for (const jobs of ["1", "2", "1"]) {
      const r = repo.run(["generate", "--jobs", jobs]);
      expect(r.stdout.trim()).toBe("unchanged 250");
      expect(repo.run(["check", "--jobs", jobs]).code).toBe(0);
    }
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });
});

/** After a run: every data and entropy plaintext, and the manifest without ciphertext hashes. */
interface State {
  data: Map<string, string>;
  entropy: Map<string, string>;
  manifest: unknown;
}

/** The manifest with every ciphertext hash (data, entropy, dependencies' values) blanked. */
function withoutHashes(text: string): unknown {
  const m = JSON.parse(text) as { secrets: Record<string, Record<string, unknown>> };
  for (const entry of Object.values(m.secrets)) {
    expect(entry.data).toMatch(/^[0-9a-f]{64}$/);
    delete entry.data;
    delete entry.entropy;
    const deps = entry.dependencies as Record<string, string>;
    for (const k of Object.keys(deps)) deps[k] = "-";
  }
  return m;
}

/** The first admin plus one more: every data and entropy file gets a new recipient. */
function withSecondAdmin(d: ReturnType<typeof big>) {
  const extra = readFileSync(join(ROOT, "test/fixtures/age/x25519.pub"), "utf8").trim();
  return { ...d, admins: [...d.admins, extra] };
}

/** db01 added to the 60 templates (the json secrets are on db01 already). */
function withDb01(d: ReturnType<typeof big>) {
  const secrets = { ...d.secrets } as Record<string, { hosts: string[] }>;
  for (const [name, s] of Object.entries(secrets))
    if (name.startsWith("tpl/")) secrets[name] = { ...s, hosts: ["web01", "db01"] };
  return { ...d, secrets };
}

/**
 * How a run's threads are chosen: `--jobs 1`, `--jobs 2` (a pool of 2 from 0 secrets on), or
 * the default with the entropy files decrypted early (as the CLI does): the pool for the first
 * generation, and for the rekeys this thread and the early worker sharing the encryption.
 */
const THREADS = [{ jobs: 1 }, { jobs: 2 }, { early: true }] as const;

describe("seeded runs with 1 and 2 workers, and with the early worker: first generation, then both rekeys", () => {
  it("give identical plaintexts, records (bcrypt memo entries) and manifests but for hashes", async () => {
    const { run } = (await import(dist("engine/run.js"))) as typeof RunModule;
    const { startEarlyDecrypt } = (await import(dist("engine/index.js"))) as typeof EngineModule;
    const age = (await import(dist("age/index.js"))) as typeof AgeModule;
    const { loadDeclarations } = (await import(dist("declarations/load.js"))) as typeof LoadModule;
    const { Layout } = (await import(dist("store/layout.js"))) as typeof LayoutModule;
    const stages = [
      { decls: big(), summary: { created: 250 } },
      { decls: withDb01(big()), summary: { rekeyed: 60, unchanged: 190 } },
      { decls: withSecondAdmin(withDb01(big())), summary: { rekeyed: 250 } },
    ];
    const states: State[][] = [];
    let encryptedEarly = 0;
    for (const threads of THREADS) {
      const repo = new TestRepo(big());
      const mine: State[] = [];
      try {
        const layout = new Layout(repo.root);
        const { identities } = await age.loadIdentityFile(repo.adminKey, {
          passphrase: () => Promise.reject(new Error("none")),
        });
        for (const stage of stages) {
          repo.declare(stage.decls);
          const decl = await loadDeclarations({ layout, cwd: repo.root });
          const early =
            "early" in threads
              ? await startEarlyDecrypt(
                  layout.entropyNames().map((n) => layout.entropyFile(n)),
                  identities,
                )
              : undefined;
          // Counts the files the early worker was handed to encrypt.
          const counted =
            early &&
            new Proxy(early, {
              get(target, key) {
                if (key === "encrypt")
                  return (...args: Parameters<typeof early.encrypt>) => {
                    encryptedEarly++;
                    return target.encrypt(...args);
                  };
                const v: unknown = Reflect.get(target, key, target);
                return typeof v === "function" ? (v as () => unknown).bind(target) : v;
              },
            });
          const report = await run({
            decls: decl,
            layout,
            identities,
            mode: "generate",
            ...("jobs" in threads ? { jobs: threads.jobs, workerThreshold: 0 } : {}),
            early: counted,
            seed: "determinism",
          }).finally(() => early?.close());
          expect(report.exitCode).toBe(0);
          const counts: Record<string, number> = {};
          for (const r of report.secrets) counts[r.state] = (counts[r.state] ?? 0) + 1;
          expect(counts).toEqual(stage.summary);
          const state: State = {
            data: new Map(),
            entropy: new Map(),
            manifest: withoutHashes(readFileSync(layout.manifestFile, "utf8")),
          };
          for (const name of decl.secrets.keys()) {
            const open = async (file: string) =>
              Buffer.from(
                await age.decrypt(new Uint8Array(readFileSync(file)), identities),
              ).toString("base64");
            state.data.set(name, await open(layout.dataFile(name)));
            state.entropy.set(name, await open(layout.entropyFile(name)));
          }
          mine.push(state);
        }
        states.push(mine);
      } finally {
        repo.cleanup();
      }
    }
    const [one, two, byDefault] = states;
    expect(one).toHaveLength(3);
    expect(two).toEqual(one);
    expect(byDefault).toEqual(one);
    // The rekeys shared their encryption with the early worker (60 + 500 files written).
    expect(encryptedEarly).toBeGreaterThan(0);
    const first = one?.[0];
    expect(first?.data.size).toBe(250);
    // the seed really drives the values: a template's salt is not constant
    expect(new Set(first?.data.values()).size).toBe(250);
    // the records hold the bcrypt memo entries
    const records = [...(first?.entropy.values() ?? [])].map((b) =>
      Buffer.from(b, "base64").toString(),
    );
    expect(records.filter((r) => r.includes('"bcrypt:')).length).toBe(60);
    // rekeys change no value
    expect(one?.[2]?.data).toEqual(first?.data);
    expect(one?.[2]?.entropy).toEqual(first?.entropy);
  });
});
