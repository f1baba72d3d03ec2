/**
 * The worked example declared in Nix (nix/example/, flake.nix) evaluates to exactly
 * secrets/secrets.json, as a file and as a flake output; declared per host (hosts.nix, through
 * module.nix and collectDeclarations) it is the same document up to the order of hosts lists;
 * and the agenix wiring gives each host the expected `age.secrets`.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { evalNix } from "../../src/declarations/nix.js";
import { describeWithTools } from "../helpers/tools.js";
import {
  FLAKE_FILES,
  NIX_TOOLS,
  PRELUDE,
  ROOT,
  gitRepoWith,
  nixValue,
  secretsJson,
  sortHostLists,
} from "./support.js";

const web01AgeSecrets = {
  "user-passwords/alice": { file: "/repo/secrets/data/user-passwords/alice.age" },
  "user-passwords/bob": { file: "/repo/secrets/data/user-passwords/bob.age" },
  "postgres/app-password": {
    file: "/repo/secrets/data/postgres/app-password.age",
    owner: "postgres",
    group: "postgres",
    mode: "0440",
  },
  "nginx/htpasswd": {
    file: "/repo/secrets/data/nginx/htpasswd.age",
    owner: "nginx",
    group: "nginx",
    mode: "0440",
  },
  "app/env": { file: "/repo/secrets/data/app/env.age", owner: "app", path: "/run/app/env" },
  "grafana/config": { file: "/repo/secrets/data/grafana/config.age", owner: "grafana" },
  "app/cookie-key": { file: "/repo/secrets/data/app/cookie-key.age" },
  "wireguard/web01": {
    file: "/repo/secrets/data/wireguard/web01.age",
    owner: "systemd-network",
    mode: "0400",
  },
  "ssh/deploy-key": { file: "/repo/secrets/data/ssh/deploy-key.age" },
  "app/api-token-digest": { file: "/repo/secrets/data/app/api-token-digest.age" },
  "github/token": { file: "/repo/secrets/data/github/token.age" },
};

const db01AgeSecrets = {
  "postgres/app-password": {
    file: "/repo/secrets/data/postgres/app-password.age",
    owner: "postgres",
    group: "postgres",
    mode: "0440",
  },
  "wireguard/db01": {
    file: "/repo/secrets/data/wireguard/db01.age",
    owner: "systemd-network",
    mode: "0400",
  },
  "backup/age-key": { file: "/repo/secrets/data/backup/age-key.age" },
};

describeWithTools(NIX_TOOLS, "the worked example in Nix", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("nix/example/default.nix evaluates to secrets/secrets.json (--nix FILE.nix)", async () => {
    const value = await evalNix({ nix: "nix/example/default.nix", cwd: ROOT });
    expect(value).toStrictEqual(secretsJson());
  });

  it("the flake output secretgen evaluates to secrets/secrets.json (--nix .#secretgen)", async () => {
    const repo = await gitRepoWith(FLAKE_FILES);
    dirs.push(repo);
    expect(await evalNix({ nix: ".#secretgen", cwd: repo })).toStrictEqual(secretsJson());
    expect(await evalNix({ nix: `${repo}#secretgen`, cwd: ROOT })).toStrictEqual(secretsJson());
    // A missing flake attribute is an evaluation error (exit 2) with Nix's message.
    await expect(evalNix({ nix: ".#nope", cwd: repo })).rejects.toMatchObject({
      exitCode: 2,
      reason: "nix",
      message: expect.stringMatching(/does not provide attribute .*'nope'/) as unknown,
    });
  });

  it("declared per host (hosts.nix + module.nix + collectDeclarations) it is the same document", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      ex = import (root + "/nix/example/hosts.nix");
      configs = builtins.mapAttrs (_: m: evalModules { modules = [ moduleFile m ]; }) ex.hosts;
    in sg.collectDeclarations { inherit (ex) admins; hosts = configs; }`);
    expect(value).toStrictEqual(sortHostLists(secretsJson()));
    const postgres = (value as { secrets: Record<string, { hosts: string[] }> }).secrets[
      "postgres/app-password"
    ];
    expect(postgres?.hosts).toStrictEqual(["db01", "web01"]);
  });

  it("agenixSecrets gives each host its age.secrets (file, owner, group, mode, path)", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      declarations = import (root + "/nix/example");
      forHost = host: sg.agenixSecrets { inherit declarations host; dataDir = "/repo/secrets/data"; };
    in { web01 = forHost "web01"; db01 = forHost "db01"; nobody = forHost "nobody"; }`);
    expect(value).toStrictEqual({ web01: web01AgeSecrets, db01: db01AgeSecrets, nobody: {} });
  });

  it("module.nix gives the per-host example the same age.secrets, with a path dataDir", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      ex = import (root + "/nix/example/hosts.nix");
      ageSecrets = m: (evalModules { modules = [ moduleFile m ]; }).age.secrets;
      # The data files need not exist: a path is only read when agenix builds the system.
      files = builtins.mapAttrs (_: s: assert builtins.isPath s.file; s // { file = toString s.file; });
    in builtins.mapAttrs (_: m: files (ageSecrets m)) ex.hosts`);
    const dataDir = join(ROOT, "secrets/data");
    const relocate = (secrets: Record<string, { file: string }>) =>
      Object.fromEntries(
        Object.entries(secrets).map(([n, s]) => [
          n,
          { ...s, file: s.file.replace("/repo/secrets/data", dataDir) },
        ]),
      );
    expect(value).toStrictEqual({
      web01: relocate(web01AgeSecrets),
      db01: relocate(db01AgeSecrets),
    });
  });
});
