/**
 * Declarations from Nix: a flake output `FLAKEREF#ATTR` is evaluated with
 * `nix --extra-experimental-features "nix-command flakes" eval --json REF`, a file with
 * `nix-instantiate --eval --strict --json FILE [-A ATTR]`. The tool runs with execa from an argv
 * array (nothing is spliced into Nix or a shell) under the user's environment (HOME, NIX_PATH,
 * NIX_CONFIG, PATH).
 */
import { decodeUtf8 } from "./utf8.js";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { execa } from "execa";
import { quote, runtimeError, usageError } from "../errors.js";

export interface EvalNixOptions {
  /** `FLAKEREF#ATTR` (contains `#`) or a Nix file (or a directory with default.nix). */
  nix: string;
  /** An attribute path inside the file; only with a file. */
  attr?: string | undefined;
  /** Working directory: flake refs and file names are relative to it. */
  cwd: string;
  /** Environment of the nix process; defaults to process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

export interface NixCommand {
  file: "nix" | "nix-instantiate";
  args: string[];
  /** How the evaluated thing is named in messages: `".#secretgen"`, `"a.nix" (attribute "x")`. */
  label: string;
}

/**
 * The command that evaluates `opts.nix` to JSON. Throws a usage error (exit 2) for an attribute
 * path with a flake reference and for a reference starting with `-` (it would read as an
 * option). The CLI checks its options before, naming them.
 */
export function nixCommand(opts: Pick<EvalNixOptions, "nix" | "attr" | "cwd">): NixCommand {
  const { nix, attr } = opts;
  if (nix === "") throw usageError("a Nix source is a flake reference (FLAKEREF#ATTR) or a file");
  if (nix.includes("#")) {
    if (attr !== undefined) {
      throw usageError(
        `an attribute path goes with a .nix file; a flake reference names its attribute after "#"`,
      );
    }
    if (nix.startsWith("-")) throw usageError(`invalid flake reference ${quote(nix)}`);
    return {
      file: "nix",
      args: ["--extra-experimental-features", "nix-command flakes", "eval", "--json", nix],
      label: quote(nix),
    };
  }
  if (attr !== undefined && (attr === "" || attr.startsWith("-"))) {
    throw usageError(`invalid attribute path ${quote(attr)}`);
  }
  // An absolute path: a file name can neither read as an option nor as a <lookup path>.
  const args = ["--eval", "--strict", "--json", resolve(opts.cwd, nix)];
  if (attr !== undefined) args.push("-A", attr);
  return {
    file: "nix-instantiate",
    args,
    label: attr === undefined ? quote(nix) : `${quote(nix)} (attribute ${quote(attr)})`,
  };
}

// Built from a string so that no control character appears in a regular expression literal.
const ANSI = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;?]*[A-Za-z]`, "g");
const MAX_LINES = 30;

/**
 * The meaningful part of Nix's stderr: from the last `error:` line (the innermost error; trace
 * frames before it are left out) to the end, without the `--show-trace` advice, warnings or
 * colour codes and blank lines, at most 30 lines, continuation lines indented by two spaces. Falls back to the last lines when there is no `error:` line.
 */
export function nixErrorMessage(stderr: string): string {
  const lines = stderr
    .replace(ANSI, "")
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => !/^\(use '--show-trace'/.test(l.trim()) && !/^warning:/.test(l));
  let start = -1;
  lines.forEach((l, i) => {
    if (/^\s*error:/.test(l)) start = i;
  });
  const picked = (start === -1 ? lines.slice(-MAX_LINES) : lines.slice(start)).filter(
    (l) => l.trim() !== "",
  );
  const [first = "", ...rest] = picked.slice(0, MAX_LINES);
  const head = first.trim().replace(/^error:\s*/, "");
  // Continuation lines (location, code excerpt) re-indented by two spaces, keeping their shape.
  const indent = Math.min(...rest.map((l) => l.length - l.trimStart().length));
  const body = rest.map((l) => "  " + l.slice(indent));
  if (picked.length > MAX_LINES) body.push("  …");
  return [head === "" ? "(no message)" : head, ...body].join("\n");
}

/**
 * Throws a usage error (exit 2) unless `value` looks like a declarations set: an object with a
 * `secrets` attribute. (The declarations validator checks everything else.)
 */
export function assertDeclarationsShape(value: unknown, label = "the Nix value"): void {
  if (typeof value === "object" && value !== null && !Array.isArray(value) && "secrets" in value)
    return;
  const kind =
    value === null
      ? "null"
      : Array.isArray(value)
        ? "a list"
        : typeof value === "object"
          ? `an attribute set without "secrets" (attributes: ${Object.keys(value).slice(0, 8).join(", ") || "none"})`
          : `a ${typeof value}`;
  throw usageError(
    `${label} evaluated to ${kind}, not a declarations set { admins, hosts, secrets }`,
    {
      reason: "nix-not-declarations",
      hint: "evaluate the attribute that holds the declarations (FLAKEREF#secretgen, or an attribute inside FILE.nix)",
    },
  );
}

/**
 * Evaluate Nix declarations and return the parsed JSON value.
 *
 * Throws a usage error (exit 2) when the evaluation fails (the message is Nix's own error,
 * trimmed), when the output is not JSON, or when the value is not a declarations set; a
 * runtime error (exit 3, with a hint) when the nix tool is not on PATH or cannot be run.
 */
export async function evalNix(opts: EvalNixOptions): Promise<unknown> {
  const cmd = nixCommand(opts);
  const result = await execa(cmd.file, cmd.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    extendEnv: false,
    stdin: "ignore",
    reject: false,
    stripFinalNewline: false,
    // Bytes: a string that is not UTF-8 (builtins.readFile of a binary file) is an error naming
    // its offset, never text with U+FFFD in place of its bytes.
    encoding: "buffer",
  });
  if (result.failed && result.exitCode === undefined && result.signal === undefined) {
    if (result.code === "ENOENT" && existsSync(opts.cwd)) {
      throw runtimeError(`${cmd.file} not found on PATH: cannot evaluate ${cmd.label}`, {
        reason: "nix-unavailable",
        hint: "install Nix (https://nixos.org/download)",
      });
    }
    throw runtimeError(
      `cannot run ${cmd.file} to evaluate ${cmd.label}: ${result.originalMessage}`,
    );
  }
  if (result.signal !== undefined) {
    throw runtimeError(`${cmd.file} was killed by ${result.signal} while evaluating ${cmd.label}`);
  }
  if (result.exitCode !== 0) {
    // stdout may hold half-printed JSON: only stderr counts.
    const stderr = Buffer.from(result.stderr).toString();
    throw usageError(`Nix evaluation of ${cmd.label} failed: ${nixErrorMessage(stderr)}`, {
      reason: "nix",
    });
  }
  const stdout = decodeUtf8(result.stdout, `the output of the Nix evaluation of ${cmd.label}`);
  let value: unknown;
  try {
    value = JSON.parse(stdout) as unknown;
  } catch {
    // The output is not quoted: it could be anything.
    throw usageError(`Nix evaluation of ${cmd.label} did not print JSON`, { reason: "nix" });
  }
  assertDeclarationsShape(value, `Nix evaluation of ${cmd.label}`);
  return value;
}
