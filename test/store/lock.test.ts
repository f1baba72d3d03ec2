import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import { acquireLock, parseLockInfo, type Lock } from "../../src/store/index.js";
import { buildStore, type Built } from "./build.js";

let dir: string;
let lockPath: string;
const held: Lock[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sg-lock-"));
  lockPath = join(dir, ".secretgen.lock");
});
afterEach(async () => {
  for (const l of held.splice(0)) await l.release();
  rmSync(dir, { recursive: true, force: true });
});

async function take(opts: Parameters<typeof acquireLock>[1] = {}): Promise<Lock> {
  const lock = await acquireLock(dir, opts);
  held.push(lock);
  return lock;
}

async function failure(p: Promise<unknown>): Promise<SecretgenError> {
  const err: unknown = await p.then(
    (l) => {
      held.push(l as Lock);
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SecretgenError);
  return err as SecretgenError;
}

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(
    execFileSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]),
  );
}

function writeLock(info: unknown): void {
  writeFileSync(lockPath, typeof info === "string" ? info : JSON.stringify(info));
}

const lockFile = () => parseLockInfo(readFileSync(lockPath, "utf8"));

describe("acquireLock", () => {
  it("creates secrets/.secretgen.lock with host, pid and start time; release removes it", async () => {
    const before = Date.now();
    const lock = await take();
    expect(lock.path).toBe(lockPath);
    const info = lockFile();
    expect(info).toEqual({ host: hostname(), pid: process.pid, started: lock.info.started });
    expect(Date.parse(lock.info.started)).toBeGreaterThanOrEqual(before - 1000);
    expect(lock.info.started).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
    await lock.release(); // idempotent
    await take();
    expect(existsSync(lockPath)).toBe(true);
  });

  it("is exclusive: a second acquire fails with exit 3 naming the holder", async () => {
    const first = await take();
    const e = await failure(acquireLock(dir));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(
      `another secretgen run holds the lock (pid ${process.pid} on ${hostname()} since ${first.info.started})`,
    );
    // No hint of its own: the CLI's names --wait (test/cli/hints.test.ts).
    expect(e.reason).toBe("lock-held");
    expect(e.hint).toBeUndefined();
    expect(lockFile()).toEqual(first.info);
  });

  it("with waitSeconds, succeeds when the holder releases in time", async () => {
    const first = await take();
    const start = Date.now();
    setTimeout(() => void first.release(), 300);
    const warnings: string[] = [];
    const second = await take({ waitSeconds: 5, onWarning: (w) => warnings.push(w.message) });
    expect(Date.now() - start).toBeGreaterThanOrEqual(250);
    expect(Date.now() - start).toBeLessThan(3000);
    expect(warnings).toEqual([]);
    expect(lockFile()).toEqual(second.info);
  });

  it("with waitSeconds, fails when the holder keeps it", async () => {
    await take();
    const start = Date.now();
    const e = await failure(acquireLock(dir, { waitSeconds: 0.4 }));
    expect(Date.now() - start).toBeGreaterThanOrEqual(400);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(new RegExp(`pid ${process.pid} .*after waiting 0.4s`));
    expect(e.reason).toBe("lock-held");
    expect(e.hint).toBe(`if pid ${process.pid} is not a secretgen run, remove ${lockPath}`);
  });

  it("rejects a negative or non-numeric wait as a usage error", async () => {
    expect((await failure(acquireLock(dir, { waitSeconds: -1 }))).exitCode).toBe(2);
    expect((await failure(acquireLock(dir, { waitSeconds: NaN }))).exitCode).toBe(2);
  });

  it("takes over the lock of a dead process on this host, with a warning naming its pid", async () => {
    const pid = deadPid();
    writeLock({ host: hostname(), pid, started: "2020-01-01T00:00:00.000Z" });
    const warnings: string[] = [];
    const lock = await take({ onWarning: (w) => warnings.push(w.message) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(new RegExp(`process ${pid} on .* no longer running`));
    expect(lockFile()).toEqual(lock.info);
    expect(lock.info.pid).toBe(process.pid);
  });

  it("passes over a takeover interrupted by a kill, and waits for one in progress", async () => {
    const pid = deadPid();
    writeLock({ host: hostname(), pid, started: "2020-01-01T00:00:00.000Z" });
    const guard = () => `${lockPath}.secretgen-tmp-takeover-${pid}-${statSync(lockPath).ino}-0`;
    const dead = guard();
    writeFileSync(dead, JSON.stringify({ host: hostname(), pid: deadPid(), started: "x" }));
    const warnings: string[] = [];
    const lock = await take({ onWarning: (w) => warnings.push(w.message) });
    expect(warnings.join()).toContain(`process ${pid} `);
    expect(readdirSync(dir).sort()).toEqual([".secretgen.lock", basename(dead)].sort());
    await lock.release();
    rmSync(dead);

    // A takeover by a live run (here: this process) that does not finish.
    writeLock({ host: hostname(), pid, started: "2020-01-01T00:00:00.000Z" });
    writeFileSync(guard(), JSON.stringify({ host: hostname(), pid: process.pid, started: "x" }));
    const start = Date.now();
    const e = await failure(acquireLock(dir));
    expect(Date.now() - start).toBeGreaterThanOrEqual(2900);
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(new RegExp(`lock of process ${pid} .* still being taken over`));
    expect(e.hint).toContain(".secretgen.lock.secretgen-tmp-*");
  });

  it("does not take over a dead-looking pid of another host", async () => {
    const pid = deadPid();
    writeLock({ host: "elsewhere.example", pid, started: "2020-01-01T00:00:00.000Z" });
    const e = await failure(acquireLock(dir));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(`pid ${pid} on elsewhere.example since 2020-01-01T00:00:00.000Z`);
    expect(lockFile()?.host).toBe("elsewhere.example");
  });

  it.for([
    ["garbage", "not json"],
    ["empty", ""],
    ["wrong shape", JSON.stringify({ host: "h", pid: "12", started: "x" })],
    ["pid 0", JSON.stringify({ host: hostname(), pid: 0, started: "x" })],
  ])("treats a %s lock file as held and says it is corrupt", async ([, content]) => {
    writeLock(content);
    const e = await failure(acquireLock(dir));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`the lock file ${JSON.stringify(lockPath)} is unreadable or corrupt`);
    expect(e.hint).toBe(`if no secretgen run is active, remove ${lockPath}`);
    expect(readFileSync(lockPath, "utf8")).toBe(content);
  });

  it("waits out a corrupt lock file that goes away", async () => {
    writeLock("garbage");
    setTimeout(() => {
      unlinkSync(lockPath);
    }, 300);
    const lock = await take({ waitSeconds: 5 });
    expect(lockFile()).toEqual(lock.info);
  });

  it("fails with exit 3 when the secrets directory does not exist", async () => {
    const e = await failure(acquireLock(join(dir, "missing")));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/cannot create the lock file .*missing\/\.secretgen\.lock/);
  });

  it("release does not remove a lock that is no longer ours", async () => {
    const lock = await take();
    const other = { host: hostname(), pid: 1, started: "2020-01-01T00:00:00.000Z" };
    unlinkSync(lockPath);
    writeLock(other);
    await lock.release();
    expect(lockFile()).toEqual(other);
  });
});

describe("the lock across processes", () => {
  let built: Built;
  beforeAll(() => {
    built = buildStore();
  });
  afterAll(() => {
    built.cleanup();
  });

  /** A process that waits until time `go`, tries the lock, reports, holds it `holdMs`. */
  const contender = () => `
    import { acquireLock } from ${JSON.stringify(built.url("store/lock.js"))};
    const [dir, go, holdMs] = process.argv.slice(2);
    while (Date.now() < Number(go)) await new Promise((r) => setTimeout(r, 1));
    const warnings = [];
    try {
      const lock = await acquireLock(dir, { onWarning: (w) => warnings.push(w.message) });
      console.log(JSON.stringify({ won: process.pid, warnings }));
      await new Promise((r) => setTimeout(r, Number(holdMs)));
      await lock.release();
    } catch (e) {
      console.log(JSON.stringify({ lost: e.exitCode, message: e.message }));
    }
  `;

  async function race(
    n: number,
  ): Promise<{ winners: number[]; losers: string[]; warnings: string[] }> {
    const go = String(Date.now() + 1000);
    const results = await Promise.all(
      Array.from({ length: n }, () => built.start(contender(), [dir, go, "1200"])),
    );
    const winners: number[] = [];
    const losers: string[] = [];
    const warnings: string[] = [];
    for (const r of results) {
      expect(r.stderr).toBe("");
      const doc = JSON.parse(r.stdout) as {
        won?: number;
        warnings?: string[];
        lost?: number;
        message?: string;
      };
      if (doc.won !== undefined) winners.push(doc.won);
      else {
        expect(doc.lost).toBe(3);
        losers.push(doc.message ?? "");
      }
      warnings.push(...(doc.warnings ?? []));
    }
    return { winners, losers, warnings };
  }

  it("real concurrent processes racing for a free lock: exactly one wins", async () => {
    for (let round = 0; round < 2; round++) {
      const { winners, losers } = await race(6);
      expect(winners).toHaveLength(1);
      for (const m of losers) expect(m).toContain(`holds the lock (pid ${winners[0] ?? 0} `);
      expect(existsSync(lockPath)).toBe(false);
    }
  });

  it("racing for a dead process's lock: exactly one takes it over", async () => {
    for (let round = 0; round < 2; round++) {
      const pid = deadPid();
      writeLock({ host: hostname(), pid, started: "2020-01-01T00:00:00.000Z" });
      const { winners, losers, warnings } = await race(6);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(5);
      expect(warnings.length).toBeLessThanOrEqual(1);
      for (const w of warnings) expect(w).toContain(`process ${pid} `);
      expect(readdirSync(dir)).toEqual([]); // no lock, no file set aside during the takeover
    }
  });

  it("a run that exits without releasing removes its lock; a killed one is taken over", async () => {
    const holder = (how: string) => `
      import { acquireLock } from ${JSON.stringify(built.url("store/lock.js"))};
      await acquireLock(process.argv[2]);
      ${how}
    `;
    const exited = built.run(holder("process.exit(0);"), [dir]);
    expect(exited.status).toBe(0);
    expect(existsSync(lockPath)).toBe(false);

    const killed = built.run(holder('process.kill(process.pid, "SIGKILL");'), [dir]);
    expect(killed.signal).toBe("SIGKILL");
    const info = lockFile();
    expect(info?.pid).toBe(killed.pid);
    const warnings: string[] = [];
    await take({ onWarning: (w) => warnings.push(w.message) });
    expect(warnings.join("\n")).toContain(`process ${killed.pid} `);
  });
});
