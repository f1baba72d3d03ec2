/**
 * nix/module.nix evaluated against test/fixtures/nix/lib-stub.nix (a documented stub of the
 * few nixpkgs lib functions it uses; there is no nixpkgs offline) with the small evaluator in
 * test/fixtures/nix/eval-modules.nix: options, defaults, type checks, age.secrets, and hosts
 * collected into one document.
 */
import { expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { NIX_TOOLS, PRELUDE, nixFailure, nixValue } from "./support.js";

/** An expression evaluating module.nix plus a host module (Nix code written by the tests). */
function host(hostModule: string, select = "config"): string {
  return `{ root }: let ${PRELUDE}
    config = evalModules { modules = [ moduleFile (${hostModule}) ]; };
  in ${select}`;
}

describeWithTools(NIX_TOOLS, "nix/module.nix", () => {
  it("without secrets, evaluates with nothing set", async () => {
    const value = await nixValue(
      host(`{ ... }: { }`, "{ inherit (config) age; inherit (config.secretgen) secrets hostKey; }"),
    );
    expect(value).toStrictEqual({ age: { secrets: {} }, secrets: {}, hostKey: null });
  });

  it("sets age.secrets: file under dataDir, owner/group/mode/path only when set", async () => {
    const value = await nixValue(
      host(
        `{ config, lib, ... }: {
        secretgen.dataDir = "/repo/secrets/data";
        secretgen.hostKey = "ssh-ed25519 AAAA";
        secretgen.secrets."user-passwords/alice".random.length = 24;
        secretgen.secrets."nginx/htpasswd" = {
          owner = "nginx"; group = "nginx"; mode = "0440"; path = "/run/nginx/htpasswd"; armor = true;
          template = { file = "htpasswd.hbs"; data.users = [ "alice" ]; };
        };
        secretgen.secrets."grafana/config" = {
          owner = "grafana";
          json.content = { jsonLib, ... }: { p = jsonLib.secret "user-passwords/alice"; };
        };
      }`,
        `{ inherit (config) age; inherit (config.secretgen) hostKey dataDir; alice = config.secretgen.secrets."user-passwords/alice"; }`,
      ),
    );
    expect(value).toMatchObject({
      age: {
        secrets: {
          "user-passwords/alice": { file: "/repo/secrets/data/user-passwords/alice.age" },
          "nginx/htpasswd": {
            file: "/repo/secrets/data/nginx/htpasswd.age",
            owner: "nginx",
            group: "nginx",
            mode: "0440",
            path: "/run/nginx/htpasswd",
          },
          "grafana/config": { file: "/repo/secrets/data/grafana/config.age", owner: "grafana" },
        },
      },
      hostKey: "ssh-ed25519 AAAA",
      dataDir: "/repo/secrets/data",
    });
    const age = (value as { age: { secrets: Record<string, unknown> } }).age.secrets;
    expect(Object.keys(age).sort()).toStrictEqual([
      "grafana/config",
      "nginx/htpasswd",
      "user-passwords/alice",
    ]);
    // Defaults are filled in for every secret option (nulls, armor false).
    expect((value as { alice: unknown }).alice).toStrictEqual({
      owner: null,
      group: null,
      mode: null,
      path: null,
      armor: false,
      generation: null,
      random: { length: 24 },
      template: null,
      json: null,
      wireguard: null,
      "ssh-ed25519": null,
      age: null,
      script: null,
      manual: null,
    });
  });

  it("hosts evaluated with the module are collected into one document", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      common = { dataDir = "/d"; secrets."postgres/app-password" = { owner = "postgres"; random.length = 40; }; };
      web01 = evalModules { modules = [ moduleFile { secretgen = common // { hostKey = "ssh-ed25519 WEB"; }; } ]; };
      db01 = evalModules { modules = [ moduleFile { secretgen = common // { hostKey = "ssh-rsa DB"; }; } ]; };
    in sg.collectDeclarations { admins = [ "age1admin" ]; hosts = { inherit web01 db01; }; }`);
    expect(value).toStrictEqual({
      admins: ["age1admin"],
      hosts: { web01: ["ssh-ed25519 WEB"], db01: ["ssh-rsa DB"] },
      secrets: {
        "postgres/app-password": {
          hosts: ["db01", "web01"],
          owner: "postgres",
          random: { length: 40 },
        },
      },
    });
  });

  it.for([
    [
      "two generators",
      `{ secretgen.dataDir = "/d"; secretgen.secrets.x = { random = { }; manual = { }; }; }`,
      'secretgen.secrets."x" has 2 generators (random, manual)',
    ],
    [
      "no generator",
      `{ secretgen.dataDir = "/d"; secretgen.secrets.x = { owner = "a"; }; }`,
      'secretgen.secrets."x" has 0 generators',
    ],
    [
      "an unknown secret option",
      `{ secretgen.dataDir = "/d"; secretgen.secrets.x = { manual = { }; hosts = [ "a" ]; }; }`,
      'option secretgen.secrets."x".hosts does not exist',
    ],
    [
      "a badly typed option",
      `{ secretgen.dataDir = "/d"; secretgen.secrets.x = { manual = { }; owner = 0; }; }`,
      'option secretgen.secrets."x".owner: 0 is not of type null or string',
    ],
    [
      "a bad host key",
      `{ secretgen.hostKey = [ 1 ]; }`,
      "option secretgen.hostKey: [1] is not of type null or string or list of string",
      "config.secretgen.hostKey",
    ],
    [
      "secrets without dataDir",
      `{ secretgen.secrets.x.manual = { }; }`,
      "option secretgen.dataDir is used but not defined",
    ],
  ])("fails on %s", async ([, hostModule, message, select]) => {
    const stderr = await nixFailure(host(hostModule ?? "", select ?? "config.age"));
    expect(stderr).toContain(message);
  });
});
