/**
 * Storing values that come from outside the generators (`adopt`): each with its record,
 * written like any plan (entropy → data), then the manifest.
 */
import type { Warning } from "../../errors.js";
import type { Declarations } from "../../declarations/index.js";
import {
  type Layout,
  hashFileIfExists,
  type EntropyRecord,
  loadManifestWithJournal,
} from "../../store/index.js";
import { newRecord, type Plan } from "../plan/index.js";
import { commitPlans, type FileHashes } from "./apply.js";

export interface ValueToStore {
  name: string;
  value: Uint8Array;
  /** Digests of the values this one was made from (script secrets). */
  dependencies?: Record<string, string>;
  pinned: boolean;
  /** public/NAME.pub of an adopted keypair (derived from its private key). */
  publicKey?: string;
}

export function recordFor(decls: Declarations, item: ValueToStore): EntropyRecord {
  const decl = decls.secrets.get(item.name);
  if (decl === undefined) throw new Error(`undeclared secret ${item.name}`);
  return newRecord(decl, item.value, {
    dependencies: item.dependencies ?? {},
    pinned: item.pinned,
  });
}

export async function storeValues(
  decls: Declarations,
  layout: Layout,
  items: ValueToStore[],
): Promise<void> {
  const warnings: Warning[] = [];
  const manifest = loadManifestWithJournal(layout, warnings);
  const plans = new Map<string, Plan>();
  for (const item of items) {
    const decl = decls.secrets.get(item.name);
    if (decl === undefined) continue;
    plans.set(item.name, {
      decl,
      state: "created",
      value: item.value,
      writeRecord: recordFor(decls, item),
      writeData: true,
      reads: Object.keys(item.dependencies ?? {}),
      ...(item.publicKey === undefined ? {} : { publicKey: item.publicKey }),
    });
  }
  const hashes: FileHashes = { data: new Map(), entropy: new Map() };
  for (const name of decls.secrets.keys()) {
    const data = hashFileIfExists(layout.dataFile(name));
    if (data !== undefined) hashes.data.set(name, data);
    const entropy = hashFileIfExists(layout.entropyFile(name));
    if (entropy !== undefined) hashes.entropy.set(name, entropy);
  }
  await commitPlans(plans, decls, layout, manifest, hashes);
}
