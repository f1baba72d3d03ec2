#!/usr/bin/env node
// `npx just simulate [--seeds N] [--steps S]`: the deterministic simulation (test/sim/) with N
// random seeds (default 4) of S steps (default 200). A failure names its seed and step; replay it
// with `SECRETGEN_SIM_SEEDS=SEED npx vitest run test/sim/simulate-a.test.ts`.
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i === -1) return fallback;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1) {
    console.error(`simulate: ${name} takes a positive whole number`);
    process.exit(2);
  }
  return n;
};
const count = option("--seeds", 4);
const steps = option("--steps", 200);
const seeds = Array.from({ length: count }, () => randomInt(1, 2 ** 31));
console.log(`simulate: seeds ${seeds.join(", ")}; ${steps} steps each`);
const run = spawnSync(
  "npx",
  ["vitest", "run", "test/sim/simulate-a.test.ts", "test/sim/simulate-b.test.ts"],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      SECRETGEN_SIM_SEEDS: seeds.join(","),
      SECRETGEN_SIM_STEPS: String(steps),
    },
  },
);
if (run.status !== 0) {
  console.error(
    "simulate: a seed failed (its message names the seed and step); replay one with\n" +
      "  SECRETGEN_SIM_SEEDS=SEED npx vitest run test/sim/simulate-a.test.ts",
  );
}
process.exit(run.status ?? 1);
