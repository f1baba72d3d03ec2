#!/usr/bin/env node
// Runs vitest, then prints the plain closing line `N passed, N failed, N skipped` computed from
// its JSON report (vitest prints no such line itself). Exits with vitest's status, and non-zero
// when a file failed to load or no test ran at all.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "secretgen-vitest-"));
const out = join(dir, "report.json");
const args = ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`];
const run = spawnSync("npx", [...args, ...process.argv.slice(2)], { stdio: "inherit" });

let report;
try {
  report = JSON.parse(readFileSync(out, "utf8"));
} catch {
  console.error("test: vitest wrote no JSON report");
  process.exit(run.status || 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const failedFiles = report.testResults.filter(
  (f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed"),
).length;
const passed = report.numPassedTests;
const failed = report.numFailedTests + failedFiles;
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
let status = run.status ?? 1;
if (failed > 0 || passed === 0) status = status || 1;
process.exit(status);
