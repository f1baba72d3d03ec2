/**
 * The simulation's model of a secretgen tree, written without the engine: the declarations it
 * made, what each secret reads (known by construction), and what was last generated from them.
 * For each step it predicts which files under secrets/ may change and which values must stay.
 */

export type Kind = "random" | "template" | "json" | "keypair" | "script" | "manual";

export interface SecretModel {
  name: string;
  kind: Kind;
  /** Secrets its value is made from. */
  reads: string[];
  hosts: string[];
  /** The generator part of the declaration, as written to secrets.json. */
  generator: Record<string, unknown>;
}

/** Files of a secret, relative to the repository root. */
export function filesOf(s: { name: string; kind: Kind }): string[] {
  const out = [`secrets/data/${s.name}.age`, `secrets/entropy/${s.name}.age`];
  if (s.kind === "keypair") out.push(`secrets/public/${s.name}.pub`);
  return out;
}

export interface Prediction {
  /** Files that may change (everything else must keep its bytes). */
  mayChange: Set<string>;
  /** Secrets whose value must stay. */
  keep: Set<string>;
  /**
   * Template and JSON readers whose own random part (`R=…`, `key`) must stay though their value
   * may change: only what they read changed.
   */
  keepRandomPart: Set<string>;
  /** Secrets that must fail or be skipped (exit 3). */
  failing: Set<string>;
}

/** What a secret's files on disk were last made from. */
interface Generated {
  decl: string;
  recipients: string;
  admins: string;
}

export class Model {
  readonly secrets = new Map<string, SecretModel>();
  readonly generated = new Map<string, Generated>();
  hosts: Record<string, string[]> = {};
  admins: string[] = [];

  add(s: SecretModel): void {
    this.secrets.set(s.name, s);
  }

  readersOf(name: string): string[] {
    return [...this.secrets.values()].filter((s) => s.reads.includes(name)).map((s) => s.name);
  }

  /** `names` and everything that reads them, transitively. */
  closure(names: Iterable<string>): Set<string> {
    const out = new Set<string>();
    const visit = (n: string) => {
      if (out.has(n)) return;
      out.add(n);
      for (const r of this.readersOf(n)) visit(r);
    };
    for (const n of names) visit(n);
    return out;
  }

  /** The declarations document (keypairs keep their generator key in `generator`). */
  document(): Record<string, unknown> {
    const secrets: Record<string, unknown> = {};
    for (const s of this.secrets.values()) {
      secrets[s.name] =
        s.kind === "keypair"
          ? { hosts: s.hosts, ...s.generator }
          : { hosts: s.hosts, [s.kind]: s.generator };
    }
    return { admins: this.admins, hosts: this.hosts, secrets };
  }

  private now(s: SecretModel): Generated {
    return {
      decl: JSON.stringify(s.generator),
      recipients: JSON.stringify(s.hosts.flatMap((h) => this.hosts[h] ?? []).sort()),
      admins: JSON.stringify([...this.admins].sort()),
    };
  }

  /**
   * What a `generate` (of everything) may do now. `valueChanges` are secrets whose value changes
   * for a reason outside the declarations (rotate, set, an outside edit); `restored` are secrets
   * whose data file was deleted; `failing` secrets fail (their script exits non-zero), and what
   * reads them is skipped.
   */
  predict(opts: {
    valueChanges?: Iterable<string>;
    restored?: Iterable<string>;
    failing?: Iterable<string>;
    ownRandomChanges?: Iterable<string>;
  }): Prediction {
    const failing = this.closure(opts.failing ?? []);
    const own = new Set<string>(opts.ownRandomChanges ?? []);
    const changed = new Set<string>(opts.valueChanges ?? []);
    for (const s of this.secrets.values()) {
      if (this.generated.get(s.name)?.decl !== this.now(s).decl) {
        changed.add(s.name);
        own.add(s.name);
      }
    }
    const valueMoves = new Set([...this.closure(changed)].filter((n) => !failing.has(n)));
    const mayChange = new Set<string>();
    for (const s of this.secrets.values()) {
      if (failing.has(s.name)) continue;
      const was = this.generated.get(s.name);
      const now = this.now(s);
      if (was?.recipients !== now.recipients || was.admins !== now.admins)
        mayChange.add(`secrets/data/${s.name}.age`);
      if (was?.admins !== now.admins) mayChange.add(`secrets/entropy/${s.name}.age`);
      if (valueMoves.has(s.name)) for (const f of filesOf(s)) mayChange.add(f);
    }
    for (const n of opts.restored ?? []) {
      const s = this.secrets.get(n);
      if (s && !failing.has(n)) for (const f of filesOf(s)) mayChange.add(f);
    }
    if (mayChange.size > 0) {
      mayChange.add("secrets/manifest.json");
      mayChange.add("secrets/.gitignore");
      mayChange.add("secrets/.gitattributes");
    }
    const keep = new Set([...this.secrets.keys()].filter((n) => !valueMoves.has(n)));
    const keepRandomPart = new Set(
      [...valueMoves].filter((n) => {
        const kind = this.secrets.get(n)?.kind;
        return (kind === "template" || kind === "json") && !own.has(n);
      }),
    );
    return { mayChange, keep, keepRandomPart, failing };
  }

  /** After a generate: every secret that did not fail is made from today's declarations. */
  settle(failing: ReadonlySet<string>): void {
    for (const s of this.secrets.values())
      if (!failing.has(s.name)) this.generated.set(s.name, this.now(s));
  }
}
