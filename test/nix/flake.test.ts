/**
 * flake.nix as Nix itself sees it: `nix flake check` accepts it (its nixosModules are modules,
 * not bare paths), and each nixosModules output evaluated with the module evaluator of
 * test/fixtures/nix/ sets age.secrets as nix/module.nix does.
 */
import { rmSync } from "node:fs";
import { execa } from "execa";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { FLAKE_FILES, NIX_TOOLS, ROOT, gitRepoWith } from "./support.js";

const FLAKES = ["--extra-experimental-features", "nix-command flakes"];
let dir: string;
beforeAll(async () => {
  dir = await gitRepoWith(FLAKE_FILES);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describeWithTools(NIX_TOOLS, "flake.nix", () => {
  it("nix flake check accepts it", async () => {
    const r = await execa("nix", [...FLAKES, "flake", "check", dir], {
      reject: false,
      stdin: "ignore",
    });
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.exitCode).toBe(0);
  });

  it("nix flake show lists both nixosModules as NixOS modules", async () => {
    const r = await execa("nix", [...FLAKES, "flake", "show", "--json", dir], { stdin: "ignore" });
    const shown = JSON.parse(r.stdout) as { nixosModules: Record<string, { type: string }> };
    expect(shown.nixosModules).toStrictEqual({
      default: { type: "nixos-module" },
      secretgen: { type: "nixos-module" },
    });
  });

  it.for(["default", "secretgen"])("nixosModules.%s evaluates as nix/module.nix", async (name) => {
    const expr = `let
      flake = builtins.getFlake "git+file://${dir}";
      evalModules = import ${ROOT}/test/fixtures/nix/eval-modules.nix;
      config = evalModules { modules = [
        flake.nixosModules.${name}
        ({ ... }: {
          secretgen.dataDir = "/repo/secrets/data";
          secretgen.secrets."db/password" = { owner = "postgres"; random.length = 24; };
        })
      ]; };
    in config.age.secrets`;
    const r = await execa("nix", [...FLAKES, "eval", "--impure", "--json", "--expr", expr], {
      stdin: "ignore",
    });
    expect(JSON.parse(r.stdout)).toStrictEqual({
      "db/password": { file: "/repo/secrets/data/db/password.age", owner: "postgres" },
    });
  });
});
