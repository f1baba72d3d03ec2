/** `script`: the one generator that runs user code; its inputs, dependencies and timeout. */
import { quote } from "../../errors.js";
import { sortedNames } from "../names.js";
import type { ScriptSpec } from "../types.js";
import type { At } from "./at.js";

/** Seconds a script may run: by default, and at most (a day). */
const DEFAULT_TIMEOUT = 60;
const MAX_TIMEOUT = 86400;

/**
 * The `script` generator at `script`, or undefined (reported). Whether each dependency is a
 * declared secret is checked once every secret is known (validate/index.ts).
 */
export function validateScript(at: At, raw: unknown): ScriptSpec | undefined {
  const f = "script";
  const o = at.object(raw, f, [
    "script",
    "runtimeInputs",
    "runtimeInputNames",
    "dependencies",
    "timeout",
  ]);
  if (!o) return undefined;
  const script = at.string(o.script, `${f}.script`);
  const runtimeInputs =
    o.runtimeInputs === undefined ? [] : at.stringList(o.runtimeInputs, `${f}.runtimeInputs`);
  let runtimeInputNames =
    o.runtimeInputNames === undefined
      ? undefined
      : at.stringList(o.runtimeInputNames, `${f}.runtimeInputNames`);
  const dependencies =
    o.dependencies === undefined ? [] : at.stringList(o.dependencies, `${f}.dependencies`);
  const timeout =
    o.timeout === undefined
      ? DEFAULT_TIMEOUT
      : at.integer(o.timeout, `${f}.timeout`, 1, MAX_TIMEOUT);
  if (script === undefined || !runtimeInputs || !dependencies || timeout === undefined)
    return undefined;
  for (const a of dependencies) {
    const inside = dependencies.find((b) => b.startsWith(a + "/"));
    if (inside !== undefined) {
      at.add(
        `${f}.dependencies`,
        `${quote(a)} and ${quote(inside)} cannot both be files under $SECRETS_DIR`,
      );
    }
  }
  runtimeInputs.forEach((p, i) => {
    if (!p.startsWith("/"))
      at.add(`${f}.runtimeInputs[${i}]`, `must be an absolute path, not ${quote(p)}`);
  });
  // Without names, the store path minus its hash stands in: stable across machines for the
  // same package version.
  runtimeInputNames ??= runtimeInputs.map((p) => p.replace(/^\/nix\/store\/[a-z0-9]{32}-/, ""));
  return {
    kind: "script",
    script: script.replace(/\r\n/g, "\n"),
    runtimeInputs,
    runtimeInputNames,
    dependencies: sortedNames(new Set(dependencies)),
    timeout,
  };
}
