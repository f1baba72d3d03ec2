/**
 * The worker pool's queue (engine/exec/job-queue.ts): jobs go out in the order they were asked
 * for, a worker never holds more than its window, and a worker that finishes is handed the next
 * job at once, whichever worker it is (so a worker busy with a long job gets no more behind it).
 */
import { describe, expect, it } from "vitest";
import { JobQueue } from "../../../src/engine/exec/job-queue.js";

describe("JobQueue", () => {
  it("fills each worker's window in order, then holds the rest", () => {
    const q = new JobQueue<string>(2, 2);
    const sent = ["a", "b", "c", "d", "e", "f"].flatMap((j) => q.push(j));
    expect(sent).toEqual([
      [0, "a"],
      [0, "b"],
      [1, "c"],
      [1, "d"],
    ]);
  });

  it("hands the next job to whichever worker finished, so a busy worker is passed over", () => {
    const q = new JobQueue<number>(2, 2);
    for (let j = 0; j < 4; j++) q.push(j);
    for (let j = 4; j < 10; j++) expect(q.push(j)).toEqual([]);
    // Worker 0 is busy with job 0 (a bcrypt, say); worker 1 finishes job after job.
    const toOne = [1, 1, 1, 1].flatMap(() => q.settled(1));
    expect(toOne).toEqual([
      [1, 4],
      [1, 5],
      [1, 6],
      [1, 7],
    ]);
    expect(q.settled(0)).toEqual([[0, 8]]);
    expect(q.settled(0)).toEqual([[0, 9]]);
    expect(q.settled(0)).toEqual([]);
    expect(q.push(10)).toEqual([[0, 10]]);
  });

  it("with a window of one, a worker gets a job only when it holds none", () => {
    const q = new JobQueue<string>(3, 1);
    expect(["a", "b", "c", "d"].flatMap((j) => q.push(j))).toEqual([
      [0, "a"],
      [1, "b"],
      [2, "c"],
    ]);
    expect(q.settled(2)).toEqual([[2, "d"]]);
    expect(q.settled(2)).toEqual([]);
  });

  it("clear drops the waiting jobs", () => {
    const q = new JobQueue<string>(1, 1);
    q.push("a");
    q.push("b");
    q.clear();
    expect(q.settled(0)).toEqual([]);
    expect(q.push("c")).toEqual([[0, "c"]]);
  });
});
