/**
 * How many worker threads a run starts (engine/workers.ts): none for one job, N with an
 * explicit --jobs N from the threshold on, and by default only for fresh renders (bcrypt) or
 * many secrets (not when a worker decrypts them early); the count of fresh renders is not
 * asked for when it does not matter.
 */
import { describe, expect, it } from "vitest";
import {
  FRESH_RENDERS,
  threadCount,
  workersFor,
  type WorkerInputs,
} from "../../src/engine/workers.js";

const base: WorkerInputs = { jobs: 2, explicit: false, size: 1000, freshRenders: () => 0 };
const never = () => {
  throw new Error("asked for the fresh renders");
};

describe("threadCount", () => {
  it("is the cores, at most 2, by default; --jobs N up to the cores, and 2 always", () => {
    expect([1, 2, 8].map((cores) => threadCount(undefined, cores))).toEqual([1, 2, 2]);
    expect(threadCount(64, 2)).toBe(2);
    expect(threadCount(64, 8)).toBe(8);
    expect(threadCount(3, 8)).toBe(3);
    expect(threadCount(2, 1)).toBe(2);
    expect(threadCount(1, 8)).toBe(1);
  });
});

describe("workersFor", () => {
  it("one job is this thread alone, whatever the work", () => {
    expect(workersFor({ ...base, jobs: 1, explicit: true, freshRenders: never })).toBe(0);
    expect(workersFor({ ...base, jobs: 1, size: 100_000, freshRenders: never })).toBe(0);
  });

  it("an explicit --jobs N starts N workers from the threshold on", () => {
    expect(workersFor({ ...base, jobs: 3, explicit: true, size: 199, freshRenders: never })).toBe(
      0,
    );
    expect(workersFor({ ...base, jobs: 3, explicit: true, size: 200, freshRenders: never })).toBe(
      3,
    );
    expect(workersFor({ ...base, jobs: 2, explicit: true, size: 5, threshold: 5 })).toBe(2);
  });

  it("by default: workers for fresh renders (bcrypt) or 5000 secrets, none for a rekey or a check", () => {
    expect(workersFor({ ...base, freshRenders: () => FRESH_RENDERS - 1 })).toBe(0);
    expect(workersFor({ ...base, freshRenders: () => FRESH_RENDERS })).toBe(2);
    expect(workersFor({ ...base, size: 4999 })).toBe(0);
    expect(workersFor({ ...base, size: 5000 })).toBe(2);
  });

  it("many secrets whose entropy files a worker decrypts early stay on this thread, unless bcrypt is due", () => {
    expect(workersFor({ ...base, size: 10_000, early: true })).toBe(0);
    expect(workersFor({ ...base, size: 10_000, early: true, freshRenders: () => 4 })).toBe(2);
  });
});
