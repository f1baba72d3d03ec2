import { describe, expect, it } from "vitest";
import { runtimeError } from "../../src/errors.js";
import type { RunReport } from "../../src/engine/plan/index.js";
import type { Output } from "../../src/cli/output.js";
import { JSON_SCHEMA, printReport, printTable, reportJson } from "../../src/cli/report.js";

/** An Output that records what each stream got. */
function recorder() {
  const lines: string[] = [];
  const o = {
    color: false,
    out: (l: string) => lines.push(`out ${l}`),
    raw: () => undefined,
    error: (m: string) => lines.push(`error ${m}`),
    warning: (w: unknown) => lines.push(`warning ${typeof w === "string" ? w : JSON.stringify(w)}`),
    hint: (m: string) => lines.push(`hint ${m}`),
    info: () => undefined,
    verbose: () => undefined,
    fail: (e: unknown) => lines.push(`fail ${String(e)}`),
  } satisfies Output;
  return { o, lines };
}

const report: RunReport = {
  mode: "check",
  secrets: [
    { name: "a", generator: "random", hosts: ["web01"], state: "unchanged" },
    {
      name: "b",
      generator: "template",
      hosts: ["web01", "db01"],
      state: "stale",
      reason: "declaration changed",
    },
    {
      name: "c",
      generator: "script",
      hosts: [],
      state: "failed",
      reason: "script exited with status 1",
      error: runtimeError("script exited with status 1", { secret: "c", field: "script" }),
    },
  ],
  warnings: [{ secret: "c", message: "has no hosts: only the admins can read it" }],
  exitCode: 3,
};

describe("reportJson", () => {
  it("is the versioned secretgen-report document, warnings as text", () => {
    expect(JSON.parse(reportJson("check", report))).toEqual({
      schema: JSON_SCHEMA,
      version: 1,
      command: "check",
      secrets: [
        { name: "a", generator: "random", hosts: ["web01"], state: "unchanged", reason: null },
        {
          name: "b",
          generator: "template",
          hosts: ["web01", "db01"],
          state: "stale",
          reason: "declaration changed",
        },
        {
          name: "c",
          generator: "script",
          hosts: [],
          state: "failed",
          reason: "script exited with status 1",
        },
      ],
      summary: { unchanged: 1, stale: 1, failed: 1 },
      warnings: ['secrets."c": has no hosts: only the admins can read it'],
      exitCode: 3,
    });
  });

  it("lists the warnings printed before the run first (declarations, key files, the lock)", () => {
    const doc = JSON.parse(
      reportJson("check", report, [{ field: "hosts.web02", message: "has no keys yet" }]),
    ) as { warnings: string[] };
    expect(doc.warnings).toEqual([
      "hosts.web02: has no keys yet",
      'secrets."c": has no hosts: only the admins can read it',
    ]);
  });
});

describe("printReport", () => {
  it("warnings, then failures, then a line per secret that needs attention and the summary", () => {
    const { o, lines } = recorder();
    printReport(o, "check", report, {});
    expect(lines).toEqual([
      `warning ${JSON.stringify(report.warnings[0])}`,
      'fail secrets."c".script: script exited with status 1',
      "out stale       b: declaration changed",
      "out failed      c: script exited with status 1",
      "out unchanged 1, stale 1, failed 1",
    ]);
  });

  it("--all shows unchanged ones too, --quiet only the summary, --json only the document", () => {
    const all = recorder();
    printReport(all.o, "check", report, { all: true });
    expect(all.lines).toContain("out unchanged   a");
    const quiet = recorder();
    printReport(quiet.o, "check", report, { quiet: true });
    expect(quiet.lines.filter((l) => l.startsWith("out "))).toEqual([
      "out unchanged 1, stale 1, failed 1",
    ]);
    const json = recorder();
    printReport(json.o, "check", report, { json: true });
    expect(json.lines.filter((l) => l.startsWith("out "))).toEqual([
      `out ${reportJson("check", report)}`,
    ]);
  });
});

describe("printTable", () => {
  it("aligns the columns, the last one unpadded", () => {
    const { o, lines } = recorder();
    printTable(o, report);
    expect(lines).toEqual([
      "out NAME  GENERATOR  HOSTS       STATE      REASON",
      "out a     random     web01       unchanged",
      "out b     template   web01,db01  stale      declaration changed",
      "out c     script                 failed     script exited with status 1",
    ]);
  });
});
