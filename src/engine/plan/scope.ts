/**
 * The scope of a run limited to some secrets (`generate NAME…`, `check NAME…`, `rotate`, `set`):
 * the named secrets, the secrets that read them (they follow), and the secrets they read that
 * must be created or regenerated for them to render (plan.ts then brings the other readers of
 * those along). Nothing else is written or reported.
 */
import { SecretgenError, usageError } from "../../errors.js";
import type { Declarations } from "../../declarations/index.js";
import type { Manifest } from "../../store/index.js";
import type { Plan, StoredSecret } from "./types.js";

/**
 * The given names plus every declared secret that reads them, transitively: as the manifest and
 * the entropy records last recorded it, and as script declarations say. A secret never generated
 * reads nothing yet: it is created with today's values whenever it is generated.
 */
export function withReaders(
  names: Iterable<string>,
  decls: Declarations,
  manifest: Manifest,
  stored: ReadonlyMap<string, StoredSecret> = new Map(),
): Set<string> {
  const readers = new Map<string, Set<string>>();
  const link = (dep: string, reader: string) => {
    if (!decls.secrets.has(reader)) return;
    let set = readers.get(dep);
    if (set === undefined) readers.set(dep, (set = new Set()));
    set.add(reader);
  };
  for (const [name, entry] of manifest.secrets)
    for (const dep of Object.keys(entry.dependencies)) link(dep, name);
  for (const [name, s] of stored) {
    if (s.record !== undefined && !(s.record instanceof SecretgenError))
      for (const dep of Object.keys(s.record.dependencies)) link(dep, name);
  }
  for (const decl of decls.secrets.values()) {
    if (decl.generator.kind === "script")
      for (const dep of decl.generator.dependencies) link(dep, decl.name);
  }
  const out = new Set<string>();
  const visit = (n: string) => {
    if (out.has(n)) return;
    out.add(n);
    for (const r of readers.get(n) ?? []) visit(r);
  };
  for (const n of names) visit(n);
  return out;
}

/**
 * Secrets a limited run also analyses, to learn what they read: the ones never generated (no
 * files, no manifest entry). Only those that turn out to read a secret in scope are kept.
 */
export function neverGenerated(
  decls: Declarations,
  manifest: Manifest,
  stored: ReadonlyMap<string, StoredSecret>,
): string[] {
  return [...decls.secrets.keys()].filter((name) => {
    const s = stored.get(name);
    return (
      !manifest.secrets.has(name) &&
      s?.dataHash === undefined &&
      s?.entropyHash === undefined &&
      decls.secrets.get(name)?.generator.kind !== "manual"
    );
  });
}

/** A plan that makes a new value (generate), or would (check). */
export function makes(plan: Plan): boolean {
  return plan.state === "created" || plan.state === "regenerated" || plan.willChange === true;
}

/**
 * The plans a run limited to `selected` acts on and reports: the selected secrets; the secrets
 * never generated that read one of those (they follow, like recorded readers); and, for each of
 * these, the secrets it reads that must be created or regenerated for it to render. A secret
 * read only to give its value (unchanged, or needing only a rekey) is left as it is.
 */
export function inScope(
  plans: ReadonlyMap<string, Plan>,
  selected: ReadonlySet<string> | undefined,
  candidates: ReadonlySet<string> = new Set(),
): Map<string, Plan> {
  if (selected === undefined) return new Map(plans);
  const scope = new Set([...selected].filter((n) => plans.has(n)));
  for (let grew = true; grew;) {
    grew = false;
    for (const [name, plan] of plans) {
      if (scope.has(name) || !candidates.has(name)) continue;
      if (plan.reads.some((r) => scope.has(r))) {
        scope.add(name);
        grew = true;
      }
    }
  }
  const queue = [...scope];
  while (queue.length > 0) {
    const plan = plans.get(queue.pop() as string);
    for (const dep of plan?.reads ?? []) {
      const depPlan = plans.get(dep);
      if (depPlan !== undefined && !scope.has(dep) && makes(depPlan)) {
        scope.add(dep);
        queue.push(dep);
      }
    }
  }
  const out = new Map<string, Plan>();
  for (const [name, plan] of plans) if (scope.has(name)) out.set(name, plan);
  return out;
}

/** Every name a command was given must be declared (exit 2, naming the first that is not). */
export function checkSelection(names: readonly string[], decls: Declarations): void {
  for (const n of names) {
    if (!decls.secrets.has(n)) throw usageError(`no secret named ${JSON.stringify(n)} is declared`);
  }
}
