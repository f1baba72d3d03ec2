/** store/ordered-writes.ts and prepareFileAtomic: writes staged ahead, then renamed in order. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import { isTempFileName, prepareFileAtomic } from "../../src/store/atomic.js";
import { stageWrites, writeInOrder, type OrderedOp } from "../../src/store/ordered-writes.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sg-ordered-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function later<T>(ms: number, v: T): Promise<T> {
  return new Promise<T>((resolve) => {
    setTimeout(() => {
      resolve(v);
    }, ms);
  });
}

describe("writeInOrder", () => {
  it("finishes ops in the given order, however long each file's bytes take to compute", async () => {
    const finished: number[] = [];
    const ops: OrderedOp[] = [];
    for (let i = 0; i < 20; i++) {
      ops.push({
        write: join(dir, "sub", `f${String(i)}`),
        // the first files are the slowest to compute
        data: () => later(40 - 2 * i, `content ${String(i)}`),
        done: (d) => {
          finished.push(i);
          expect(d).toBe(`content ${String(i)}`);
        },
      });
    }
    await writeInOrder([ops], 6);
    expect(finished).toEqual([...Array(20).keys()]);
    for (let i = 0; i < 20; i++)
      expect(readFileSync(join(dir, "sub", `f${String(i)}`), "utf8")).toBe(`content ${String(i)}`);
    expect(readdirSync(join(dir, "sub")).filter(isTempFileName)).toEqual([]);
  });

  it("starts a phase once the one before is in place", async () => {
    const phases: OrderedOp[][] = [[], [], []];
    const order: string[] = [];
    for (const [p, phase] of phases.entries()) {
      for (let i = 0; i < 5; i++) {
        const name = `p${String(p)}-${String(i)}`;
        phase.push({
          write: join(dir, name),
          // later phases' bytes are ready first
          data: () => later(5 * (3 - p), name),
          done: () => {
            order.push(name);
            // every file of the phases before is there
            for (let q = 0; q < p; q++)
              for (let j = 0; j < 5; j++)
                expect(existsSync(join(dir, `p${String(q)}-${String(j)}`))).toBe(true);
          },
        });
      }
    }
    await writeInOrder(phases, 12);
    expect(order).toEqual(
      phases.flat().map((op) => ("write" in op ? op.write.slice(dir.length + 1) : "")),
    );
  });

  it("removes files in their turn", async () => {
    writeFileSync(join(dir, "old"), "x");
    const seen: boolean[] = [];
    await writeInOrder([
      [
        {
          write: join(dir, "a"),
          data: () => "a",
          done: () => seen.push(existsSync(join(dir, "old"))),
        },
        { remove: join(dir, "old") },
        {
          write: join(dir, "b"),
          data: () => "b",
          done: () => seen.push(existsSync(join(dir, "old"))),
        },
      ],
    ]);
    expect(seen).toEqual([true, false]);
    expect(readdirSync(dir).sort()).toEqual(["a", "b"]);
  });

  it("when a file's bytes cannot be computed, nothing is renamed and no temporary file is left", async () => {
    // Updated rule: files are staged (written as temporary files) before the first rename, so
    // a failed computation leaves the tree as it was (before, the files ahead of it were in place).
    writeFileSync(join(dir, "f5"), "old 5");
    const ops: OrderedOp[] = [];
    for (let i = 0; i < 10; i++) {
      ops.push({
        write: join(dir, `f${String(i)}`),
        data: () =>
          i === 3 ? Promise.reject(new SecretgenError("encryption failed")) : `new ${String(i)}`,
      });
    }
    await expect(writeInOrder([ops], 4)).rejects.toThrow("encryption failed");
    expect(readdirSync(dir).sort()).toEqual(["f5"]);
    expect(readFileSync(join(dir, "f5"), "utf8")).toBe("old 5");
  });

  it("a write that cannot be made fails with the target's path, and nothing is renamed", async () => {
    writeFileSync(join(dir, "blocker"), "a file where a directory is needed");
    const ops: OrderedOp[] = [
      { write: join(dir, "ok"), data: () => "ok" },
      { write: join(dir, "blocker", "x"), data: () => "x" },
      { write: join(dir, "after"), data: () => "after" },
    ];
    await expect(writeInOrder([ops])).rejects.toThrow(`cannot write ${join(dir, "blocker", "x")}`);
    expect(readdirSync(dir).sort()).toEqual(["blocker"]);
  });
});

describe("stageWrites", () => {
  it("computes every file ahead of the renames: all are temporary files until commit", async () => {
    writeFileSync(join(dir, "f1"), "old 1");
    let computing = 0;
    let most = 0;
    const ops: OrderedOp[] = Array.from({ length: 12 }, (_, i) => ({
      write: join(dir, `f${String(i)}`),
      data: async () => {
        most = Math.max(most, ++computing);
        await later(2, undefined);
        computing--;
        return `new ${String(i)}`;
      },
    }));
    const staged = await stageWrites([ops.slice(0, 6), ops.slice(6)], 4);
    // Four ahead of the one staging waits for, at most.
    expect(most).toBeGreaterThanOrEqual(4);
    expect(most).toBeLessThanOrEqual(5);
    const names = readdirSync(dir);
    expect(names.filter(isTempFileName)).toHaveLength(12);
    expect(names.filter((n) => !isTempFileName(n))).toEqual(["f1"]);
    expect(readFileSync(join(dir, "f1"), "utf8")).toBe("old 1");
    await staged.commit();
    expect(readdirSync(dir).sort()).toEqual(ops.map((_, i) => `f${String(i)}`).sort());
    expect(readFileSync(join(dir, "f1"), "utf8")).toBe("new 1");
  });

  it("discard removes every temporary file and renames nothing", async () => {
    writeFileSync(join(dir, "a"), "old");
    const staged = await stageWrites([
      [
        { write: join(dir, "a"), data: () => "new" },
        { write: join(dir, "sub", "b"), data: () => "b" },
      ],
    ]);
    await staged.discard();
    expect(readdirSync(dir).sort()).toEqual(["a", "sub"]);
    expect(readdirSync(join(dir, "sub"))).toEqual([]);
    expect(readFileSync(join(dir, "a"), "utf8")).toBe("old");
  });
});

describe("prepareFileAtomic", () => {
  it("writes nothing visible until commit; discard leaves the target untouched", async () => {
    writeFileSync(join(dir, "t"), "before");
    const a = await prepareFileAtomic(join(dir, "t"), "after");
    expect(readFileSync(join(dir, "t"), "utf8")).toBe("before");
    expect(readdirSync(dir).filter(isTempFileName)).toHaveLength(1);
    await a.discard();
    expect(readdirSync(dir)).toEqual(["t"]);
    const b = await prepareFileAtomic(join(dir, "new", "deep", "t"), "made");
    await b.commit();
    expect(readFileSync(join(dir, "new", "deep", "t"), "utf8")).toBe("made");
  });
});
