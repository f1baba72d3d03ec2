/**
 * External tools for interop tests. Locally a missing tool skips its tests with a visible
 * message; in CI (CI=true) a missing tool fails the run.
 */
import { execFileSync } from "node:child_process";
import { describe } from "vitest";

const cache = new Map<string, boolean>();

export function hasTool(name: string): boolean {
  let found = cache.get(name);
  if (found === undefined) {
    try {
      execFileSync("sh", ["-c", 'command -v "$1"', "sh", name], { stdio: "ignore" });
      found = true;
    } catch {
      found = false;
    }
    cache.set(name, found);
  }
  return found;
}

/**
 * `describe` that needs the given tools. In CI a missing tool throws (the suite fails);
 * locally it prints a message and skips.
 */
export function describeWithTools(tools: string[], name: string, fn: () => void): void {
  const missing = tools.filter((t) => !hasTool(t));
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  if (process.env.CI === "true") {
    describe(name, () => {
      throw new Error(`interop tools missing in CI: ${missing.join(", ")}`);
    });
    return;
  }
  console.warn(`SKIPPED (missing ${missing.join(", ")}): ${name}`);
  describe.skip(name, fn);
}
