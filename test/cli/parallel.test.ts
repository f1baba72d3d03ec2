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

describe("seeded renders with 1 and 2 workers", () => {
  it("give identical plaintexts for every secret", async () => {
    const { run } = (await import(dist("engine/run.js"))) as typeof RunModule;
    const age = (await import(dist("age/index.js"))) as typeof AgeModule;
    const { loadDeclarations } = (await import(dist("declarations/load.js"))) as typeof LoadModule;
    const { Layout } = (await import(dist("store/layout.js"))) as typeof LayoutModule;
    const plaintexts: Map<string, string>[] = [];
    for (const jobs of [1, 2]) {
      const repo = new TestRepo(big());
      try {
        const layout = new Layout(repo.root);
        const decl = await loadDeclarations({ layout, cwd: repo.root });
        const { identities } = await age.loadIdentityFile(repo.adminKey, {
          passphrase: () => Promise.reject(new Error("none")),
        });
        const report = await run({
          decls: decl,
          layout,
          identities,
          mode: "generate",
          jobs,
          workerThreshold: 0,
          seed: "determinism",
        });
        expect(report.exitCode).toBe(0);
        const values = new Map<string, string>();
        for (const name of decl.secrets.keys()) {
          const value = await age.decrypt(
            new Uint8Array(readFileSync(layout.dataFile(name))),
            identities,
          );
          values.set(name, Buffer.from(value).toString("base64"));
        }
        plaintexts.push(values);
      } finally {
        repo.cleanup();
      }
    }
    const [one, two] = plaintexts;
    expect(one?.size).toBe(250);
    expect(two).toEqual(one);
    // and the seed really drives the values: a template's salt is not constant
    expect(new Set([...(one?.values() ?? [])]).size).toBe(250);
  });
});
