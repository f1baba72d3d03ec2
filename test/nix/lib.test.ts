/**
 * nix/lib.nix evaluated by the real Nix: jsonLib markers, runtimeInputs, mkDeclarations,
 * collectDeclarations (merging, conflicts), key files.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { NIX_TOOLS, PRELUDE, nixFailure, nixValue } from "./support.js";

const secret = (name: string) => ({ __secretgen: "secret", args: [name] });

describeWithTools(NIX_TOOLS, "nix/lib.nix", () => {
  it("jsonLib produces exactly the marker objects, for every function and alias", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE} j = sg.jsonLib; in {
      secret = j.secret "user-passwords/alice";
      readSecret = j.readSecret "user-passwords/alice";
      bcrypt = j.bcrypt (j.secret "user-passwords/bob") 10;
      hashBcrypt = j.hashBcrypt "literal" 12;
      concat = j.concat [ "user-passwords/" "alice" ];
      concatOne = j.concat "alone";
      fmt = j.fmt "user-passwords/%s" [ "alice" ];
      fmtOne = j.fmt "%s!" "x";
      json = j.json { a = [ 1 true null ]; };
      base64 = j.base64 "hello";
      sha256 = j.sha256 (j.secret "x");
      trim = j.trim " x ";
      random = j.random 32 { charset = "hex"; };
      randomNoOpts = j.random 24 { };
      randomBytes = j.random null { bytes = 32; encoding = "base64url"; };
      call = j.call "concat" [ "a" "b" ] { };
    }`);
    expect(value).toStrictEqual({
      secret: secret("user-passwords/alice"),
      readSecret: secret("user-passwords/alice"),
      bcrypt: { __secretgen: "bcrypt", args: [secret("user-passwords/bob"), 10] },
      hashBcrypt: { __secretgen: "bcrypt", args: ["literal", 12] },
      concat: { __secretgen: "concat", args: ["user-passwords/", "alice"] },
      concatOne: { __secretgen: "concat", args: ["alone"] },
      fmt: { __secretgen: "fmt", args: ["user-passwords/%s", "alice"] },
      fmtOne: { __secretgen: "fmt", args: ["%s!", "x"] },
      json: { __secretgen: "json", args: [{ a: [1, true, null] }] },
      base64: { __secretgen: "base64", args: ["hello"] },
      sha256: { __secretgen: "sha256", args: [secret("x")] },
      trim: { __secretgen: "trim", args: [" x "] },
      random: { __secretgen: "random", args: [32], opts: { charset: "hex" } },
      randomNoOpts: { __secretgen: "random", args: [24] },
      randomBytes: { __secretgen: "random", args: [], opts: { bytes: 32, encoding: "base64url" } },
      call: { __secretgen: "concat", args: ["a", "b"] },
    });
  });

  it("json content may be a function of { jsonLib, ... }", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE} in (sg.mkDeclarations {
      secrets.c = { hosts = [ "h" ]; json.content = { jsonLib, ... }: { p = jsonLib.secret "a"; }; };
    }).secrets.c`);
    expect(value).toStrictEqual({ hosts: ["h"], json: { content: { p: secret("a") } } });
  });

  it("runtimeInputs as a function of pkgs (fake derivations) → store paths and names", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      pkgs = {
        coreutils = { type = "derivation"; name = "coreutils-9.5"; pname = "coreutils"; outPath = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-coreutils-9.5"; };
        jq = { type = "derivation"; name = "jq-1.7"; outPath = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-jq-1.7"; };
      };
      decls = sg.mkDeclarations {
        inherit pkgs;
        secrets.s = { hosts = [ "h" ]; script = { script = "true"; runtimeInputs = p: [ p.coreutils p.jq ]; }; };
        secrets.named = { hosts = [ "h" ]; script = { script = "true"; runtimeInputs = [ pkgs.jq ]; runtimeInputNames = [ "jq-own-name" ]; }; };
        secrets.paths = { hosts = [ "h" ]; script = { script = "true"; runtimeInputs = [ "/usr" "/nix/store/cccccccccccccccccccccccccccccccc-bash-5.2" ]; }; };
      };
    in {
      inherit (decls.secrets) s named paths;
      direct = sg.resolveRuntimeInputs { inherit pkgs; inputs = p: [ p.jq ]; };
    }`);
    expect(value).toStrictEqual({
      s: {
        hosts: ["h"],
        script: {
          script: "true",
          runtimeInputs: [
            "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-coreutils-9.5",
            "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-jq-1.7",
          ],
          runtimeInputNames: ["coreutils", "jq-1.7"],
        },
      },
      named: {
        hosts: ["h"],
        script: {
          script: "true",
          runtimeInputs: ["/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-jq-1.7"],
          runtimeInputNames: ["jq-own-name"],
        },
      },
      paths: {
        hosts: ["h"],
        script: {
          script: "true",
          runtimeInputs: ["/usr", "/nix/store/cccccccccccccccccccccccccccccccc-bash-5.2"],
          runtimeInputNames: ["/usr", "bash-5.2"],
        },
      },
      direct: {
        runtimeInputs: ["/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-jq-1.7"],
        runtimeInputNames: ["jq-1.7"],
      },
    });
  });

  it("runtimeInputs as a function without pkgs is an evaluation error naming the secret", async () => {
    const stderr = await nixFailure(`{ root }: let ${PRELUDE} in sg.mkDeclarations {
      secrets.s = { script = { script = "true"; runtimeInputs = p: [ p.jq ]; }; };
    }`);
    expect(stderr).toContain(
      'secretgen: secret "s".script.runtimeInputs is a function of pkgs, but no pkgs was given',
    );
  });

  it("mkDeclarations: null metadata and host keys are dropped, armor only when true", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE} in sg.mkDeclarations {
      admins = [ "age1admin" null ];
      hosts = { a = "ssh-ed25519 AAAA"; b = [ "age1b" null ]; c = null; };
      secrets.x = { hosts = "a"; owner = null; mode = "0400"; armor = false; manual = { }; random = null; };
      secrets.y = { armor = true; wireguard = { }; };
    }`);
    expect(value).toStrictEqual({
      admins: ["age1admin"],
      hosts: { a: ["ssh-ed25519 AAAA"], b: ["age1b"], c: [] },
      secrets: {
        x: { hosts: ["a"], mode: "0400", manual: {} },
        y: { hosts: [], armor: true, wireguard: {} },
      },
    });
  });

  it.for([
    [
      "no generator",
      `{ hosts = [ ]; }`,
      'secretgen: secret "s" has 0 generators; exactly one of random',
    ],
    [
      "two generators",
      `{ random = { }; manual = { }; }`,
      'secretgen: secret "s" has 2 generators (random, manual)',
    ],
    [
      "unknown field",
      `{ manual = { }; ownr = "x"; }`,
      'secretgen: secret "s": unknown field "ownr"',
    ],
    [
      "generator not a set",
      `{ random = 3; }`,
      'secretgen: secret "s".random must be an attribute set, not int',
    ],
    [
      "both spellings",
      `{ random = { }; generation.random = { }; }`,
      'secretgen: secret "s" declares its generator both as generation and natively (random); use one spelling',
    ],
    [
      "two generators in generation",
      `{ generation = { random = { }; manual = { }; }; }`,
      'secretgen: secret "s".generation has 2 generators (random, manual)',
    ],
    [
      "an unknown generator in generation",
      `{ generation.randm = { }; }`,
      'secretgen: secret "s".generation: unknown generator "randm"',
    ],
    [
      "generation not a set",
      `{ generation = "random"; }`,
      'secretgen: secret "s".generation must be an attribute set, not string',
    ],
    [
      "a generation generator not a set",
      `{ generation.random = 3; }`,
      'secretgen: secret "s".generation.random must be an attribute set, not int',
    ],
  ])("mkDeclarations rejects a secret with %s", async ([, secretExpr, message]) => {
    // secretExpr is Nix code written by this test (not data), so it is part of the expression.
    const stderr = await nixFailure(
      `{ root }: let ${PRELUDE} in sg.mkDeclarations { secrets.s = ${secretExpr ?? ""}; }`,
    );
    expect(stderr).toContain(message);
  });

  it("keeps ASG's generation.KIND form as written, with json content and runtimeInputs resolved", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      pkgs = { coreutils = { outPath = "/usr"; pname = "coreutils"; }; };
    in (sg.mkDeclarations {
      inherit pkgs;
      secrets.pw.generation.random = { length = 72; };
      secrets.j.generation.json.content = { jsonLib, ... }: { h = jsonLib.hashBcrypt (jsonLib.readSecret "pw") 10; };
      secrets.sh.generation.script = { runtimeInputs = pkgs: with pkgs; [ coreutils ]; script = "echo"; };
    }).secrets`);
    expect(value).toStrictEqual({
      pw: { hosts: [], generation: { random: { length: 72 } } },
      j: {
        hosts: [],
        generation: {
          json: {
            content: {
              h: { __secretgen: "bcrypt", args: [{ __secretgen: "secret", args: ["pw"] }, 10] },
            },
          },
        },
      },
      sh: {
        hosts: [],
        generation: {
          script: { runtimeInputs: ["/usr"], runtimeInputNames: ["coreutils"], script: "echo" },
        },
      },
    });
  });

  it("collectDeclarations merges a generation-form secret across hosts, and refuses mixed spellings", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      s = { generation.random = { }; };
    in (sg.collectDeclarations { hosts = { a.secrets.p = s; b.secrets.p = s; }; }).secrets`);
    expect(value).toStrictEqual({ p: { hosts: ["a", "b"], generation: { random: {} } } });
    const stderr = await nixFailure(`{ root }: let ${PRELUDE}
    in sg.collectDeclarations { hosts = { a.secrets.p.generation.random = { }; b.secrets.p.random = { }; }; }`);
    expect(stderr).toContain(
      'secretgen: secret "p" is declared differently on host "a" and host "b" (generation.random on host "a", random on host "b")',
    );
  });

  it("collectDeclarations merges the same secret of several hosts into one with all hosts", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      shared = { random.length = 40; };
    in sg.collectDeclarations {
      admins = [ "age1admin" ];
      hosts = {
        # a nixosSystem-like result, a config, and bare secretgen settings
        web01 = { config.secretgen = { hostKey = "ssh-ed25519 WEB"; secrets.db = shared // { owner = "app"; mode = "0400"; }; secrets.only-web = { manual = { }; }; }; };
        db01 = { secretgen = { hostKey = [ "ssh-rsa DB" ]; secrets.db = shared // { owner = "postgres"; mode = "0400"; }; }; };
        ci = { hostKey = null; secrets.db = shared; };
        # a configuration without secretgen: left out
        printer = { config.networking.hostName = "printer"; };
      };
      secrets.admin-only = { hosts = [ "age1other" ]; manual = { }; };
      secrets.db = shared // { hosts = [ "web01" "extra" ]; };
    }`);
    expect(value).toStrictEqual({
      admins: ["age1admin"],
      hosts: { web01: ["ssh-ed25519 WEB"], db01: ["ssh-rsa DB"], ci: [] },
      secrets: {
        "admin-only": { hosts: ["age1other"], manual: {} },
        // top-level entry first, then hosts in name order; owner differs → left out
        db: { hosts: ["web01", "extra", "ci", "db01"], random: { length: 40 } },
        "only-web": { hosts: ["web01"], manual: {} },
      },
    });
  });

  it("collectDeclarations keeps metadata the hosts agree on", async () => {
    const value = await nixValue(`{ root }: let ${PRELUDE}
      s = { owner = "postgres"; mode = "0440"; random = { }; };
    in (sg.collectDeclarations { hosts = { a.secrets.p = s; b.secrets.p = s // { mode = "0400"; }; }; }).secrets`);
    expect(value).toStrictEqual({ p: { hosts: ["a", "b"], owner: "postgres", random: {} } });
  });

  it.for([
    [
      "different settings",
      `{ random.length = 32; }`,
      `{ random.length = 40; }`,
      "their random settings differ",
    ],
    [
      "different generators",
      `{ random = { }; }`,
      `{ manual = { }; }`,
      'random on host "db01", manual on host "web01"',
    ],
    [
      "different armor",
      `{ age = { }; armor = true; }`,
      `{ age = { }; }`,
      "their armor settings differ",
    ],
  ])(
    "collectDeclarations fails on %s, naming both hosts and the secret",
    async ([, db, web, why]) => {
      const stderr = await nixFailure(
        // db and web are Nix code written by this test.
        `{ root }: let ${PRELUDE} in sg.collectDeclarations {
        hosts = { web01.secrets."postgres/app-password" = ${web ?? ""}; db01.secrets."postgres/app-password" = ${db ?? ""}; };
      }`,
      );
      expect(stderr).toContain(
        'secretgen: secret "postgres/app-password" is declared differently on host "db01" and host "web01"',
      );
      expect(stderr).toContain(why);
    },
  );

  it("collectDeclarations names the host of an invalid secret", async () => {
    const stderr = await nixFailure(`{ root }: let ${PRELUDE} in sg.collectDeclarations {
      hosts.web01.secrets.x = { random = { }; manual = { }; };
    }`);
    expect(stderr).toContain(
      'secretgen: secret "x" on host "web01" has 2 generators (random, manual)',
    );
  });

  describe("key files", () => {
    const dir = mkdtempSync(join(tmpdir(), "sg-nix-keys-"));
    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    writeFileSync(join(dir, "web01.pub"), "ssh-ed25519 AAAAKEY root@web01 DEMO ONLY\n");
    writeFileSync(join(dir, "wg.pub"), "  d2lyZWd1YXJkIHB1YmxpYyBrZXk=\n\n");
    writeFileSync(join(dir, "age.txt"), "# created: today\n# public key follows\nage1abc\n");
    writeFileSync(join(dir, "empty.pub"), "\n");

    it("publicKey and recipientFile read keys, and give null for a missing file", async () => {
      const value = await nixValue(
        `{ root, dir }: let ${PRELUDE} p = name: /. + dir + "/\${name}"; in {
        wg = sg.publicKey (p "wg.pub");
        sshWhole = sg.publicKey (p "web01.pub");
        ssh = sg.recipientFile (p "web01.pub");
        age = sg.recipientFile (p "age.txt");
        empty = sg.recipientFile (p "empty.pub");
        missingKey = sg.publicKey (p "wireguard/web01.pub");
        missingRecipient = sg.recipientFile (p "nope.pub");
        hosts = (sg.mkDeclarations { hosts.web01 = sg.recipientFile (p "nope.pub"); }).hosts;
      }`,
        { dir },
      );
      expect(value).toStrictEqual({
        wg: "d2lyZWd1YXJkIHB1YmxpYyBrZXk=",
        sshWhole: "ssh-ed25519 AAAAKEY root@web01 DEMO ONLY",
        ssh: "ssh-ed25519 AAAAKEY",
        age: "age1abc",
        empty: null,
        missingKey: null,
        missingRecipient: null,
        hosts: { web01: [] },
      });
    });
  });
});
