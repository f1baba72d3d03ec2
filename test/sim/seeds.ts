/**
 * The simulation's seeds. CI runs fixed ones; `npx just simulate --seeds N` passes random ones in
 * SECRETGEN_SIM_SEEDS (comma-separated), split between the two test files so both cores work.
 */
import { expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { simulate } from "./world.js";

export function simulationSuite(part: 0 | 1, fixed: number[]): void {
  const env = process.env.SECRETGEN_SIM_SEEDS;
  const seeds =
    env === undefined || env === ""
      ? fixed
      : env
          .split(",")
          .map(Number)
          .filter((_, i) => i % 2 === part);
  const steps = Number(process.env.SECRETGEN_SIM_STEPS ?? 200);
  describeWithTools(["age", "age-keygen", "ssh-keygen"], "deterministic simulation", () => {
    it.for(seeds)(
      `seed %i, ${steps} steps: every file and value as the model predicts`,
      {
        timeout: 900_000,
      },
      async (seed) => {
        await expect(simulate({ seed, steps })).resolves.toBeUndefined();
      },
    );
  });
}
