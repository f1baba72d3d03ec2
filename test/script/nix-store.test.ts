/**
 * Runtime inputs in /nix/store are realised with `nix-store --realise PATH…` (argv, invoking
 * environment) before the script runs. A fake nix-store on PATH records its arguments.
 */
import { mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { SecretgenError } from "../../src/errors.js";
import { runScript } from "../../src/engine/script/index.js";
import {
  cleanupScratch,
  dec,
  fakeBinDir,
  leftovers,
  scratch,
  scriptSpec,
  which,
} from "./helpers.js";

afterEach(cleanupScratch);

const STORE_INPUTS = [
  "/nix/store/aaaa-tool-1.0",
  "/nix/store/aaaa-tool-1.0/libexec",
  "/nix/store/bbbb-other",
];

function setup(nixStoreBody: string) {
  const parent = scratch("sg-xdg-");
  const log = join(scratch(), "argv");
  const bin = fakeBinDir({ "nix-store": nixStoreBody });
  const env = {
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    XDG_RUNTIME_DIR: parent,
    FAKE_NIX_LOG: log,
  };
  return { parent, log, env };
}

it("realises each store path once, as argv, then runs with their bin/ on PATH", async () => {
  const { parent, log, env } = setup('printf "%s\\n" "$@" > "$FAKE_NIX_LOG"');
  const out = await runScript({
    secret: "s",
    spec: scriptSpec('printf %s "$PATH"', { runtimeInputs: STORE_INPUTS }),
    dependencies: new Map(),
    redact: [],
    env,
  });
  expect(readFileSync(log, "utf8")).toBe(
    "--realise\n/nix/store/aaaa-tool-1.0\n/nix/store/bbbb-other\n",
  );
  expect(dec(out.value)).toBe(STORE_INPUTS.map((i) => `${i}/bin`).join(":"));
  expect(leftovers(parent)).toEqual([]);
});

it("a failing nix-store is an error with its stderr, and the script does not run", async () => {
  const { parent, env } = setup('echo "error: path is not valid" >&2; exit 1');
  const e: unknown = await runScript({
    secret: "s",
    spec: scriptSpec("printf x", { runtimeInputs: STORE_INPUTS }),
    dependencies: new Map(),
    redact: [],
    env,
  }).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(SecretgenError);
  const err = e as SecretgenError;
  expect(err.exitCode).toBe(3);
  expect(err.message).toContain("nix-store --realise failed with exit status 1");
  expect(err.message).toContain("error: path is not valid");
  expect(leftovers(parent)).toEqual([]);
});

it("nix-store missing: exit 3 with a hint", async () => {
  const onlyBash = scratch();
  symlinkSync(which("bash"), join(onlyBash, "bash"));
  const e: unknown = await runScript({
    secret: "s",
    spec: scriptSpec("printf x", { runtimeInputs: ["/nix/store/aaaa-tool-1.0"] }),
    dependencies: new Map(),
    redact: [],
    env: { PATH: onlyBash, XDG_RUNTIME_DIR: scratch() },
  }).catch((err: unknown) => err);
  expect(e).toBeInstanceOf(SecretgenError);
  expect((e as SecretgenError).exitCode).toBe(3);
  expect((e as SecretgenError).message).toContain("nix-store not found on PATH");
  expect((e as SecretgenError).hint).toContain("Nix");
});

it("inputs outside /nix/store are not realised", async () => {
  const { log, env } = setup('printf "%s\\n" "$@" > "$FAKE_NIX_LOG"');
  const input = scratch();
  mkdirSync(join(input, "bin"));
  const out = await runScript({
    secret: "s",
    spec: scriptSpec("printf ok", { runtimeInputs: [input] }),
    dependencies: new Map(),
    redact: [],
    env,
  });
  expect(dec(out.value)).toBe("ok");
  expect(() => readFileSync(log)).toThrow();
});
