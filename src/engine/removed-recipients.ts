/**
 * Warnings for recipients that lost access (a host or admin removed, a host re-keyed): their
 * old ciphertexts in git history stay readable to them. One warning per removed key, naming it
 * (shortened), the host it still belongs to when one does, and the secrets it could read.
 */
import type { Warning } from "../errors.js";
import type { Declarations } from "../declarations/index.js";
import type { Manifest } from "../store/index.js";
import type { Plan } from "./plan/index.js";

/** `ssh-ed25519 AAAAC3Nz…Xk2w`: the type and both ends of the key, enough to recognise it. */
export function shortKey(recipient: string): string {
  const space = recipient.indexOf(" ");
  const type = space === -1 ? undefined : recipient.slice(0, space);
  const k = space === -1 ? recipient : recipient.slice(space + 1);
  const shown = k.length > 24 ? `${k.slice(0, 12)}…${k.slice(-8)}` : k;
  return type === undefined ? shown : `${type} ${shown}`;
}

/** Names of the hosts that have `recipient` among their keys. */
function holders(hosts: Readonly<Record<string, readonly string[]>>, recipient: string): string[] {
  return Object.entries(hosts)
    .filter(([, keys]) => keys.includes(recipient))
    .map(([h]) => h)
    .sort();
}

/**
 * Who a lost recipient is: the declared host that has it now, else the host the manifest
 * recorded for it (a host removed entirely, or re-keyed), else the key alone.
 */
function owner(decls: Declarations, manifest: Manifest, recipient: string): string {
  const now = holders(decls.hosts, recipient);
  if (now.length > 0) return `host ${now.join(", ")}'s key ${shortKey(recipient)}`;
  const before = holders(manifest.hosts ?? {}, recipient);
  if (before.length === 0) return `key ${shortKey(recipient)} (no declared host has it now)`;
  const gone = before.filter((h) => !Object.hasOwn(decls.hosts, h));
  const why =
    gone.length === before.length
      ? `${before.length === 1 ? "it is" : "they are"} no longer declared`
      : "re-keyed";
  return `host ${before.join(", ")}'s key ${shortKey(recipient)} (${why})`;
}

export function removedRecipients(
  manifest: Manifest,
  decls: Declarations,
  plans: ReadonlyMap<string, Plan>,
): Warning[] {
  const out: Warning[] = [];
  const before = new Set(manifest.admins);
  for (const entry of manifest.secrets.values()) for (const a of entry.admins ?? []) before.add(a);
  const goneAdmins = [...before].filter((a) => !decls.admins.includes(a));
  if (manifest.secrets.size > 0) {
    for (const a of goneAdmins) {
      out.push({
        message: `admin ${shortKey(a)} was removed; it can still read every old entropy and data file in git history (\`secretgen rotate\` replaces values)`,
      });
    }
  }
  const lost = new Map<string, string[]>();
  for (const [name, plan] of plans) {
    const entry = manifest.secrets.get(name);
    if (entry === undefined || plan.state === "failed") continue;
    for (const r of entry.recipients) {
      if (plan.decl.recipients.includes(r) || goneAdmins.includes(r)) continue;
      const names = lost.get(r);
      if (names === undefined) lost.set(r, [name]);
      else names.push(name);
    }
  }
  for (const [r, names] of lost) {
    const list = names.map((n) => JSON.stringify(n)).join(", ");
    out.push({
      message: `${owner(decls, manifest, r)} is no longer a recipient of ${list}; it can still read ${names.length === 1 ? "its" : "their"} old ciphertexts in git history (\`secretgen rotate ${names.join(" ")}\` replaces ${names.length === 1 ? "the value" : "the values"})`,
    });
  }
  return out;
}
