/** runReport: a run's exit status from its states, and what else a check finds out of date. */
import { describe, expect, it } from "vitest";
import { runReport, type SecretReport, type SecretState } from "../../../src/engine/plan/index.js";

const secret = (state: SecretState): SecretReport => ({
  name: state,
  generator: "random",
  hosts: [],
  state,
});

describe("runReport", () => {
  it.for([
    { mode: "generate", states: ["created", "unchanged", "pending"], code: 0 },
    { mode: "generate", states: ["drift"], code: 3 },
    { mode: "generate", states: ["failed"], code: 3 },
    { mode: "check", states: ["unchanged", "pending"], code: 0 },
    { mode: "check", states: ["stale"], code: 1 },
    { mode: "check", states: ["drift", "missing"], code: 1 },
    { mode: "check", states: ["skipped", "stale"], code: 3 },
    { mode: "offline", states: ["orphan"], code: 1 },
    { mode: "dry-run", states: ["missing", "stale"], code: 0 },
  ] as const)("$mode with $states: exit $code", ({ mode, states, code }) => {
    expect(runReport(mode, states.map(secret), []).exitCode).toBe(code);
  });

  // A secret skipped because what it reads drifted counts as that drift, even when the drifted
  // secret is not in the report (check NAME of a reader); a skip for a failure stays exit 3.
  it.for([
    { mode: "check", code: 1 },
    { mode: "generate", code: 3 },
    { mode: "dry-run", code: 0 },
  ] as const)("$mode: a reader skipped for drift exits $code", ({ mode, code }) => {
    const skipped = { ...secret("skipped"), skippedForDrift: true };
    expect(runReport(mode, [skipped, secret("unchanged")], []).exitCode).toBe(code);
    expect(runReport(mode, [secret("skipped")], []).exitCode).toBe(3);
  });

  it("something else out of date: warned last, noted in the summary, exit 1", () => {
    const r = runReport(
      "check",
      [secret("unchanged")],
      [{ message: "first" }],
      [
        {
          warning: { message: "secrets/secrets.nix is out of date" },
          note: "secrets/secrets.nix out of date",
        },
      ],
    );
    expect(r.warnings).toEqual([
      { message: "first" },
      { message: "secrets/secrets.nix is out of date" },
    ]);
    expect(r.notes).toEqual(["secrets/secrets.nix out of date"]);
    expect(r.exitCode).toBe(1);
    expect(
      runReport("check", [secret("failed")], [], [{ warning: { message: "w" }, note: "n" }])
        .exitCode,
    ).toBe(3);
    expect(runReport("check", [secret("unchanged")], []).notes).toBeUndefined();
  });
});
