/**
 * The repository's own worked example: on any machine, every committed secret replays
 * unchanged, whether the declarations come from secrets/secrets.json, from
 * nix/example/default.nix, or from the flake output `.#secretgen`.
 */
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
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

describeWithTools(["nix-instantiate"], "the worked example's secrets.nix", () => {
  it("evaluates with nix-instantiate and lists the same recipients as the manifest", () => {
    const rules = JSON.parse(
      execFileSync("nix-instantiate", [
        "--eval",
        "--strict",
        "--json",
        join(ROOT, "secrets/secrets.nix"),
      ]).toString(),
    ) as Record<string, { publicKeys: string[] }>;
    const manifest = JSON.parse(readFileSync(join(ROOT, "secrets/manifest.json"), "utf8")) as {
      secrets: Record<string, { recipients: string[] }>;
    };
    const names = Object.keys(manifest.secrets).sort();
    expect(Object.keys(rules).sort()).toEqual(names.map((n) => `data/${n}.age`));
    for (const name of names) {
      expect(rules[`data/${name}.age`]?.publicKeys, name).toEqual(
        manifest.secrets[name]?.recipients,
      );
    }
  });
});
