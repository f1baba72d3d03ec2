/**
 * The decision table, one row per situation, for each generator kind: the state and reason a
 * run with a key gives (generate and check) and the one `check --offline` gives. Where offline
 * sees the same situation it says the same thing; where it cannot know (drift, a value kept
 * through a re-encryption) the row says what it does say.
 */
import { describe, expect, it } from "vitest";
import { decideOffline, runReport, type SecretReport } from "../../../src/engine/plan/index.js";
import { OTHER_ADMIN, World, declare } from "./memory.js";

const SECRETS = {
  pw: { hosts: [], random: { length: 12 } },
  conf: { hosts: [], template: { content: 'pw={{secret "pw"}}' } },
  j: { hosts: [], json: { content: { pw: { __secretgen: "secret", args: ["pw"] } } } },
  k: { hosts: [], wireguard: {} },
  s: { hosts: [], script: { script: "x", dependencies: ["pw"] } },
  m: { hosts: [], manual: {} },
};

type Row = [state: string, reason?: string];
interface Case {
  name: string;
  /** Change the world after a first generate (and `set m`). */
  act: (w: World) => void | Promise<void>;
  generate: Record<string, Row>;
  check?: Record<string, Row>;
  offline: Record<string, Row>;
  /** The exit status of check and of generate (default: from the states alone). */
  exit?: { check: number; generate: number };
}

function offline(w: World): Record<string, Row> {
  const files = {
    dataHash: (n: string) => w.store.stored(w.decls).get(n)?.dataHash,
    entropyHash: (n: string) => w.store.stored(w.decls).get(n)?.entropyHash,
    publicHashes: (n: string) => w.store.publicHashes(n),
    listStored: () => w.store.listStored(),
  };
  const out: Record<string, Row> = {};
  const row = (r: SecretReport): Row => (r.reason === undefined ? [r.state] : [r.state, r.reason]);
  for (const r of decideOffline({ decls: w.decls, manifest: w.store.manifest, files }))
    out[r.name] = row(r);
  return out;
}

/** Rows for the secrets named in `want` only (the others: unchanged, not listed). */
function rows(
  table: Record<string, Row | [string, string | undefined]>,
  want: Record<string, Row>,
) {
  const out: Record<string, Row> = {};
  for (const [name, [state, reason]] of Object.entries(table)) {
    if (!(name in want) && state === "unchanged") continue;
    out[name] = reason === undefined ? [state] : [state, reason];
  }
  return out;
}

async function generated(): Promise<World> {
  const w = new World(declare(SECRETS));
  await w.run("generate");
  await w.run("generate", { values: { m: "hunter2" } });
  return w;
}

const CHANGED = "declaration changed";
const REPLACED =
  "entropy file changed outside secretgen (manifest.json names another one); nothing is replayed from it or written";
const READS_DRIFTED: Row = ["skipped", 'reads "pw", which drifted'];
const DRIFT =
  "the recorded entropy renders a different value though nothing changed (drift); the old value is kept";
const CASES: Case[] = [
  {
    name: "nothing changed",
    act: () => {},
    generate: {},
    offline: {},
  },
  {
    name: "a declaration changed: a new value, and its readers follow",
    act: (w) => {
      w.decls = declare({ ...SECRETS, pw: { hosts: [], random: { length: 13 } } });
    },
    generate: {
      pw: ["regenerated", CHANGED],
      conf: ["regenerated", '"pw" changed'],
      j: ["regenerated", '"pw" changed'],
      s: ["regenerated", '"pw" changed'],
    },
    check: {
      pw: ["stale", CHANGED],
      conf: ["stale", 'reads "pw", which will change'],
      j: ["stale", 'reads "pw", which will change'],
      s: ["stale", 'reads "pw", which will change'],
    },
    offline: {
      pw: ["stale", CHANGED],
      conf: ["stale", 'reads "pw", which will change'],
      j: ["stale", 'reads "pw", which will change'],
      s: ["stale", 'reads "pw", which will change'],
    },
  },
  {
    // Another secret's entropy file copied over this one's (or an old one brought back by a
    // merge): replaying it would silently give another value.
    name: "an entropy file replaced by another secret's: drift, nothing replayed or written",
    act: (w) => {
      const other = w.store.entropy.get("k");
      if (other !== undefined) w.store.entropy.set("pw", { ...other });
    },
    generate: { pw: ["drift", REPLACED], conf: READS_DRIFTED, j: READS_DRIFTED, s: READS_DRIFTED },
    offline: { pw: ["stale", "entropy file changed outside secretgen"] },
    // Drift is out of date for check (exit 1), its skipped readers too; generate fails (3).
    exit: { check: 1, generate: 3 },
  },
  {
    name: "a keypair's declaration changed (the key is made anew)",
    act: (w) => {
      w.decls = declare({ ...SECRETS, k: { hosts: [], age: {} } });
    },
    generate: { k: ["regenerated", CHANGED] },
    check: { k: ["stale", CHANGED] },
    offline: { k: ["stale", CHANGED] },
  },
  {
    name: "a script's declaration changed",
    act: (w) => {
      w.decls = declare({
        ...SECRETS,
        s: { hosts: [], script: { script: "y", dependencies: ["pw"] } },
      });
    },
    generate: { s: ["regenerated", CHANGED] },
    check: { s: ["stale", CHANGED] },
    offline: { s: ["stale", CHANGED] },
  },
  {
    name: "data files deleted",
    act: (w) => {
      for (const n of ["pw", "conf", "j", "k", "s", "m"]) w.store.data.delete(n);
    },
    generate: {
      pw: ["restored", "data file is missing"],
      conf: ["restored", "data file is missing"],
      j: ["restored", "data file is missing"],
      k: ["restored", "data file is missing"],
      s: ["regenerated", "data file is missing (scripts cannot be replayed)"],
      m: ["pending", "manual secret's data file is missing; set it again"],
    },
    check: {
      pw: ["missing", "data file is missing"],
      conf: ["missing", "data file is missing"],
      j: ["missing", "data file is missing"],
      k: ["missing", "data file is missing"],
      s: ["stale", "data file is missing (scripts cannot be replayed)"],
      m: ["missing", "manual secret's data file is missing; set it again"],
    },
    offline: {
      pw: ["missing", "data file is missing"],
      conf: ["missing", "data file is missing"],
      j: ["missing", "data file is missing"],
      k: ["missing", "data file is missing"],
      s: ["stale", "data file is missing (scripts cannot be replayed)"],
      m: ["missing", "manual secret's data file is missing; set it again"],
    },
  },
  {
    name: "recipients changed",
    act: (w) => {
      w.decls = declare({ ...SECRETS, pw: { hosts: ["web01"], random: { length: 12 } } });
    },
    generate: { pw: ["rekeyed", "recipients changed"] },
    check: { pw: ["stale", "recipients changed"] },
    offline: { pw: ["stale", "recipients changed"] },
  },
  {
    name: "an entropy file encrypted to other admins (a limited run)",
    act: (w) => {
      const entry = w.store.manifest.secrets.get("j");
      if (entry) entry.admins = [OTHER_ADMIN];
    },
    generate: { j: ["updated", "admins changed"] },
    check: { j: ["stale", "admins changed"] },
    offline: { j: ["stale", "admins changed"] },
  },
  {
    name: "not in the manifest",
    act: (w) => {
      w.store.manifest.secrets.delete("conf");
    },
    generate: { conf: ["rekeyed", "not in the manifest"] },
    check: { conf: ["stale", "not in the manifest"] },
    offline: { conf: ["stale", "not in the manifest"] },
  },
  {
    name: "a data file re-encrypted outside secretgen, same value",
    act: (w) => {
      w.store.writeData("pw", w.store.value("pw") ?? "");
    },
    generate: {
      pw: [
        "rekeyed",
        "data file re-encrypted outside secretgen (value unchanged); encrypted to its recipients again",
      ],
    },
    check: {
      pw: [
        "stale",
        "data file re-encrypted outside secretgen (value unchanged); encrypted to its recipients again",
      ],
    },
    // Without a key the value cannot be compared; its readers' recorded digests moved.
    offline: {
      pw: ["stale", "data file changed outside secretgen"],
      conf: ["stale", '"pw" changed'],
      j: ["stale", '"pw" changed'],
      s: ["stale", '"pw" changed'],
    },
  },
  {
    name: "a data file given another value outside secretgen",
    act: (w) => {
      w.store.writeData("conf", "edited");
      w.store.writeData("m", "edited");
    },
    generate: {
      conf: [
        "failed",
        "data file was changed outside secretgen (its value differs from the record)",
      ],
      m: ["updated", "set outside secretgen"],
    },
    check: {
      conf: [
        "failed",
        "data file was changed outside secretgen (its value differs from the record)",
      ],
      m: ["stale", "set outside secretgen"],
    },
    offline: {
      conf: ["stale", "data file changed outside secretgen"],
      m: ["stale", "data file changed outside secretgen"],
    },
  },
  {
    name: "an entropy file deleted",
    act: (w) => {
      w.store.entropy.delete("pw");
    },
    generate: {
      pw: ["failed", "has a data file but no entropy file; its value is kept"],
      conf: ["skipped", 'reads "pw", which failed'],
      j: ["skipped", 'reads "pw", which failed'],
      s: ["skipped", 'reads "pw", which failed'],
    },
    offline: { pw: ["missing", "entropy file is missing"] },
    exit: { check: 3, generate: 3 },
  },
  {
    name: "drift: the same record renders another value",
    act: (w) => {
      w.executor.drift.add("conf");
      w.executor.drift.add("k");
    },
    generate: { conf: ["drift", DRIFT], k: ["drift", DRIFT] },
    // Drift needs a replay: offline cannot see it.
    offline: {},
    exit: { check: 1, generate: 3 },
  },
  {
    name: "drift of a secret others read: its readers are skipped, and check still exits 1",
    act: (w) => {
      w.executor.drift.add("pw");
    },
    generate: { pw: ["drift", DRIFT], conf: READS_DRIFTED, j: READS_DRIFTED, s: READS_DRIFTED },
    offline: {},
    exit: { check: 1, generate: 3 },
  },
  {
    name: "a keypair's public key file deleted",
    act: (w) => {
      w.store.publicKeys.delete("k");
    },
    generate: { k: ["restored", "public file k.pub is missing"] },
    check: { k: ["missing", "public file k.pub is missing"] },
    offline: { k: ["missing", "public file k.pub is missing"] },
  },
  {
    name: "a keypair's public key file changed",
    act: (w) => {
      w.store.publicKeys.set("k", "tampered\n");
    },
    generate: { k: ["restored", "public file k.pub changed"] },
    check: { k: ["stale", "public file k.pub changed"] },
    offline: { k: ["stale", "public file k.pub changed"] },
  },
];

describe("the decision table, with a key and offline", () => {
  it.for(CASES)("$name", async (c) => {
    const check = await generated();
    await c.act(check);
    const checked = await check.run("check");
    expect(rows(checked.table, c.check ?? c.generate)).toEqual(c.check ?? c.generate);
    expect(rows(offline(check), c.offline)).toEqual(c.offline);
    const generate = await generated();
    await c.act(generate);
    const generated_ = await generate.run("generate");
    expect(rows(generated_.table, c.generate)).toEqual(c.generate);
    if (c.exit !== undefined) {
      expect(runReport("check", checked.secrets, []).exitCode).toBe(c.exit.check);
      expect(runReport("generate", generated_.secrets, []).exitCode).toBe(c.exit.generate);
    }
  });
});

describe("the decision table, from a fresh tree and through commands", () => {
  const NEW = "never generated";

  it("a fresh tree: created (generate), missing (check and offline), manual secrets pending", async () => {
    const decls = declare({
      ...SECRETS,
      mm: { hosts: [], template: { content: '{{secret "m"}}' } },
    });
    const made = { pw: NEW, conf: NEW, j: NEW, k: NEW, s: NEW };
    const check = await new World(decls).run("check");
    expect(check.table).toEqual({
      ...Object.fromEntries(Object.entries(made).map(([n, r]) => [n, ["missing", r]])),
      // A script's dependencies are decided first: it waits for the value pw will have.
      s: ["stale", 'reads "pw", which will change'],
      m: ["missing", "manual secret not set"],
      mm: ["missing", NEW],
    });
    const w = new World(decls);
    expect(rows(offline(w), {})).toEqual({
      ...Object.fromEntries(Object.entries(made).map(([n, r]) => [n, ["missing", r]])),
      m: ["missing", "manual secret not set"],
      mm: ["missing", NEW],
    });
    const generate = await w.run("generate");
    expect(generate.table).toEqual({
      ...Object.fromEntries(Object.entries(made).map(([n, r]) => [n, ["created", r]])),
      m: ["pending", "manual secret not set"],
      mm: ["pending", 'reads "m", which has no value yet'],
    });
    expect(w.scripts.runs).toEqual(["s"]);
    expect((await w.run("generate", { values: { m: "v" } })).table).toEqual({
      m: ["created", "set"],
      mm: ["created", NEW],
    });
  });

  it("rotate: a new value, its readers re-rendered from their own records", async () => {
    const w = await generated();
    const before = w.store.value("conf");
    const r = await w.run("generate", { rotate: ["pw"] });
    expect(r.table).toEqual({
      pw: ["regenerated", "rotated"],
      conf: ["regenerated", '"pw" changed'],
      j: ["regenerated", '"pw" changed'],
      s: ["regenerated", '"pw" changed'],
    });
    expect(w.store.value("conf")).not.toBe(before);
    expect(w.store.value("conf")).toBe(`pw=${w.store.value("pw") ?? ""}`);
  });

  it("set: a new value is updated, the same value leaves everything unchanged", async () => {
    const w = await generated();
    expect((await w.run("generate", { values: { m: "hunter2" } })).table).toEqual({
      m: ["unchanged", undefined],
    });
    expect((await w.run("generate", { values: { m: "other" } })).table).toEqual({
      m: ["updated", "set"],
    });
    expect(w.store.value("m")).toBe("other");
  });

  it("a failing script fails, and its readers are skipped", async () => {
    const w = new World(
      declare({ ...SECRETS, t: { hosts: [], template: { content: '{{secret "s"}}' } } }),
    );
    w.scripts.failing.add("s");
    const r = await w.run("generate");
    expect(r.table.s).toEqual(["failed", "script exited with status 1"]);
    expect(r.table.t).toEqual(["skipped", 'reads "s", which failed']);
  });

  it("an adopted value stays until its declaration changes", async () => {
    const w = await generated();
    const entry = w.store.entropy.get("pw");
    if (entry) entry.record = { ...entry.record, pinned: true };
    expect((await w.run("generate")).table.pw).toEqual(["unchanged", undefined]);
    w.decls = declare({ ...SECRETS, pw: { hosts: [], random: { length: 13 } } });
    expect((await w.run("generate")).table.pw).toEqual([
      "regenerated",
      "declaration changed (was adopted)",
    ]);
  });

  it("a killed run wrote a new record and not its data file: the run is completed", async () => {
    const w = await generated();
    // The run a kill interrupted: rotate pw, of which only the entropy file was written.
    const killed = new World(w.decls);
    for (const [k, v] of w.store.entropy) killed.store.entropy.set(k, v);
    const old = { data: new Map(w.store.data), manifest: w.store.manifest };
    await w.run("generate", { rotate: ["pw"], names: ["pw"] });
    w.store.data.set("pw", old.data.get("pw") as Uint8Array);
    w.store.manifest = { ...old.manifest, interrupted: new Set(["pw"]) };
    const check = await w.run("check", { names: ["pw"] });
    expect(check.table.pw).toEqual(["missing", "an interrupted run did not finish it"]);
    expect(rows(offline(w), {}).pw).toEqual(["stale", "entropy file changed outside secretgen"]);
    const r = await w.run("generate", { names: ["pw"] });
    expect(r.table.pw).toEqual(["restored", "an interrupted run did not finish it"]);
  });

  it("generate NAME: a dependency it regenerates brings its other readers along", async () => {
    const changed = async () => {
      const w = await generated();
      w.decls = declare({ ...SECRETS, pw: { hosts: [], random: { length: 14 } } });
      return w;
    };
    const full = (await (await changed()).run("generate")).table;
    const limited = await changed();
    const r = await limited.run("generate", { names: ["conf"] });
    // The same as a full run for pw and every reader of it: none keeps the old value.
    expect(r.table).toEqual({ pw: full.pw, conf: full.conf, j: full.j, s: full.s });
    expect(r.table.j).toEqual(["regenerated", '"pw" changed']);
    // Nothing is left out of date by it.
    const after = (await limited.run("check")).table;
    expect(Object.keys(after).sort()).toEqual(Object.keys(SECRETS).sort());
    for (const [name, [state]] of Object.entries(after)) expect(state, name).toBe("unchanged");
    const check = await (await changed()).run("check", { names: ["conf"] });
    expect(check.table.j).toEqual(["stale", 'reads "pw", which will change']);
    expect(check.table.s).toEqual(["stale", 'reads "pw", which will change']);
    expect(check.table).not.toHaveProperty("k");
  });

  it("a replay that runs out of recorded bytes is drift too", async () => {
    const w = await generated();
    const entry = w.store.entropy.get("pw");
    if (entry) entry.record = { ...entry.record, entropy: entry.record.entropy.subarray(0, 2) };
    expect((await w.run("generate")).table.pw).toEqual([
      "drift",
      "the recorded entropy ran out though nothing changed (drift); the old value is kept",
    ]);
  });

  it("orphans: files of secrets no longer declared, with a key and offline", async () => {
    const w = await generated();
    const rest: Record<string, unknown> = { ...SECRETS };
    delete rest.m;
    w.decls = declare(rest);
    const orphan = ["orphan", "no longer declared; `secretgen prune` removes its files"];
    expect((await w.run("check")).table.m).toEqual(orphan);
    expect(rows(offline(w), {}).m).toEqual(orphan);
  });
});
