/**
 * Decryption with plugin identities, one `identity-v1` session per plugin for all the files a
 * run decrypts. Native identities are tried first, on this thread; the files they do not open
 * wait in a queue, and once no decryption is still being tried natively, every queued header
 * goes to the first plugin in one session, what it could not open to the next plugin, and so on.
 * File keys are kept (by header) for the rest of the run, so a file met again needs no session,
 * and a plugin that failed is not started again in the same run.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { armorDecode, looksArmored } from "./armor.js";
import { decrypt } from "./decrypt.js";
import { AgeError, headerMacError, noIdentityError } from "./errors.js";
import { parseHeader, type Header } from "./header.js";
import type { Identity } from "./identity.js";
import { isPluginIdentity } from "./plugin-identity.js";
import { pluginBinary } from "./plugin-names.js";
import { unwrapFileKeys } from "./plugin-identity-v1.js";
import { pluginUI, type PluginUI } from "./plugin-ui.js";
import { SecretgenError } from "../errors.js";
import { hkdf32 } from "./primitives.js";
import { decryptPayload } from "./stream.js";

export interface SessionOptions {
  ui?: PluginUI;
  /** Limit on each plugin reply, in ms (default: SECRETGEN_PLUGIN_TIMEOUT or 120 s). */
  timeoutMs?: number;
}

interface Queued {
  key: string;
  header: Header;
  resolve: (fileKey: Uint8Array) => void;
  reject: (err: unknown) => void;
}

/** Open a parsed binary file with its file key: header MAC, then the payload. */
export function openWithFileKey(binary: Uint8Array, header: Header, fileKey: Uint8Array): Buffer {
  const expected = createHmac("sha256", hkdf32(fileKey, new Uint8Array(0), "header"))
    .update(header.macInput)
    .digest();
  if (!timingSafeEqual(expected, header.mac)) throw headerMacError();
  return decryptPayload(fileKey, binary.subarray(header.end));
}

export class DecryptSession {
  private readonly natives: Identity[];
  private readonly plugins = new Map<string, string[]>();
  private readonly keys = new Map<string, Uint8Array>();
  private readonly waiting = new Map<string, Promise<Uint8Array>>();
  private readonly failed = new Map<string, SecretgenError>();
  private queue: Queued[] = [];
  private inflight = 0;
  private scheduled = false;
  private flushing = false;
  /** Sessions started, per plugin (tests and the report). */
  readonly starts = new Map<string, number>();

  constructor(
    private readonly identities: readonly Identity[],
    private readonly opts: SessionOptions = {},
  ) {
    this.natives = identities.filter((id) => !isPluginIdentity(id));
    for (const id of identities.filter(isPluginIdentity)) {
      const list = this.plugins.get(id.plugin) ?? [];
      list.push(id.encoding());
      this.plugins.set(id.plugin, list);
    }
  }

  /** Decrypt one file, binary or armored; see `decrypt`. Plugin failures are AgeErrors. */
  async decrypt(ciphertext: Uint8Array): Promise<Uint8Array> {
    if (this.plugins.size === 0) return decrypt(ciphertext, this.natives);
    this.inflight++;
    let fileKey: Promise<Uint8Array>;
    let binary: Uint8Array;
    let header: Header;
    try {
      const prepared = await this.prepare(ciphertext);
      if ("plaintext" in prepared) return prepared.plaintext;
      ({ binary, header } = prepared);
      fileKey = this.fileKey(binary, header);
    } finally {
      this.inflight--;
      this.schedule();
    }
    return openWithFileKey(binary, header, await fileKey);
  }

  /** Start decrypting a file whose value the run may need, so it joins the same session. */
  prefetch(ciphertext: Uint8Array): void {
    this.decrypt(ciphertext).then(
      () => undefined,
      () => undefined, // reported when the file is really decrypted
    );
  }

  private async prepare(
    ciphertext: Uint8Array,
  ): Promise<{ plaintext: Uint8Array } | { binary: Uint8Array; header: Header }> {
    if (this.natives.length > 0) {
      try {
        return { plaintext: await decrypt(ciphertext, this.natives) };
      } catch (err) {
        if (!(err instanceof AgeError) || err.kind !== "no-identity") throw err;
      }
    }
    const binary = looksArmored(ciphertext) ? await armorDecode(ciphertext) : ciphertext;
    const parsed = parseHeader(binary);
    // Not a strictly valid header: the native decryption reports why.
    if (!("header" in parsed)) return { plaintext: await decrypt(ciphertext, this.natives) };
    return { binary, header: parsed.header };
  }

  private fileKey(binary: Uint8Array, header: Header): Promise<Uint8Array> {
    const key = Buffer.from(binary.buffer, binary.byteOffset, header.end).toString("latin1");
    const known = this.keys.get(key);
    if (known !== undefined) return Promise.resolve(known);
    let p = this.waiting.get(key);
    if (p === undefined) {
      p = new Promise<Uint8Array>((resolve, reject) => {
        this.queue.push({ key, header, resolve, reject });
      });
      this.waiting.set(key, p);
    }
    return p;
  }

  private schedule(): void {
    if (this.scheduled || this.flushing || this.inflight > 0 || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.flushing || this.inflight > 0 || this.queue.length === 0) return;
      this.flushing = true;
      void this.flush().finally(() => {
        this.flushing = false;
        this.schedule();
      });
    });
  }

  private async flush(): Promise<void> {
    const files = this.queue;
    this.queue = [];
    const errors = new Map<Queued, SecretgenError>();
    let open = files;
    for (const [name, ids] of this.plugins) {
      if (open.length === 0) break;
      const failure = this.failed.get(name);
      if (failure !== undefined) {
        for (const f of open) if (!errors.has(f)) errors.set(f, failure);
        continue;
      }
      try {
        this.starts.set(name, (this.starts.get(name) ?? 0) + 1);
        const results = await unwrapFileKeys(
          name,
          ids,
          open.map((f) => f.header.stanzas),
          this.opts.ui ?? pluginUI(),
          { timeoutMs: this.opts.timeoutMs },
        );
        const next: Queued[] = [];
        open.forEach((f, i) => {
          const r = results[i];
          if (r instanceof Uint8Array) {
            this.keys.set(f.key, r);
            f.resolve(r);
          } else {
            if (r instanceof AgeError) errors.set(f, r);
            next.push(f);
          }
        });
        open = next;
      } catch (err) {
        if (!(err instanceof SecretgenError)) throw err;
        this.failed.set(name, err);
        const e = err;
        for (const f of open) if (!errors.has(f)) errors.set(f, e);
      }
    }
    const tried = this.identities.map((i) =>
      isPluginIdentity(i) ? pluginBinary(i.plugin) : i.type,
    );
    for (const f of open) {
      this.waiting.delete(f.key);
      const types = f.header.stanzas.map((s) => s.args[0] ?? "");
      f.reject(errors.get(f) ?? noIdentityError(types, tried));
    }
  }
}
