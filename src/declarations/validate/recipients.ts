/**
 * Recipients: the admins' and the hosts' keys (normalised by age/), and a secret's `hosts`
 * resolved to the recipients of its data file.
 */
import { parseRecipient } from "../../age/index.js";
import { quote } from "../../errors.js";
import { sortedNames } from "../names.js";
import type { At } from "./at.js";

/** Normalise one recipient, or report it. */
function recipient(at: At, text: string, field: string): string | undefined {
  try {
    return parseRecipient(text).text;
  } catch (err) {
    at.addError(err, field);
    return undefined;
  }
}

/** The top-level `admins`, normalised (at least one is required). */
export function adminRecipients(top: At, raw: unknown): string[] {
  const admins: string[] = [];
  const list = top.stringList(raw ?? [], "admins");
  list?.forEach((a, i) => {
    const r = recipient(top, a, `admins[${i}]`);
    if (r !== undefined) admins.push(r);
  });
  if (list?.length === 0)
    top.add(
      "admins",
      "needs at least one admin recipient",
      "run `secretgen init` and add its recipient",
    );
  return admins;
}

/** The top-level `hosts`: each host's keys, normalised; the bad ones reported and left out. */
export function hostKeys(top: At, raw: unknown): Map<string, string[]> {
  const hosts = new Map<string, string[]>();
  if (raw === undefined) return hosts;
  const h = top.record(raw, "hosts");
  for (const host of sortedNames(Object.keys(h ?? {}))) {
    // null or [] is a host whose key is not known yet (declarations/warnings.ts).
    const list = h?.[host] === null ? [] : top.stringList(h?.[host], `hosts.${host}`);
    const keys = (list ?? []).map((k, i) => recipient(top, k, `hosts.${host}[${i}]`));
    hosts.set(
      host,
      keys.filter((k): k is string => k !== undefined),
    );
  }
  return hosts;
}

/**
 * A secret's `hosts` (host names, or literal recipients) and the recipients they give with the
 * admins, sorted; `hosts` is undefined when the list itself is malformed (reported).
 */
export function secretRecipients(
  at: At,
  raw: unknown,
  hosts: ReadonlyMap<string, string[]>,
  admins: readonly string[],
): { hosts: string[] | undefined; recipients: string[] } {
  const hostNames = raw === undefined ? [] : at.stringList(raw, "hosts");
  const recipients = new Set(admins);
  hostNames?.forEach((h, i) => {
    const keys = hosts.get(h);
    if (keys) {
      keys.forEach((k) => recipients.add(k));
    } else if (/\s|^age1/.test(h)) {
      const r = recipient(at, h, `hosts[${i}]`);
      if (r !== undefined) recipients.add(r);
    } else {
      at.add(
        `hosts[${i}]`,
        `unknown host ${quote(h)}`,
        "declare it under hosts, or give a recipient",
      );
    }
  });
  return { hosts: hostNames, recipients: sortedNames(recipients) };
}
