/**
 * `set` is one run: the value is an input of the generate run that writes it and its readers,
 * so manifest.json is written once (and the journal once), and every file once. The writes are
 * counted through the store's atomic write layer, wrapped here; the command runs in-process.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Output } from "../../../src/cli/output.js";
import { Session } from "../../../src/cli/session.js";
import set from "../../../src/cli/commands/set.js";
import { TestRepo, decls } from "../../helpers/repo.js";

/** Paths renamed into place, in order, by writeFileAtomic or a prepared file's commit. */
const written = vi.hoisted(() => [] as string[]);

vi.mock("../../../src/store/atomic.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../../src/store/atomic.js")>();
  return {
    ...real,
    writeFileAtomic: async (...args: Parameters<typeof real.writeFileAtomic>) => {
      await real.writeFileAtomic(...args);
      written.push(args[0]);
    },
    prepareFileAtomic: async (...args: Parameters<typeof real.prepareFileAtomic>) => {
      const file = await real.prepareFileAtomic(...args);
      return {
        discard: () => file.discard(),
        commit: async (syncDirectory?: boolean) => {
          await file.commit(syncDirectory);
          written.push(args[0]);
        },
      };
    },
  };
});

let repo: TestRepo;
let lines: string[];
const output: Output = {
  color: false,
  out: (l) => lines.push(`out: ${l}`),
  raw: () => undefined,
  error: (m) => lines.push(`error: ${m}`),
  warning: (w) => lines.push(`warning: ${typeof w === "string" ? w : w.message}`),
  hint: (m) => lines.push(`hint: ${m}`),
  info: (m) => lines.push(`info: ${m}`),
  verbose: () => undefined,
  fail: (e) => lines.push(`fail: ${String(e)}`),
};

/** Run `secretgen set token --value-file FILE` in-process; the paths written, relative. */
async function setToken(value: string): Promise<{ code: number; written: string[] }> {
  repo.write("value.txt", value);
  written.length = 0;
  lines = [];
  const session = new Session(
    { identity: [repo.adminKey], jobs: 1, quiet: true },
    output,
    repo.root,
  );
  const code = await set(session, "token", undefined, { valueFile: repo.path("value.txt") });
  return { code, written: written.map((p) => p.slice(repo.root.length + 1)) };
}

const count = (paths: string[], path: string) => paths.filter((p) => p === path).length;

describe("set writes the manifest once", () => {
  beforeEach(() => {
    repo = new TestRepo(
      decls({
        token: { hosts: ["web01"], manual: {} },
        env: { hosts: ["web01"], template: { content: 'TOKEN={{secret "token"}}' } },
        other: { hosts: ["web01"], random: {} },
      }),
    );
  });
  afterEach(() => {
    repo.cleanup();
  });

  it("the first value: its file and its reader's, the journal, then the manifest, once each", async () => {
    const r = await setToken("s3cret");
    expect(r.code).toBe(0);
    expect(count(r.written, "secrets/manifest.json")).toBe(1);
    expect(r.written.at(-1)).toBe("secrets/manifest.json");
    // Only token and its reader (`other` is not in scope); the git files are set up first.
    expect(r.written.filter((p) => !/\/\.git/.test(p))).toEqual([
      "secrets/.secretgen.journal",
      "secrets/entropy/token.age",
      "secrets/entropy/env.age",
      "secrets/data/token.age",
      "secrets/data/env.age",
      "secrets/manifest.json",
    ]);
    expect(readFileSync(repo.path("secrets/manifest.json"), "utf8")).toMatch(/"token"/);
  });

  it("a new value: once again; the same value: nothing at all", async () => {
    await setToken("s3cret");
    const again = await setToken("changed");
    expect(again.code).toBe(0);
    expect(count(again.written, "secrets/manifest.json")).toBe(1);
    expect(new Set(again.written).size).toBe(again.written.length);
    expect(again.written).toContain("secrets/data/token.age");
    expect(again.written).toContain("secrets/data/env.age");
    const same = await setToken("changed");
    expect(same.code).toBe(0);
    expect(same.written).toEqual([]);
    expect(lines).toContain("info: token already has this value; nothing was written");
  });
});
