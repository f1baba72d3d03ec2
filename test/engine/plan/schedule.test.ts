/**
 * The scheduler: each secret decided once, readers after what they read (a render restarts
 * when it asks for a secret it was not given), cycles refused, at most `slots` scripts at once.
 */
import { describe, expect, it } from "vitest";
import { Scheduler } from "../../../src/engine/plan/schedule.js";
import { SecretgenError } from "../../../src/errors.js";
import { World, declare } from "./memory.js";

describe("Scheduler", () => {
  it("starts each decision once, however many wait for it", async () => {
    const s = new Scheduler(3, 1);
    const started: string[] = [];
    const start = (name: string) => () => {
      started.push(name);
      return Promise.resolve();
    };
    await Promise.all([
      s.wait("a", undefined, start("a")),
      s.wait("a", "b", start("a")),
      s.wait("a", "c", start("a")),
    ]);
    expect(started).toEqual(["a"]);
  });

  it("refuses a wait that closes a cycle, naming it from its first member", async () => {
    const s = new Scheduler(3, 1);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // b waits for c, c waits for a: a waiting for b closes a -> b -> c -> a.
    const b = s.wait("c", "b", () => held);
    const c = s.wait("a", "c", () => held);
    const err = await s.wait("b", "a", () => held).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretgenError);
    expect((err as SecretgenError).message).toBe("dependency cycle: a -> b -> c -> a");
    expect((err as SecretgenError).secret).toBe("a");
    await expect(s.wait("a", "a", () => held)).rejects.toThrow("reads its own value");
    release();
    await Promise.all([b, c]);
  });

  it("runs at most `slots` scripts at once, the others in turn", async () => {
    const s = new Scheduler(10, 2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const job = (i: number) =>
      s.withScriptSlot(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        running--;
      });
    await Promise.all([1, 2, 3, 4, 5].map(job));
    expect(most).toBe(2);
    expect(order.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe("the order of decisions in a run", () => {
  it("a reader is decided after what it reads; its render restarts with the value", async () => {
    const w = new World(
      declare({
        a: { hosts: [], template: { content: 'a({{secret "b"}})' } },
        b: { hosts: [], template: { content: 'b({{secret "c"}})' } },
        c: { hosts: [], random: { length: 8 } },
      }),
    );
    await w.run("generate");
    const c = w.store.value("c") ?? "";
    expect(w.store.value("b")).toBe(`b(${c})`);
    expect(w.store.value("a")).toBe(`a(b(${c}))`);
    // a and b each asked once for the secret they read, then rendered again: 5 renders.
    expect(w.executor.renders).toBe(5);
    expect((await w.run("generate")).table).toEqual({
      a: ["unchanged", undefined],
      b: ["unchanged", undefined],
      c: ["unchanged", undefined],
    });
  });

  it("a cycle between secrets is a declaration error, and nothing is planned", async () => {
    const w = new World(
      declare({
        a: { hosts: [], template: { content: '{{secret "b"}}' } },
        b: { hosts: [], template: { content: '{{secret "a"}}' } },
      }),
    );
    const err = await w.run("generate").catch((e: unknown) => e);
    expect((err as SecretgenError).message).toBe("dependency cycle: a -> b -> a");
    expect((err as SecretgenError).exitCode).toBe(2);
    expect(w.store.data.size).toBe(0);
  });

  it("reading an undeclared secret is a declaration error of the reader", async () => {
    const w = new World(declare({ a: { hosts: [], template: { content: '{{secret "nope"}}' } } }));
    const err = await w.run("generate").catch((e: unknown) => e);
    expect((err as SecretgenError).message).toBe('reads unknown secret "nope"');
    expect((err as SecretgenError).secret).toBe("a");
  });

  it("scripts wait for a free slot: never more at once than scriptSlots", async () => {
    const secrets: Record<string, unknown> = {};
    for (const n of ["s1", "s2", "s3", "s4", "s5"])
      secrets[n] = { hosts: [], script: { script: n } };
    const w = new World(declare(secrets));
    w.scriptSlots = 2;
    let release!: () => void;
    w.scripts.gate = new Promise((r) => (release = r));
    const run = w.run("generate");
    await new Promise((r) => setTimeout(r, 10));
    expect(w.scripts.running).toBe(2);
    release();
    const r = await run;
    expect(w.scripts.maxRunning).toBe(2);
    expect(Object.values(r.table).map(([s]) => s)).toEqual(Array(5).fill("created"));
  });

  it("a script runs after the secrets it reads, with their values", async () => {
    const w = new World(
      declare({
        pw: { hosts: [], random: { length: 8 } },
        s: { hosts: [], script: { script: "x", dependencies: ["pw"] } },
      }),
    );
    await w.run("generate");
    expect(w.store.value("s")).toBe(`s#1(${w.store.value("pw") ?? ""})`);
  });
});
