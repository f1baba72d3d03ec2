/**
 * Crash safety: a generate that changes about half of a 300-secret tree is SIGKILLed at several
 * moments while it writes (the test-only hook SECRETGEN_TEST_CRASH_AFTER_WRITES kills the process
 * right after its k-th file rename, so each kill provably lands mid-write). After each kill,
 * `generate` then `check` succeed and every secret not meant to change keeps its old value.
 */
import { cpSync, readFileSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { decrypt, loadIdentityFile, type Identity } from "../../src/age/index.js";
import { isTempFileName } from "../../src/store/atomic.js";
import { describeWithTools } from "../helpers/tools.js";
import { TestRepo, changedFiles, decls } from "../helpers/repo.js";

const N = 240; // random secrets; plus 60 templates reading the first 60 → 300 secrets
function declarations(changed: boolean) {
  const secrets: Record<string, unknown> = {};
  for (let i = 0; i < N; i++) {
    const id = String(i).padStart(3, "0");
    secrets[`s/${id}`] = { hosts: ["web01"], random: { length: changed && i < 120 ? 17 : 16 } };
  }
  for (let i = 0; i < 60; i++) {
    const id = String(i).padStart(3, "0");
    secrets[`t/${id}`] = { hosts: ["web01"], template: { content: `v={{secret "s/${id}"}}` } };
  }
  return decls(secrets);
}
const meantToChange = (name: string) => Number(name.slice(2)) < (name.startsWith("s/") ? 120 : 60);

let repo: TestRepo;
let pristine: string;
let identities: Identity[];
let before: Map<string, Buffer>;

async function values(): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of Object.keys(declarations(false).secrets)) {
    const value = await decrypt(
      new Uint8Array(readFileSync(repo.path(`secrets/data/${name}.age`))),
      identities,
    );
    out.set(name, Buffer.from(value));
  }
  return out;
}

describeWithTools(["age"], "crash safety", () => {
  beforeAll(async () => {
    repo = new TestRepo(declarations(false));
    expect(repo.run(["generate"]).code).toBe(0);
    pristine = repo.path("pristine");
    cpSync(repo.path("secrets"), pristine, { recursive: true });
    identities = (
      await loadIdentityFile(repo.adminKey, { passphrase: () => Promise.reject(new Error("none")) })
    ).identities;
    before = await values();
  }, 120_000);
  afterAll(() => {
    repo.cleanup();
  });

  it.for([1, 2, 101, 250, 359])(
    "killed after %i writes: the next generate repairs, check passes, unchanged secrets keep their values",
    { timeout: 120_000 },
    async (k) => {
      rmSync(repo.path("secrets"), { recursive: true });
      cpSync(pristine, repo.path("secrets"), { recursive: true });
      repo.declare(declarations(true));
      const start = repo.snapshot();
      const killed = repo.run(["generate"], {
        env: { SECRETGEN_TEST_CRASH_AFTER_WRITES: String(k) },
      });
      expect(killed.code).toBe(-1); // killed by a signal
      // Files are written ahead as temporary files (swept by the next run) and renamed in order.
      const written = changedFiles(start, repo.snapshot()).filter(
        (f) => !/secrets\.json$|\.secretgen\.lock$/.test(f) && !isTempFileName(basename(f)),
      );
      expect(written.length).toBe(k); // exactly k files were replaced before the kill
      const repair = repo.run(["generate"]);
      expect(repair.stderr).not.toMatch(/error/);
      expect(repair.code).toBe(0);
      expect(repo.run(["check"]).code).toBe(0);
      expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
      const after = await values();
      for (const [name, value] of before) {
        if (meantToChange(name)) {
          if (name.startsWith("s/")) expect(after.get(name)?.length, name).toBe(17);
        } else {
          expect(after.get(name)?.equals(value), name).toBe(true);
        }
      }
      for (let i = 0; i < 60; i++) {
        const id = String(i).padStart(3, "0");
        expect(after.get(`t/${id}`)?.toString()).toBe(
          `v=${after.get(`s/${id}`)?.toString() ?? ""}`,
        );
      }
    },
  );
});
