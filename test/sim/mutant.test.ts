/**
 * The simulation catches a seeded bug. A copy of the built CLI is changed so that a reader whose
 * input changed is rendered from fresh randomness instead of its own recorded bytes (the rule
 * before readers kept what they did not read): its random part and bcrypt salts then change,
 * and the walk must stop on it, naming the seed and the step.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ROOT } from "../helpers/repo.js";
import { simulate } from "./world.js";

const RERENDER = `"regenerated", record.entropy, record.memo)`;
const FRESH = `"regenerated", new Uint8Array(0), {})`;

describeWithTools(
  ["age", "age-keygen", "ssh-keygen"],
  "the simulation catches a seeded bug",
  () => {
    // Inside the checkout, so the copy finds the same node_modules as the real bundle.
    const dir = mkdtempSync(join(ROOT, "dist", "mutant-"));
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it("readers drawing fresh randomness when an input changes", { timeout: 600_000 }, async () => {
      cpSync(join(ROOT, "dist/bundle"), dir, { recursive: true });
      const patched = readdirSync(dir).filter((f) => {
        const path = join(dir, f);
        const text = f.endsWith(".js") ? readFileSync(path, "utf8") : "";
        if (!text.includes(RERENDER)) return false;
        writeFileSync(path, text.replace(RERENDER, FRESH));
        return true;
      });
      expect(patched).toHaveLength(1); // the bundle still has the line this test changes
      await expect(simulate({ seed: 1, steps: 200, cli: join(dir, "main.js") })).rejects.toThrow(
        /^seed 1, step \d+: .*the random part of \S+ changed though only what it reads did/,
      );
    });
  },
);
