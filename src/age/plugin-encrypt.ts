/**
 * Encryption to plugin recipients, batched: every file key of a batch that goes to the same
 * plugin recipients is wrapped in one `recipient-v1` session. The files are encrypted with
 * age-encryption's Encrypter, all at once: each one's first recipient is the batch's, whose
 * wrapFileKey waits until every file of its group has handed over its file key, then runs the
 * session. Native recipients (X25519, SSH) are wrapped as `encrypt` wraps them.
 */
import type { Recipient as TypageRecipient, Stanza } from "age-encryption";
import { runtimeError } from "../errors.js";
import { armorEncode } from "./armor.js";
import { forTypage } from "./encrypt.js";
import { parsePluginRecipient } from "./plugin-names.js";
import { pluginError } from "./plugin-errors.js";
import { wrapFileKeys } from "./plugin-recipient-v1.js";
import { pluginUI, type PluginUI } from "./plugin-ui.js";
import type { Recipient } from "./recipients.js";
import { typage } from "./typage.js";

export interface EncryptJob {
  plaintext: Uint8Array;
  recipients: readonly Recipient[];
  armor?: boolean;
}

export interface BatchOptions {
  ui?: PluginUI;
  timeoutMs?: number;
}

/** The files of a batch encrypted to one plugin's same set of recipients. */
class WrapGroup {
  private readonly keys: Uint8Array[] = [];
  private readonly waiters: { resolve: (s: Stanza[]) => void; reject: (e: unknown) => void }[] = [];
  labels: string[] = [];

  constructor(
    readonly name: string,
    readonly recipients: string[],
    readonly expected: number,
    private readonly opts: BatchOptions,
  ) {}

  /** The Encrypter-facing recipient of this group. */
  recipient(): TypageRecipient {
    return { wrapFileKey: (fileKey) => this.add(fileKey) };
  }

  private add(fileKey: Uint8Array): Promise<Stanza[]> {
    const p = new Promise<Stanza[]>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
    });
    this.keys.push(Uint8Array.from(fileKey));
    if (this.keys.length === this.expected) void this.run();
    return p;
  }

  private async run(): Promise<void> {
    try {
      const { Stanza } = await typage();
      const wrapped = await wrapFileKeys(
        this.name,
        this.recipients,
        [],
        this.keys,
        this.opts.ui ?? pluginUI(),
        { timeoutMs: this.opts.timeoutMs },
      );
      this.labels = wrapped.labels;
      this.waiters.forEach((w, i) => {
        w.resolve((wrapped.stanzas[i] ?? []).map((s) => new Stanza([...s.args], s.body)));
      });
    } catch (err) {
      for (const w of this.waiters) w.reject(err);
    } finally {
      for (const k of this.keys) k.fill(0);
    }
  }
}

function sameLabels(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((l) => set.has(l));
}

/**
 * Encrypt every job; plugin recipients' file keys are wrapped one session per plugin and
 * recipient set. Results are in the order of `jobs`.
 *
 * @throws a SecretgenError: exit 3 for an empty recipient list, and a plugin's AgeErrors
 * (`plugin`: not on PATH, crashed, timed out, broke the protocol, reported an error, labels
 * that do not allow its stanzas beside the file's other recipients).
 */
export async function encryptBatch(
  jobs: readonly EncryptJob[],
  opts: BatchOptions = {},
): Promise<Uint8Array[]> {
  const age = await typage();
  const groups = new Map<string, WrapGroup>();
  const plan = jobs.map((job) => {
    if (job.recipients.length === 0)
      throw runtimeError("cannot encrypt to an empty list of recipients");
    const byPlugin = new Map<string, string[]>();
    for (const r of job.recipients.filter((r) => r.type === "plugin")) {
      const parsed = parsePluginRecipient(r.text);
      if ("error" in parsed) throw runtimeError(`invalid plugin recipient: ${parsed.error}`);
      byPlugin.set(parsed.name, [...(byPlugin.get(parsed.name) ?? []), r.text]);
    }
    return {
      job,
      keys: [...byPlugin].map(([name, list]) => `${name}\0${[...new Set(list)].sort().join(" ")}`),
    };
  });
  for (const { keys } of plan) {
    for (const key of keys) {
      const [name = "", list = ""] = key.split("\0");
      const g = groups.get(key);
      groups.set(key, new WrapGroup(name, list.split(" "), (g?.expected ?? 0) + 1, opts));
    }
  }
  const encrypting = plan.map(({ job, keys }) => {
    const e = new age.Encrypter();
    for (const key of keys)
      e.addRecipient(groups.get(key)?.recipient() ?? { wrapFileKey: () => [] });
    for (const r of job.recipients) if (r.type !== "plugin") e.addRecipient(forTypage(r));
    return e.encrypt(job.plaintext);
  });
  const binaries = await Promise.all(encrypting);
  plan.forEach(({ job, keys }) => {
    const sets = keys.map((k) => groups.get(k)?.labels ?? []);
    if (job.recipients.some((r) => r.type !== "plugin")) sets.push([]);
    const first = sets[0] ?? [];
    if (!sets.every((s) => sameLabels(first, s))) {
      const name = (keys[0] ?? "").split("\0")[0] ?? "";
      throw pluginError(
        name,
        "labelled its stanzas so that they cannot be combined with the file's other recipients",
        "a post-quantum or private-label plugin recipient must not be mixed with other recipients",
      );
    }
  });
  return Promise.all(
    binaries.map((b, i) => (jobs[i]?.armor === true ? armorEncode(b) : Promise.resolve(b))),
  );
}
