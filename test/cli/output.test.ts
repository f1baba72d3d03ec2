import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DeclarationError } from "../../src/declarations/index.js";
import { runtimeError, usageError } from "../../src/errors.js";
import { createOutput, formatWarning } from "../../src/cli/output.js";

let stderr: string[];
let stdout: string[];
beforeEach(() => {
  stderr = [];
  stdout = [];
  vi.stubEnv("NO_COLOR", "1");
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe("formatWarning", () => {
  it("puts a warning's location before its message, like an error's", () => {
    expect(formatWarning({ message: "manifest.json is missing" })).toBe("manifest.json is missing");
    expect(formatWarning({ secret: "db/pw", message: "has no hosts" })).toBe(
      'secrets."db/pw": has no hosts',
    );
    expect(formatWarning({ secret: "db/pw", field: "mode", message: '"0644" lets…' })).toBe(
      'secrets."db/pw".mode: "0644" lets…',
    );
    expect(formatWarning({ field: "hosts.web02", message: "has no keys yet" })).toBe(
      "hosts.web02: has no keys yet",
    );
    expect(formatWarning("a sentence")).toBe("a sentence");
  });
});

describe("createOutput", () => {
  it("prints warnings, errors and hints on stderr with their prefixes, data on stdout", () => {
    const o = createOutput();
    o.warning({ secret: "a", message: "careful" });
    o.error("broken");
    o.hint("do this");
    o.out("line");
    expect(stderr).toEqual([
      'secretgen: warning: secrets."a": careful\n',
      "secretgen: error: broken\n",
      "secretgen: hint: do this\n",
    ]);
    expect(stdout).toEqual(["line\n"]);
  });

  it("fail prints every problem of a declaration error, each with its location and hint", () => {
    createOutput().fail(
      new DeclarationError([
        usageError("must be a whole number", { secret: "a", field: "random.length" }),
        usageError("unknown host", { secret: "b", field: "hosts", hint: "declare it" }),
      ]),
    );
    expect(stderr).toEqual([
      'secretgen: error: secrets."a".random.length: must be a whole number\n',
      'secretgen: error: secrets."b".hosts: unknown host\n',
      "secretgen: hint: declare it\n",
    ]);
  });

  it("fail gives the hint naming an option (cli/hints.ts), with the run's --wait", () => {
    const held = runtimeError("another secretgen run holds the lock", {
      reason: "lock-held",
      hint: "if pid 9 is not a secretgen run, remove L",
    });
    createOutput({ hints: { wait: 5 } }).fail(held);
    expect(stderr.at(-1)).toBe(
      "secretgen: hint: pass a longer --wait SECONDS; if pid 9 is not a secretgen run, remove L\n",
    );
  });

  it("fail reports anything else as an internal error, the stack only with --verbose", () => {
    createOutput().fail(new TypeError("x is undefined"));
    expect(stderr).toEqual(["secretgen: error: internal error: x is undefined\n"]);
    stderr.length = 0;
    createOutput({ verbose: true }).fail(new TypeError("y"));
    expect(stderr[0]).toBe("secretgen: error: internal error: y\n");
    expect(stderr[1]).toMatch(/^TypeError: y\n {4}at /);
  });

  it("info is quiet with --quiet, verbose only with --verbose", () => {
    createOutput({ quiet: true }).info("i");
    createOutput().verbose("v");
    expect(stderr).toEqual([]);
    createOutput().info("i");
    createOutput({ verbose: true }).verbose("v");
    expect(stderr).toEqual(["i\n", "v\n"]);
  });
});
