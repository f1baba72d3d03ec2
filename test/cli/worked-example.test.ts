/**
 * The repository's own worked example: on any machine, every committed secret replays
 * unchanged, whether the declarations come from secrets/secrets.json, from
 * nix/example/default.nix, or from the flake output `.#secretgen`.
 */
import { cpSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { ROOT, TestRepo, changedFiles } from "../helpers/repo.js";

let repo: TestRepo;
beforeEach(() => {
  repo = new TestRepo();
  cpSync(join(ROOT, "secrets"), repo.path("secrets"), { recursive: true });
  cpSync(join(ROOT, "templates"), repo.path("templates"), { recursive: true });
});
afterEach(() => {
  repo.cleanup();
});

const SOURCES: { name: string; args: () => string[]; tools: string[] }[] = [
  { name: "secrets/secrets.json", args: () => [], tools: ["age"] },
  {
    name: "--nix nix/example/default.nix",
    args: () => ["--nix", join(ROOT, "nix/example/default.nix")],
    tools: ["nix-instantiate"],
  },
  { name: "--nix .#secretgen (flake)", args: () => ["--nix", `${ROOT}#secretgen`], tools: ["nix"] },
];

for (const source of SOURCES) {
  describeWithTools(source.tools, `worked example from ${source.name}`, () => {
    it("replays every secret unchanged and writes nothing", () => {
      const before = repo.snapshot();
      const r = repo.run(["generate", ...source.args()]);
      expect(r.stderr).toBe("");
      expect(r.stdout.trim()).toBe("unchanged 13");
      expect(r.code).toBe(0);
      expect(changedFiles(before, repo.snapshot())).toEqual([]);
      const check = repo.run(["check", ...source.args()]);
      expect(check.code).toBe(0);
      const offline = repo.run(["check", "--offline", ...source.args()], { identity: false });
      expect(offline.code).toBe(0);
    });
  });
}
