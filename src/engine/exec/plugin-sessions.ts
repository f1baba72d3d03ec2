/**
 * A run's age plugin sessions, on the main thread: every decryption of the run goes through one
 * DecryptSession (native identities first, then one `identity-v1` session per plugin for all
 * the files left), the data files the run is likely to need are sent along with the entropy
 * files, and the files a run writes to plugin recipients are encrypted in one batch (one
 * `recipient-v1` session per plugin and recipient set). Worker threads never see a plugin
 * identity or a plugin's file key. Loaded only when a plugin identity or recipient is used.
 */
import {
  agePlugins,
  type DecryptSession,
  type EncryptJob,
  type Identity,
  type Recipient,
} from "../../age/index.js";
import { serializeRecord } from "../../store/index.js";
import type { Plan } from "../plan/index.js";
import type { JobResult, RenderJob } from "./job.js";
import type { Executor } from "./executor.js";

/** Renders on the inner executor; every decryption through the run's plugin session. */
export class PluginRouting implements Executor {
  readonly session: DecryptSession;

  private constructor(
    private readonly inner: Executor,
    session: DecryptSession,
  ) {
    this.session = session;
  }

  /** Routing over `inner` with one plugin session for `identities` (the age plugins load). */
  static async create(inner: Executor, identities: readonly Identity[]): Promise<PluginRouting> {
    const { DecryptSession } = await agePlugins();
    return new PluginRouting(inner, new DecryptSession(identities));
  }

  render(job: RenderJob): Promise<JobResult> {
    return this.inner.render(job);
  }

  decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    return this.session.decrypt(ciphertext);
  }

  /** Files with no plugin recipient (apply.ts encrypts those with one on this thread). */
  encrypt(plaintext: Uint8Array, recipients: readonly string[], armor: boolean) {
    return this.inner.encrypt(plaintext, recipients, armor);
  }

  /** Start decrypting a file the run may need, so that it joins the same plugin session. */
  prefetch(ciphertext: Uint8Array): void {
    this.session.prefetch(ciphertext);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * The ciphertexts of every file the plans write to a plugin recipient, encrypted in one batch,
 * by `entropy:NAME` and `data:NAME`. Empty when no recipient is a plugin's.
 */
export async function encryptForPlugins(
  plans: readonly Plan[],
  admins: readonly Recipient[],
  recipients: (list: readonly string[]) => Recipient[],
): Promise<Map<string, Uint8Array>> {
  const keys: string[] = [];
  const jobs: EncryptJob[] = [];
  const viaPlugin = (list: readonly Recipient[]) => list.some((r) => r.type === "plugin");
  for (const plan of plans) {
    const record = plan.writeRecord ?? plan.reencryptRecord;
    if (record !== undefined && viaPlugin(admins)) {
      keys.push(`entropy:${plan.decl.name}`);
      jobs.push({ plaintext: serializeRecord(record), recipients: admins });
    }
    const to = plan.writeData === true ? recipients(plan.decl.recipients) : [];
    if (plan.value !== undefined && viaPlugin(to)) {
      keys.push(`data:${plan.decl.name}`);
      jobs.push({ plaintext: plan.value, recipients: to, armor: plan.decl.armor });
    }
  }
  const out = new Map<string, Uint8Array>();
  if (jobs.length === 0) return out;
  const { encryptBatch } = await agePlugins();
  const files = await encryptBatch(jobs);
  keys.forEach((k, i) => {
    const f = files[i];
    if (f !== undefined) out.set(k, f);
  });
  return out;
}
