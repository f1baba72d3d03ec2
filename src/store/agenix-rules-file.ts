/**
 * The state of `secrets/secrets.nix` against the declarations: absent, current, stale (ours,
 * out of date), or foreign (written by hand or by another tool: it has not secretgen's header).
 * A foreign file is overwritten only when the user insists, and its rules are named first.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Declarations } from "../declarations/index.js";
import { AGENIX_RULES_HEADER, renderAgenixRules } from "./agenix-rules.js";
import type { Layout } from "./layout.js";

export type RulesFileState =
  | { kind: "absent" | "current"; path: string }
  | { kind: "stale"; path: string; text: string }
  | { kind: "foreign"; path: string; rules: string[] };

/** The file names a rules file gives rules for (`"data/x.age".publicKeys = …`), in order. */
export function ruleNames(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*\.\s*(?:publicKeys|armor)\b/g)) {
    const name = m[1] ?? "";
    if (!out.includes(name)) out.push(name);
  }
  for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*=\s*\{/g)) {
    const name = m[1] ?? "";
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

export function rulesFileState(decls: Declarations, layout: Layout): RulesFileState {
  const path = join(layout.secretsDir, "secrets.nix");
  if (!existsSync(path)) return { kind: "absent", path };
  const existing = readFileSync(path, "utf8");
  if (!existing.startsWith(AGENIX_RULES_HEADER)) {
    return { kind: "foreign", path, rules: ruleNames(existing) };
  }
  const text = renderAgenixRules(decls.secrets.values());
  return existing === text ? { kind: "current", path } : { kind: "stale", path, text };
}

/**
 * What is wrong with secrets/secrets.nix for `check`, if anything: only a file secretgen wrote
 * that is out of date. An absent or hand-written file is no problem. The caller adds the remedy.
 */
export function rulesProblem(decls: Declarations, layout: Layout): string | undefined {
  return rulesFileState(decls, layout).kind === "stale"
    ? "secrets/secrets.nix is out of date"
    : undefined;
}
