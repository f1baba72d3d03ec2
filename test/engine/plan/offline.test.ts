/**
 * decideOffline with names: the same scope as `check NAME…` — the names, the secrets that read
 * them (as recorded), and what they read that would be made anew — with readers of a changing
 * secret stale, and a name not declared refused.
 */
import { describe, expect, it } from "vitest";
import { decideOffline } from "../../../src/engine/plan/index.js";
import { World, declare } from "./memory.js";

const SECRETS = {
  pw: { hosts: [], random: { length: 12 } },
  conf: { hosts: [], template: { content: '{{secret "pw"}}' } },
  wrapped: { hosts: [], template: { content: '{{secret "conf"}}' } },
  other: { hosts: [], random: { length: 12 } },
};

function offline(w: World, names?: string[]) {
  const files = {
    dataHash: (n: string) => w.store.stored(w.decls).get(n)?.dataHash,
    entropyHash: (n: string) => w.store.stored(w.decls).get(n)?.entropyHash,
    publicHashes: (n: string) => w.store.publicHashes(n),
    listStored: () => w.store.listStored(),
  };
  return decideOffline({ decls: w.decls, manifest: w.store.manifest, files, names }).map(
    (r) => `${r.state} ${r.name}${r.reason === undefined ? "" : `: ${r.reason}`}`,
  );
}

describe("decideOffline", () => {
  it("a name and its readers, transitively; readers of a changed secret are stale", async () => {
    const w = new World(declare(SECRETS));
    await w.run("generate");
    expect(offline(w, ["conf"])).toEqual(["unchanged conf", "unchanged wrapped"]);
    w.decls = declare({ ...SECRETS, pw: { hosts: [], random: { length: 13 } } });
    // pw, which conf reads, is made anew: it is in scope too.
    expect(offline(w, ["conf"])).toEqual([
      'stale conf: reads "pw", which will change',
      "stale pw: declaration changed",
      'stale wrapped: reads "conf", which will change',
    ]);
    expect(offline(w, ["other"])).toEqual(["unchanged other"]);
    expect(offline(w, ["pw"])).toEqual([
      'stale conf: reads "pw", which will change',
      "stale pw: declaration changed",
      'stale wrapped: reads "conf", which will change',
    ]);
  });

  it("follows what a name reads while it would be made anew", async () => {
    const w = new World(declare(SECRETS));
    await w.run("generate");
    w.decls = declare({
      ...SECRETS,
      conf: { hosts: [], template: { content: '{{secret "pw"}}!' } },
      pw: { hosts: [], random: { length: 13 } },
    });
    expect(offline(w, ["wrapped"])).toEqual([
      "stale conf: declaration changed",
      "stale pw: declaration changed",
      'stale wrapped: reads "conf", which will change',
    ]);
  });

  it("a changing secret read through others, and its other readers, are in scope too", async () => {
    const secrets = {
      ...SECRETS,
      side: { hosts: [], template: { content: '{{secret "pw"}}-side' } },
    };
    const w = new World(declare(secrets));
    await w.run("generate");
    w.decls = declare({ ...secrets, pw: { hosts: [], random: { length: 13 } } });
    // wrapped reads pw only through conf, which is unchanged itself but will change.
    const all = [
      'stale conf: reads "pw", which will change',
      "stale pw: declaration changed",
      'stale side: reads "pw", which will change',
      'stale wrapped: reads "conf", which will change',
    ];
    expect(offline(w, ["wrapped"])).toEqual(all);
    expect(offline(w, ["side"])).toEqual(all);
    expect(offline(w, ["other"])).toEqual(["unchanged other"]);
    // The keyed check of the same names agrees.
    const keyed = await w.run("check", { names: ["wrapped"] });
    expect(Object.keys(keyed.table).sort()).toEqual(["conf", "pw", "side", "wrapped"]);
  });

  it("a secret that reads one no longer declared is stale", async () => {
    const w = new World(declare(SECRETS));
    await w.run("generate");
    const rest: Record<string, unknown> = { ...SECRETS };
    delete rest.pw;
    w.decls = declare(rest);
    expect(offline(w)).toContain('stale conf: reads "pw", which is no longer declared');
  });

  it("refuses a name that is not declared", () => {
    const w = new World(declare(SECRETS));
    expect(() => offline(w, ["nope"])).toThrow('no secret named "nope" is declared');
  });
});
