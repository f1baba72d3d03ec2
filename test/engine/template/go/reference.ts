/**
 * Running Go's own text/template (test/engine/template/go/render.go, built once per test run into a
 * temporary directory) on a batch of templates, and the same stand-ins for secretgen's
 * functions on the JavaScript side, so both engines render the same calls.
 */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { execa } from "execa";
import stringify from "fast-json-stable-stringify";
import { execute } from "../../../../src/engine/template/go/exec.js";
import {
  BUILTINS,
  FuncError,
  type FuncMap,
  type GoFunc,
} from "../../../../src/engine/template/go/funcs.js";
import { GoParseError, parseTemplate } from "../../../../src/engine/template/go/parse.js";
import { sprintf } from "../../../../src/engine/template/go/fmt.js";
import { fromJson, toPlain, type GoValue } from "../../../../src/engine/template/go/values.js";

const SOURCE = resolve(import.meta.dirname, "render.go");

export interface Job {
  src: string;
  data: unknown;
}

export interface Result {
  ok: boolean;
  out?: string;
  err?: string;
}

let binary: Promise<string> | undefined;
let buildDir: string | undefined;

/** Removes the built program and its caches. */
export function cleanupGo(): void {
  if (buildDir !== undefined) rmSync(buildDir, { recursive: true, force: true });
  buildDir = undefined;
  binary = undefined;
}

/** Builds render.go once (a few seconds), with its own caches in a temporary directory. */
function build(): Promise<string> {
  binary ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), "sg-go-"));
    buildDir = dir;
    const out = join(dir, "render");
    await execa("go", ["build", "-o", out, SOURCE], {
      extendEnv: false,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: dir,
        GOCACHE: join(dir, "cache"),
        GOPATH: join(dir, "gopath"),
        GO111MODULE: "off",
        GOFLAGS: "",
        CGO_ENABLED: "0",
      },
    });
    return out;
  })();
  return binary;
}

/** Go's results for `jobs`, in order (one Go process for the whole batch). */
export async function renderWithGo(jobs: readonly Job[]): Promise<Result[]> {
  const bin = await build();
  const r = await execa(bin, [], {
    input: JSON.stringify(jobs),
    extendEnv: false,
    env: {},
    maxBuffer: 1 << 28,
  });
  return JSON.parse(r.stdout) as Result[];
}

const SECRETS: Record<string, string> = {
  a: "alpha",
  b: "bravo",
  "user-passwords/alice": "pw-alice",
  "user-passwords/bob": "pw-bob",
  hello: "pw-hello",
};

function fail(message: string): never {
  throw new FuncError(message);
}

function readSecret([name]: GoValue[]): GoValue {
  const v = Object.hasOwn(SECRETS, name as string) ? SECRETS[name as string] : undefined;
  return v ?? fail("unknown secret");
}

function hashBcrypt([value, cost]: GoValue[]): GoValue {
  const c = cost as bigint;
  if (c < 4n || c > 31n) fail("bad cost");
  return `bcrypt${c}(${value as string})`;
}

function concat(args: GoValue[]): GoValue {
  return args
    .map((a) => {
      if (typeof a === "string") return a;
      if (typeof a === "bigint") return a.toString();
      if (typeof a === "number" && Number.isInteger(a) && Math.abs(a) <= Number.MAX_SAFE_INTEGER)
        return String(a);
      return fail("not a string or number");
    })
    .join("");
}

function fn(
  params: GoFunc["params"],
  call: (args: GoValue[]) => GoValue,
  variadic?: GoFunc["variadic"],
): GoFunc {
  return variadic === undefined ? { params, call } : { params, variadic, call };
}

/** The stand-ins render.go defines, function for function. */
export const STAND_INS: FuncMap = new Map<string, GoFunc>([
  ["readSecret", fn(["string"], readSecret)],
  ["secret", fn(["string"], readSecret)],
  ["hashBcrypt", fn(["string", "int"], hashBcrypt)],
  ["bcrypt", fn(["string", "int"], hashBcrypt)],
  ["fmt", fn(["string"], ([f, ...a]) => sprintf(f as string, a), "any")],
  ["concat", fn([], concat, "any")],
  ["json", fn(["any"], ([v]) => stringify(toPlain(v ?? null)))],
  [
    "random",
    fn(
      ["int"],
      ([n, ...opts]) => {
        const len = n as bigint;
        if (len < 1n || len > 4096n || opts.length > 1) fail("bad random");
        return `R${len}`;
      },
      "any",
    ),
  ],
  ["base64", fn(["string"], ([s]) => Buffer.from(s as string, "utf8").toString("base64"))],
  [
    "sha256",
    fn(["string"], ([s]) =>
      createHash("sha256")
        .update(s as string, "utf8")
        .digest("hex"),
    ),
  ],
  ["trim", fn(["string"], ([s]) => (s as string).replace(/^[ \t\n\v\f\r]+|[ \t\n\v\f\r]+$/g, ""))],
]);

/** Our engine with the stand-ins, as Go's results look: output, or failure (parse or exec). */
export function renderWithOurs(job: Job): Result {
  try {
    const t = parseTemplate(job.src, "template", (n) => STAND_INS.has(n) || BUILTINS.has(n));
    return { ok: true, out: execute(t, fromJson(job.data), STAND_INS, { noValue: "print" }) };
  } catch (err) {
    if (err instanceof GoParseError || (err instanceof Error && err.name === "GoExecError"))
      return { ok: false, err: err.message };
    throw err;
  }
}
