/**
 * A deterministic simulation in the spirit of FoundationDB's: a seeded random walk over a tree
 * of 32 secrets of every generator kind (two hosts with ssh-ed25519 and ssh-rsa keys, two
 * admins). Each step changes something (a declaration, a secret others read, hosts, host keys,
 * admins, rotate, set, a failing script, an outside edit, a deleted file, key order, --jobs, a
 * killed run) and runs the CLI; the model (model.ts, which knows nothing of the engine) predicts
 * which files may change and which values must stay, and after every step every file under
 * secrets/ is compared with that prediction and the values it keeps are decrypted. Any surprise
 * throws with the seed and the step number, so the walk can be replayed.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decrypt, loadIdentityFile, type Identity } from "../../src/age/index.js";
import { ADMIN_RECIPIENT, DB01, TestRepo, WEB01, changedFiles } from "../helpers/repo.js";
import { Model, type Kind, type Prediction, type SecretModel } from "./model.js";

/** mulberry32: a small seeded generator (the walk must replay from its seed). */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    pick<T>(xs: readonly T[]): T {
      const x = xs[Math.floor(next() * xs.length)];
      if (x === undefined) throw new Error("pick from an empty list");
      return x;
    },
    shuffle<T>(xs: T[]): T[] {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [xs[i], xs[j]] = [xs[j] as T, xs[i] as T];
      }
      return xs;
    },
  };
}

const HOST_SETS = [["web01"], ["db01"], ["web01", "db01"]];
const SCRIPT_INPUTS = ["/usr"];

function buildModel(r: ReturnType<typeof rng>): Model {
  const m = new Model();
  const add = (
    name: string,
    kind: Kind,
    generator: Record<string, unknown>,
    reads: string[] = [],
  ) => {
    m.add({ name, kind, generator, reads, hosts: [...r.pick(HOST_SETS)] });
  };
  for (let i = 0; i < 14; i++) {
    const charset = r.pick(["alnum", "hex", "digits", "lowercase"]);
    add(`r/${i}`, "random", { length: 8 + r.int(12), charset });
  }
  add("m/0", "manual", {});
  add("m/1", "manual", {});
  const template = (name: string, reads: string[], extra = "") => {
    add(
      name,
      "template",
      {
        content: `R={{random 10}};${reads.map((n) => `K={{secret "${n}"}}`).join(";")}${extra}`,
      },
      reads,
    );
  };
  template("t/0", ["r/0"]);
  template("t/1", ["r/1", "m/0"]);
  template("t/2", ["r/2", "r/3"]);
  template("t/3", ["m/1"]);
  template("t/4", ["t/0"]); // a chain: t/4 reads t/0 reads r/0
  template("t/5", ["r/4"], ';B={{bcrypt (secret "r/5") 4}}');
  m.secrets.get("t/5")?.reads.push("r/5");
  template("t/6", ["s/0"]);
  const json = (name: string, reads: string[]) => {
    add(
      name,
      "json",
      {
        content: {
          key: { __secretgen: "random", args: [16] },
          lit: "x",
          hash: {
            __secretgen: "bcrypt",
            // sha256 first: a template it reads may grow past bcrypt's 72 bytes.
            args: [
              { __secretgen: "sha256", args: [{ __secretgen: "secret", args: [reads[0]] }] },
              4,
            ],
          },
        },
      },
      reads,
    );
  };
  json("j/0", ["r/6"]);
  json("j/1", ["r/7"]);
  json("j/2", ["m/0"]);
  json("j/3", ["t/2"]);
  add("k/wg", "keypair", { wireguard: {} });
  add("k/ssh", "keypair", { "ssh-ed25519": {} });
  add("k/age", "keypair", { age: {} });
  add(
    "s/0",
    "script",
    {
      script: 'sha256sum < "$SECRETS_DIR/r/8" | cut -c1-20',
      dependencies: ["r/8"],
      runtimeInputs: SCRIPT_INPUTS,
    },
    ["r/8"],
  );
  add("s/1", "script", { script: "printf 'v1-%s' ok", runtimeInputs: SCRIPT_INPUTS });
  m.hosts = { web01: [WEB01], db01: [DB01] };
  m.admins = [ADMIN_RECIPIENT];
  return m;
}

export interface SimOptions {
  seed: number;
  steps: number;
  /** The CLI to run (a test points it at a modified bundle to show a bug is caught). */
  cli?: string;
}

export class SimulationFailure extends Error {}

export async function simulate(opts: SimOptions): Promise<void> {
  const r = rng(opts.seed);
  const model = buildModel(r);
  const repo = new TestRepo(model.document());
  if (opts.cli !== undefined) repo.cli = opts.cli;
  try {
    await walk(opts, r, model, repo);
  } finally {
    repo.cleanup();
  }
}

async function walk(
  opts: SimOptions,
  r: ReturnType<typeof rng>,
  model: Model,
  repo: TestRepo,
): Promise<void> {
  let step = 0;
  const fail = (what: string): never => {
    throw new SimulationFailure(`seed ${opts.seed}, step ${step}: ${what}`);
  };
  const identities: Identity[] = (
    await loadIdentityFile(repo.adminKey, { passphrase: () => Promise.reject(new Error("none")) })
  ).identities;
  const secondAdmin = join(repo.keysDir, "admin2.key");
  execFileSync("age-keygen", ["-o", secondAdmin], { stdio: "ignore" });
  const admin2 = /public key: (age1[0-9a-z]+)/.exec(readFileSync(secondAdmin, "utf8"))?.[1] ?? "";
  const altKey = join(repo.keysDir, "web01_alt");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", altKey]);
  const web01Alt = readFileSync(`${altKey}.pub`, "utf8").split(" ").slice(0, 2).join(" ");

  const failingScripts = new Set<string>();
  const originalScript = new Map<string, Record<string, unknown>>();
  let values = new Map<string, Buffer>();
  const declare = () => {
    repo.declare(model.document());
  };
  const jobs = () => (r.int(2) === 0 ? ["--jobs", "1"] : ["--jobs", "2"]);

  /** Every value, decrypting only the data files whose bytes changed since the last read. */
  const ciphertexts = new Map<string, Buffer>();
  const readValues = async (): Promise<Map<string, Buffer>> => {
    const out = new Map<string, Buffer>();
    for (const name of model.secrets.keys()) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(repo.path(`secrets/data/${name}.age`));
      } catch {
        continue;
      }
      const known = values.get(name);
      if (known !== undefined && ciphertexts.get(name)?.equals(bytes) === true) {
        out.set(name, known);
        continue;
      }
      out.set(name, Buffer.from(await decrypt(new Uint8Array(bytes), identities)));
      ciphertexts.set(name, bytes);
    }
    return out;
  };

  const generate = (extra: string[] = [], env: NodeJS.ProcessEnv = {}) =>
    repo.run(["generate", ...jobs(), ...extra], { env });

  /** Run `act`, then hold the tree to `prediction`. */
  const expectStep = async (
    what: string,
    prediction: Prediction,
    act: () => { code: number; stderr: string },
    also: {
      edited?: string[];
      value?: [string, string];
      scoped?: boolean;
      /** A generated secret this step edits outside secretgen: its own value is not held. */
      outside?: string;
    } = {},
  ) => {
    const before = repo.snapshot();
    const result = act();
    const failing = prediction.failing.size > 0 || failingScripts.size > 0;
    // A command limited to some secrets (set, rotate) does not meet a failing script elsewhere.
    const wantCode = failing && also.scoped !== true ? 3 : 0;
    if (result.code !== wantCode)
      fail(`${what}: exit ${result.code}, expected ${wantCode}: ${result.stderr.slice(0, 2000)}`);
    const changed = changedFiles(before, repo.snapshot()).filter(
      (f) => !/secrets\/(secrets\.json|\.secretgen\.lock)$/.test(f),
    );
    const allowed = new Set([...prediction.mayChange, ...(also.edited ?? [])]);
    const surprise = changed.filter((f) => !allowed.has(f));
    if (surprise.length > 0) fail(`${what}: unexpected changes to ${surprise.join(", ")}`);
    const now = await readValues();
    for (const name of prediction.keep) {
      if (name === also.outside) continue;
      const was = values.get(name);
      const is = now.get(name);
      if (was !== undefined && (is === undefined || !was.equals(is)))
        fail(`${what}: the value of ${name} changed`);
    }
    for (const name of prediction.keepRandomPart) {
      const json = model.secrets.get(name)?.kind === "json";
      const part = (v: Buffer | undefined) =>
        json
          ? (JSON.parse(v?.toString() ?? "{}") as { key?: string }).key
          : /^R=([^;]*)/.exec(v?.toString() ?? "")?.[1];
      if (part(values.get(name)) !== part(now.get(name)))
        fail(`${what}: the random part of ${name} changed though only what it reads did`);
    }
    if (also.value !== undefined) {
      const [name, want] = also.value;
      if (now.get(name)?.toString() !== want) fail(`${what}: ${name} does not hold its new value`);
    }
    const edited = also.outside === undefined ? undefined : values.get(also.outside);
    values = now;
    if (also.outside !== undefined && edited !== undefined) values.set(also.outside, edited);
    model.settle(prediction.failing);
  };

  const failingNow = () => [...failingScripts];
  const predict = (o: Parameters<Model["predict"]>[0] = {}) =>
    model.predict({ ...o, failing: [...failingNow(), ...(o.failing ?? [])] });
  const pickKind = (...kinds: Kind[]) =>
    r.pick([...model.secrets.values()].filter((s) => kinds.includes(s.kind)));
  const withReaders = () =>
    r.pick([...model.secrets.values()].filter((s) => model.readersOf(s.name).length > 0));
  const healthy = (s: SecretModel) => !model.closure(failingScripts).has(s.name);

  // Start: everything generated, the manual secrets set.
  if (generate().code !== 0) fail("first generate failed");
  for (const name of ["m/0", "m/1"])
    if (repo.run(["set", name], { input: `v-${name}` }).code !== 0) fail(`set ${name}`);
  model.settle(new Set());
  values = await readValues();

  const changeDeclaration = (s: SecretModel) => {
    const g = s.generator;
    if (s.kind === "random") g.length = 8 + (((g.length as number) - 7 + r.int(3)) % 12);
    else if (s.kind === "template")
      g.content = `${(g.content as string).replace(/;L=\d+$/, "")};L=${r.int(1000)}`;
    else if (s.kind === "json") (g.content as Record<string, unknown>).lit = `x${r.int(1000)}`;
    else if (s.kind === "script") g.script = `${g.script as string} # ${r.int(1000)}`;
  };

  const stepKinds: [number, () => Promise<void>][] = [
    [
      6,
      async () => {
        const s = pickKind("random", "template", "json", "script");
        if (!healthy(s)) return;
        changeDeclaration(s);
        declare();
        await expectStep(`declaration of ${s.name} changed`, predict(), () => generate());
      },
    ],
    [
      4,
      async () => {
        const s = withReaders();
        if (!healthy(s) || s.kind === "manual" || s.kind === "keypair") return;
        changeDeclaration(s);
        declare();
        await expectStep(`${s.name}, read by others, changed`, predict(), () => generate());
      },
    ],
    [
      3,
      async () => {
        const s = r.pick([...model.secrets.values()]);
        s.hosts = s.hosts.includes("db01")
          ? s.hosts.filter((h) => h !== "db01")
          : [...s.hosts, "db01"];
        if (s.hosts.length === 0) s.hosts = ["web01"];
        declare();
        await expectStep(`hosts of ${s.name} changed`, predict(), () => generate());
      },
    ],
    [
      2,
      async () => {
        model.hosts.web01 = model.hosts.web01?.[0] === WEB01 ? [web01Alt] : [WEB01];
        declare();
        await expectStep("web01's host key changed", predict(), () => generate());
      },
    ],
    [
      2,
      async () => {
        model.admins = model.admins.includes(admin2)
          ? [ADMIN_RECIPIENT]
          : [ADMIN_RECIPIENT, admin2];
        declare();
        await expectStep("an admin added or removed", predict(), () => generate());
      },
    ],
    [
      3,
      async () => {
        const s = pickKind("random", "template", "json", "keypair");
        if (!healthy(s)) return;
        await expectStep(
          `rotate ${s.name}`,
          predict({ valueChanges: [s.name], ownRandomChanges: [s.name] }),
          () => repo.run(["rotate", s.name, ...jobs()]),
          { scoped: true },
        );
      },
    ],
    [
      3,
      async () => {
        const name = r.pick(["m/0", "m/1"]);
        const same = r.int(2) === 0;
        const value = same ? (values.get(name)?.toString() ?? "") : `v${r.int(1e9)}`;
        await expectStep(
          `set ${name} (${same ? "same" : "new"} value)`,
          predict({ valueChanges: same ? [] : [name] }),
          () => repo.run(["set", name], { input: value }),
          { value: [name, value], scoped: true },
        );
      },
    ],
    [
      2,
      async () => {
        const name = "s/1";
        const s = model.secrets.get(name);
        if (s === undefined) return;
        if (failingScripts.has(name)) {
          s.generator = originalScript.get(name) ?? s.generator;
          failingScripts.delete(name);
          declare();
          await expectStep(`${name} stops failing`, predict(), () => generate());
        } else {
          originalScript.set(name, s.generator);
          s.generator = { ...s.generator, script: "exit 3" };
          failingScripts.add(name);
          declare();
          await expectStep(`${name} starts failing`, predict(), () => generate());
        }
      },
    ],
    [
      2,
      async () => {
        const name = r.pick(["m/0", "m/1"]);
        const s = model.secrets.get(name);
        if (s === undefined) return;
        const value = `outside-${r.int(1e9)}`;
        const recipients = [
          ...model.admins,
          ...s.hosts.flatMap((h) => model.hosts[h] ?? []),
        ].flatMap((x) => ["-r", x]);
        await expectStep(
          `${name} set outside with age`,
          predict({ valueChanges: [name] }),
          () => {
            execFileSync("age", [...recipients, "-o", repo.path(`secrets/data/${name}.age`)], {
              input: value,
            });
            return generate();
          },
          { value: [name, value] },
        );
      },
    ],
    [
      2,
      async () => {
        const s = pickKind("random", "json");
        if (!healthy(s)) return;
        const path = repo.path(`secrets/data/${s.name}.age`);
        const original = readFileSync(path);
        await expectStep(
          `${s.name} edited outside (a generated secret)`,
          predict({ failing: [s.name] }),
          () => {
            execFileSync("age", ["-r", ADMIN_RECIPIENT, "-o", path], { input: "edited" });
            return generate();
          },
          { edited: [`secrets/data/${s.name}.age`], outside: s.name },
        );
        writeFileSync(path, original);
        await expectStep(`${s.name} restored from git`, predict(), () => generate(), {
          edited: [`secrets/data/${s.name}.age`],
        });
      },
    ],
    [
      2,
      async () => {
        const s = pickKind("random", "template", "json", "keypair", "script");
        if (!healthy(s)) return;
        const script = s.kind === "script";
        await expectStep(
          `data file of ${s.name} deleted`,
          predict({ restored: [s.name], valueChanges: script ? [s.name] : [] }),
          () => {
            rmSync(repo.path(`secrets/data/${s.name}.age`));
            return generate();
          },
        );
      },
    ],
    [
      2,
      async () => {
        const s = pickKind("random", "template", "json");
        if (!healthy(s)) return;
        const path = repo.path(`secrets/entropy/${s.name}.age`);
        const original = readFileSync(path);
        await expectStep(
          `entropy file of ${s.name} deleted`,
          predict({ failing: [s.name] }),
          () => {
            rmSync(path);
            return generate();
          },
          { edited: [`secrets/entropy/${s.name}.age`] },
        );
        writeFileSync(path, original);
        await expectStep(`entropy file of ${s.name} restored`, predict(), () => generate(), {
          edited: [`secrets/entropy/${s.name}.age`],
        });
      },
    ],
    [
      2,
      async () => {
        const doc = model.document() as { secrets: Record<string, unknown> };
        const shuffled: Record<string, unknown> = {};
        for (const k of r.shuffle(Object.keys(doc.secrets))) shuffled[k] = doc.secrets[k];
        repo.declare({ hosts: model.hosts, secrets: shuffled, admins: model.admins });
        await expectStep("declaration keys permuted", predict(), () => generate());
      },
    ],
    [
      3,
      async () => {
        const s = pickKind("random", "template", "json");
        if (!healthy(s)) return;
        changeDeclaration(s);
        declare();
        const k = 1 + r.int(8);
        await expectStep(
          `declaration of ${s.name} changed, run killed after ${k} writes`,
          predict(),
          () => {
            const killed = generate([], { SECRETGEN_TEST_CRASH_AFTER_WRITES: String(k) });
            if (killed.code !== -1 && killed.code !== (failingScripts.size > 0 ? 3 : 0))
              fail(`killed run exited ${killed.code}: ${killed.stderr.slice(0, 400)}`);
            return generate();
          },
        );
      },
    ],
  ];
  const total = stepKinds.reduce((n, [w]) => n + w, 0);
  for (step = 1; step <= opts.steps; step++) {
    let x = r.int(total);
    for (const [w, run] of stepKinds) {
      if (x < w) {
        await run();
        break;
      }
      x -= w;
    }
    if (step % 25 === 0 && failingScripts.size === 0) {
      const offline = repo.run(["check", "--offline"], { identity: false });
      if (offline.code !== 0) fail(`check --offline exit ${offline.code}: ${offline.stdout}`);
    }
  }
}
