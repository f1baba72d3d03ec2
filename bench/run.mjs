/**
 * The benchmark: `node bench/run.mjs [--sizes 100,1000,10000] [--repeat 3] [--jobs N] [--keep]`
 * (after `npx tsc -p tsconfig.build.json`; `npx just bench` does both).
 *
 * For each size N: write the synthetic declarations (synth.mjs), time the first `generate`
 * (once: it builds the tree), then in K rounds time every measure once each (no-op generate,
 * no-op check, check --offline, each rekey on its own copy of the tree, the floors of
 * floors.mjs), and report medians. Writes bench/results/latest.json, docs/bench.md and
 * docs/bench.svg. Scratch trees live in bench/results/tmp/ (git-ignored), removed at the end
 * unless --keep.
 */
import process from "node:process";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chart } from "./chart.mjs";
import {
  ageFloor,
  agenixWay,
  bareNode,
  bcryptFloor,
  decryptAll,
  rewriteAll,
  version,
} from "./floors.mjs";
import { CLI, ROOT, cliEnv, progress, secretgen, summarize } from "./measure.mjs";
import { alignTable, markdown, prettify, tables } from "./report.mjs";
import { RATIOS } from "./series.mjs";
import { census, declarations, nameOf, privateKeys, writeJobs } from "./synth.mjs";

const USAGE = `usage: node bench/run.mjs [--sizes 100,1000,10000] [--repeat K] [--jobs N] [--keep]
  --sizes   numbers of secrets, comma-separated (default 100,1000,10000)
  --repeat  runs of each measure; the median is reported (default 3)
  --jobs    passed to secretgen as --jobs (default: secretgen's own)
  --keep    keep the scratch trees in bench/results/tmp/
`;

/** Age -d runs one process per file: only up to this N. */
const AGE_PER_FILE_MAX = 1000;

/** Start-up floors and `check --offline` are cheap and noisy: at least this many runs in all. */
const STARTUP_RUNS = 10;
/** The no-op check and the node:crypto floor it is compared with: at least this many runs each. */
const PAIRED_RUNS = 6;

function options() {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "100,1000,10000" },
      repeat: { type: "string", default: "3" },
      jobs: { type: "string" },
      keep: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const int = (s, what) => {
    const v = Number(s);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what}: a positive integer, not ${s}`);
    return v;
  };
  return {
    sizes: values.sizes.split(",").map((s) => int(s.trim(), "--sizes")),
    repeat: int(values.repeat, "--repeat"),
    jobs: values.jobs === undefined ? undefined : int(values.jobs, "--jobs"),
    keep: values.keep,
  };
}

function git(args) {
  const r = spawnSync("git", args, { cwd: ROOT, encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

function haveAge() {
  return spawnSync("age", ["--version"]).status === 0;
}

/** Run secretgen and check that its summary says what the measure expects. */
function expectSummary(result, pattern, what) {
  if (!pattern.test(result.stdout))
    throw new Error(`${what}: expected ${pattern} in its output:\n${result.stdout}`);
  return result.ms;
}

/** Measure one size; returns `{ n, census, times, ratios, seconds }`. */
function benchSize(n, opts, keys, tmp) {
  const started = Date.now();
  const loadBefore = loadavg()[0];
  const dir = join(tmp, `n${n}`);
  const base = join(dir, "tree");
  mkdirSync(join(base, "secrets"), { recursive: true });
  writeFileSync(join(base, "secrets/secrets.json"), JSON.stringify(declarations(n), null, 2));
  const rekeyDecls = JSON.stringify(declarations(n, { rekey: true }), null, 2);
  const adminDecls = JSON.stringify(declarations(n, { admin: true }), null, 2);
  const jobs = writeJobs(n, base);
  const jobFiles = {};
  for (const [id, job] of Object.entries(jobs)) {
    jobFiles[id] = join(dir, `job-${id}.json`);
    writeFileSync(jobFiles[id], JSON.stringify(job));
  }
  const c = census(n);
  const sg = (repo, args, key = keys.admin) =>
    secretgen(repo, args, { key, jobs: opts.jobs, keysDir: keys.dir });

  const env = cliEnv(keys.dir);
  const threads = Math.min(2, availableParallelism());
  // The first generate runs once; its floors are taken right before and right after it.
  const firstFloors = () => ({
    bcrypt: bcryptFloor(c.bcrypts, 10, threads, env),
    encrypt: rewriteAll(jobFiles.first, jobs.first, keys.admin, env).ms,
  });
  progress(`N=${n}: first generate (${c.bcrypts} bcrypts of cost 10), between its floors…`);
  const before = firstFloors();
  const first = sg(base, ["generate"]);
  const after = firstFloors();
  expectSummary(first, new RegExp(`created ${n}\\b`), "first generate");
  progress(`N=${n}: first generate took ${(first.ms / 1000).toFixed(1)} s`);

  const entropyDir = join(base, "secrets/entropy");
  const halfRekeyed = new RegExp(`rekeyed ${Math.floor(n / 2)}\\b`);
  const allRekeyed = new RegExp(`rekeyed ${n}\\b`);
  const unchanged = new RegExp(`unchanged ${n}\\b`);
  const withAge = n <= AGE_PER_FILE_MAX && keys.age;
  const copies = rekeyCopies(dir, base, opts.repeat, { host: rekeyDecls, admin: adminDecls });
  const times = {
    noopGenerate: [],
    check: [],
    checkOffline: [],
    rekey: [],
    rekeyAdmin: [],
    nodeCrypto: [],
    nodeCryptoInProcess: [],
    ageEncryption: [],
    agePerFile: [],
    bareNode: [],
    version: [],
    floorFirst: [],
    floorBcrypt: [],
    floorRekey: [],
    floorRekeyAdmin: [],
    agenixRekey: [],
    agenixRekeyAdmin: [],
  };
  times.floorBcryptFirst = [before.bcrypt, after.bcrypt];
  times.floorFirstAdjacent = [before.encrypt, after.encrypt];
  for (let round = 1; round <= opts.repeat; round++) {
    progress(`N=${n}: round ${round}/${opts.repeat}`);
    times.noopGenerate.push(expectSummary(sg(base, ["generate"]), unchanged, "no-op generate"));
    // The no-op check is compared with the node:crypto floor: the two are measured in turn, at
    // least PAIRED_RUNS times each over the rounds, for the reason given below.
    for (let i = 0; i < Math.ceil(PAIRED_RUNS / opts.repeat); i++) {
      times.check.push(expectSummary(sg(base, ["check"]), unchanged, "no-op check"));
      const fast = decryptAll("node-crypto", entropyDir, keys.admin, n, env);
      times.nodeCrypto.push(fast.ms);
      times.nodeCryptoInProcess.push(fast.inProcessMs);
    }
    // `check --offline` is compared with the bare node start, so the two are measured in turn,
    // as often as the start-up: this machine's noise comes in bursts, and measures taken
    // minutes apart, or too few of them, can land in different ones.
    for (let i = 0; i < Math.ceil(STARTUP_RUNS / opts.repeat); i++) {
      times.bareNode.push(bareNode(env));
      times.version.push(version(env));
      const offline = sg(base, ["check", "--offline"], undefined);
      times.checkOffline.push(expectSummary(offline, unchanged, "check --offline"));
    }

    // Each rekey and its node:crypto floor in turn, each rekey on its own copy of the tree
    // (made before the rounds: see rekeyCopies).
    const host = copies[round - 1].host;
    times.rekey.push(expectSummary(sg(host, ["generate"]), halfRekeyed, "rekey"));
    if (round === 1 && keys.age) checkRekeyed(host, keys);
    times.floorRekey.push(rewriteAll(jobFiles.host, jobs.host, keys.admin, env).ms);
    const admin = copies[round - 1].admin;
    times.rekeyAdmin.push(expectSummary(sg(admin, ["generate"]), allRekeyed, "admin rekey"));
    times.floorRekeyAdmin.push(rewriteAll(jobFiles.admin, jobs.admin, keys.admin, env).ms);
    times.floorFirst.push(rewriteAll(jobFiles.first, jobs.first, keys.admin, env).ms);
    times.floorBcrypt.push(bcryptFloor(c.bcrypts, 10, threads, env));
    if (withAge) {
      times.agenixRekey.push(agenixWay(jobs.host, keys.admin, env));
      times.agenixRekeyAdmin.push(agenixWay(jobs.admin, keys.admin, env));
    }

    times.ageEncryption.push(decryptAll("age-encryption", entropyDir, keys.admin, n, env).ms);
    if (withAge) times.agePerFile.push(ageFloor(entropyDir, keys.admin, n, env));
  }
  const summary = { firstGenerate: summarize([first.ms]) };
  for (const [id, runs] of Object.entries(times))
    if (runs.length > 0) summary[id] = summarize(runs);
  const medians = Object.fromEntries(Object.entries(summary).map(([id, t]) => [id, t.median]));
  const ratios = {};
  for (const r of RATIOS) {
    const v = r.of(medians);
    if (v !== undefined) ratios[r.id] = Math.round(v * 100) / 100;
  }
  return {
    n,
    census: c,
    times: summary,
    ratios,
    seconds: Math.round((Date.now() - started) / 1000),
    // The 1-minute load average at the start and end: other work on the machine slows
    // everything, and parallel runs more than the one-thread floors.
    load: [loadBefore, loadavg()[0]].map((l) => Math.round(l * 100) / 100),
  };
}

/**
 * The trees the rekeys run on: for each round, a copy of `base` with the declarations of each
 * rekey, all made before the first round and flushed to disk (thousands of new files are the
 * setup's writes: left dirty, they would be paid by the rekey's first fsyncs), and removed only
 * once the whole benchmark is done. Nothing is deleted while the rekeys are measured: on an
 * ext4 without a journal, which some virtual machines use, creating a file skips, one by one,
 * the inodes of its group freed in the last minutes, so a rekey run just after the previous
 * round's tree was removed paid seconds for its temporary files (2000 files created in 43 ms
 * on a quiet disk, 1.4 to 2.5 s within a minute of deleting 4000), which the floors never pay.
 */
function rekeyCopies(dir, base, rounds, decls) {
  const copies = [];
  for (let round = 1; round <= rounds; round++) {
    const copy = {};
    for (const [id, text] of Object.entries(decls)) {
      copy[id] = join(dir, `rekey-${round}-${id}`);
      cpSync(base, copy[id], { recursive: true });
      writeFileSync(join(copy[id], "secrets/secrets.json"), text);
    }
    copies.push(copy);
  }
  spawnSync("sync");
  return copies;
}

/** After the rekey, both hosts' own keys open a file db01 was just added to (`age -d`). */
function checkRekeyed(repo, keys) {
  const file = join(repo, "secrets/data", `${nameOf(1)}.age`);
  for (const key of [keys.web01, keys.db01]) {
    if (spawnSync("age", ["-d", "-i", key, file]).status !== 0)
      throw new Error(`${key} cannot decrypt ${file} after the rekey`);
  }
}

/** Indented JSON with each list of times on one line. */
function toJson(results) {
  const text = JSON.stringify(results, null, 2);
  return (
    text.replace(/\[\s+([-\d.,\s]+?)\s+\]/g, (_, list) => `[${list.split(/,\s*/).join(", ")}]`) +
    "\n"
  );
}

async function main() {
  const opts = options();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: build first (npx just build)`);
  const tmp = join(ROOT, "bench/results/tmp");
  const keysDir = mkdtempSync(join(tmpdir(), "secretgen-bench-keys-"));
  const keys = { dir: keysDir, ...privateKeys(keysDir), age: haveAge() };
  if (!keys.age) progress("age is not installed: the `age -d` per file floor is skipped");
  const cpuList = cpus();
  const results = {
    format: "secretgen-bench/1",
    date: new Date().toISOString(),
    secretgen: {
      version: spawnSync(process.execPath, [CLI, "--version"], { encoding: "utf8" }).stdout.trim(),
      commit:
        git(["rev-parse", "--short", "HEAD"]) +
        (git(["status", "--porcelain", "src"]) ? "+changes" : ""),
    },
    machine: {
      node: process.versions.node,
      platform: `${process.platform}-${process.arch}`,
      cpus: availableParallelism(),
      cpuModel: cpuList[0]?.model.trim() ?? "unknown",
    },
    options: { sizes: opts.sizes, repeat: opts.repeat, jobs: opts.jobs },
    sizes: [],
  };
  try {
    rmSync(tmp, { recursive: true, force: true });
    for (const n of opts.sizes) {
      results.sizes.push(benchSize(n, opts, keys, tmp));
    }
  } finally {
    rmSync(keysDir, { recursive: true, force: true });
    // Only now: deleting a tree slows the file creations that follow it (see rekeyCopies).
    if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
  }

  const resultsDir = join(ROOT, "bench/results");
  writeFileSync(join(resultsDir, "latest.json"), toJson(results));
  writeFileSync(join(ROOT, "docs/bench.svg"), chart(results));
  const md = join(ROOT, "docs/bench.md");
  writeFileSync(md, await prettify(markdown(results), md));
  const t = tables(results);
  process.stdout.write(`${alignTable(t.times)}\n\n${alignTable(t.ratios)}\n`);
  progress("wrote bench/results/latest.json, docs/bench.md, docs/bench.svg");
}

await main();
