/**
 * Entropy files decrypted early (cli/early-decrypt.ts, engine/exec/early-decrypt.ts): with 300
 * entropy files and no --jobs, check and generate start a worker that decrypts them while the
 * declarations load, and what they report is exactly what --jobs 1 (this thread alone)
 * reports: unchanged trees stay byte for byte, and a corrupt entropy file is the same error
 * naming the same secret.
 */
import { availableParallelism } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BundleTrace } from "../helpers/bundle-trace.js";
import { TestRepo, changedFiles, decls } from "../helpers/repo.js";

const N = 300;
const trace = new BundleTrace();

let repo: TestRepo;
beforeAll(() => {
  const secrets: Record<string, unknown> = {};
  for (let i = 0; i < N; i++)
    secrets[`svc/pw-${String(i).padStart(3, "0")}`] = { hosts: ["web01"], random: { length: 16 } };
  repo = new TestRepo(decls(secrets));
  const r = repo.run(["generate"]);
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => {
  repo.cleanup();
  trace.cleanup();
});

/** Run the CLI, and say whether it loaded the early decryption. */
function traced(args: string[]) {
  trace.reset();
  const r = repo.run(args, { env: trace.env });
  return { ...r, early: trace.loaded(["engine/exec/early-decrypt.js"]).length === 1 };
}

describe("early decryption", () => {
  it(`starts for ${String(N)} entropy files without --jobs (on 2+ cores), never with --jobs`, () => {
    const cores = availableParallelism();
    if (cores < 2) console.warn("early decryption: one core here, so it is never started");
    const before = repo.snapshot();
    for (const cmd of [["check"], ["generate"]]) {
      const byDefault = traced(cmd);
      const alone = traced([...cmd, "--jobs", "1"]);
      expect(byDefault.code, byDefault.stderr).toBe(0);
      expect(byDefault.early).toBe(cores >= 2);
      expect(alone.early).toBe(false);
      expect(byDefault.stdout).toBe(alone.stdout);
      expect(byDefault.stdout.trim()).toBe(`unchanged ${String(N)}`);
      expect(traced([...cmd, "--jobs", "2"]).early).toBe(false);
    }
    expect(changedFiles(before, repo.snapshot())).toEqual([]);
  });

  it("a corrupt entropy file is the same error, naming the same secret, as on one thread", () => {
    const rel = "secrets/entropy/svc/pw-150.age";
    const good = repo.read(rel);
    const bad = Buffer.from(good);
    bad.writeUInt8(bad.readUInt8(bad.length - 5) ^ 0x40, bad.length - 5);
    repo.write(rel, bad);
    try {
      const byDefault = traced(["check"]);
      const alone = traced(["check", "--jobs", "1"]);
      expect(byDefault.code).toBe(3);
      expect(byDefault.stderr).toContain("svc/pw-150");
      expect(byDefault.stderr).toBe(alone.stderr);
      expect(byDefault.stdout).toBe(alone.stdout);
    } finally {
      repo.write(rel, good);
    }
  });
});
