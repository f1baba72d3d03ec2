/**
 * Crash repair without churn. A run over 40 secrets regenerates half of them (a changed length)
 * and rekeys the other half (a host added). For every k from 1 to the number of files that run
 * writes, the run is killed right after its k-th write (the test-only hook
 * SECRETGEN_TEST_CRASH_AFTER_WRITES), then `generate` repairs. The repair must write exactly the
 * files the killed run had not written yet, keep every file the killed run wrote byte for byte,
 * and leave a tree that `check` (with the key and offline) finds clean and the real `age`
 * decrypts with each host's key.
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, rmSync } from "node:fs";
import { basename } from "node:path";
import { isTempFileName } from "../../src/store/index.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithTools } from "./tools.js";
import { TestRepo, changedFiles, decls, privateKey } from "./repo.js";

const N = 40;
const id = (i: number) => `s/${String(i).padStart(2, "0")}`;
function declarations(changed: boolean) {
  const secrets: Record<string, unknown> = {};
  for (let i = 0; i < N; i++) {
    const half = i < N / 2;
    secrets[id(i)] = {
      hosts: changed && !half ? ["web01", "db01"] : ["web01"],
      random: { length: changed && half ? 17 : 16 },
    };
  }
  return decls(secrets);
}

/** Files a run writes that describe the run rather than a secret. */
const BOOKKEEPING = /secrets\/(manifest\.json|\.secretgen\.journal|\.gitignore)$/;
const JOURNAL = "secrets/.secretgen.journal";
const secretFiles = (files: string[]) => files.filter((f) => !BOOKKEEPING.test(f));
/**
 * Files a run may change besides the tree's own: the declarations, the lock a killed run left,
 * the temporary files it had written ahead (swept by the next run).
 */
const notWritten = (f: string) =>
  !/secrets\/(secrets\.json|\.secretgen\.lock)$/.test(f) && !isTempFileName(basename(f));

let repo: TestRepo;
let pristine: string;
let fullRun: string[];
let writes: number;
let hostKeys: { web01: string; db01: string };

function reset(): void {
  rmSync(repo.path("secrets"), { recursive: true });
  cpSync(pristine, repo.path("secrets"), { recursive: true });
  repo.declare(declarations(true));
}

/** Decrypt every data file with the real age and each of its hosts' keys: name → value. */
function decryptAll(): Map<string, string> {
  const script = [...Array(N).keys()]
    .flatMap((i) => {
      const file = repo.path(`secrets/data/${id(i)}.age`);
      const keys = i < N / 2 ? [hostKeys.web01] : [hostKeys.web01, hostKeys.db01];
      return keys.map((k) => `printf '%s ' ${id(i)}; age -d -i ${k} ${file}; echo`);
    })
    .join("\n");
  const out = execFileSync("bash", ["-euo", "pipefail", "-c", script]).toString();
  const values = new Map<string, string>();
  for (const line of out.trim().split("\n")) {
    const [name, value] = line.split(" ");
    if (name === undefined || value === undefined) throw new Error(`bad line ${line}`);
    const seen = values.get(name);
    if (seen !== undefined && seen !== value) throw new Error(`${name}: hosts disagree`);
    values.set(name, value);
  }
  return values;
}

/** The crash-repair table for the kill points `ks` (split across files to use both cores). */
export function crashRepairSuite(which: (k: number) => boolean): void {
  describeWithTools(["age"], "crash repair without churn", () => {
    let original: Map<string, string>;
    beforeAll(() => {
      repo = new TestRepo(declarations(false));
      hostKeys = {
        web01: privateKey("web01_ssh_host_ed25519_key", repo.keysDir),
        db01: privateKey("db01_ssh_host_rsa_key", repo.keysDir),
      };
      expect(repo.run(["generate"]).code).toBe(0);
      pristine = repo.path("pristine");
      cpSync(repo.path("secrets"), pristine, { recursive: true });
      // The original values, read with web01's key before any host is added.
      original = new Map(
        [...Array(N).keys()].map((i) => [
          id(i),
          execFileSync("age", [
            "-d",
            "-i",
            hostKeys.web01,
            repo.path(`secrets/data/${id(i)}.age`),
          ]).toString(),
        ]),
      );
      // One run that is not killed: what it writes, and how many writes that is.
      reset();
      const start = repo.snapshot();
      expect(repo.run(["generate"]).code).toBe(0);
      fullRun = changedFiles(start, repo.snapshot()).filter(notWritten);
      expect(secretFiles(fullRun)).toHaveLength(N + N / 2); // entropy + data, or data only
      writes = fullRun.length + 1; // the journal too, removed at the end
    }, 120_000);
    afterAll(() => {
      repo.cleanup();
    });

    it("writes what the run writes, in a known count", () => {
      expect(writes).toBe(N + N / 2 + 2); // the journal, the files, the manifest
      expect(existsSync(repo.path(JOURNAL))).toBe(false);
    });

    it.for([...Array(N + N / 2 + 2).keys()].map((k) => k + 1).filter(which))(
      "killed after %i writes: the repair writes only what the killed run had not",
      { timeout: 60_000 },
      (k) => {
        reset();
        const start = repo.snapshot();
        const killed = repo.run(["generate"], {
          env: { SECRETGEN_TEST_CRASH_AFTER_WRITES: String(k) },
        });
        expect(killed.code).toBe(-1); // killed by the signal
        const afterKill = repo.snapshot();
        const written = changedFiles(start, afterKill).filter(notWritten);
        expect(written).toHaveLength(k);
        expect(existsSync(repo.path(JOURNAL))).toBe(true);

        const repair = repo.run(["generate"]);
        expect(repair.stderr).not.toMatch(/error/);
        expect(repair.code).toBe(0);
        const afterRepair = repo.snapshot();
        const rewritten = changedFiles(afterKill, afterRepair).filter(notWritten);
        expect(secretFiles(rewritten)).toEqual(
          secretFiles(fullRun).filter((f) => !written.includes(f)),
        );
        for (const f of secretFiles(written))
          expect(afterRepair.get(f)?.bytes, `${f} kept as the killed run wrote it`).toBe(
            afterKill.get(f)?.bytes,
          );
        expect(existsSync(repo.path(JOURNAL))).toBe(false);

        expect(repo.run(["check"]).code).toBe(0);
        expect(repo.run(["check", "--offline"], { identity: false }).code).toBe(0);
        const values = decryptAll();
        for (let i = 0; i < N; i++) {
          const v = values.get(id(i)) ?? "";
          // Regenerated values are the killed run's where it wrote them: their files are kept.
          if (i < N / 2) expect(v).toHaveLength(17);
          else expect(v, `${id(i)} keeps its value`).toBe(original.get(id(i)));
        }
      },
    );
  });
}
