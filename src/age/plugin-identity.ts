/**
 * A plugin identity (`AGE-PLUGIN-NAME-1…` in an identity file): the encoding the plugin gets
 * in `add-identity`, held privately (some plugins put wrapped key material in it) and never
 * printed, and the plugin's name. It does not decrypt by itself: sessions (plugin-decrypt.ts)
 * hand it to `age-plugin-NAME`, on the main thread only (never serialized for workers).
 */
import { inspect } from "node:util";
import type { Identity } from "./identity.js";

export class PluginIdentity implements Identity {
  readonly type = "plugin" as const;
  readonly #encoding: string;

  constructor(
    encoding: string,
    /** The plugin's name (lowercase): the binary is `age-plugin-NAME`. */
    readonly plugin: string,
    readonly source: string,
  ) {
    this.#encoding = encoding;
  }

  /** The identity as the plugin receives it (secret: never log it). */
  encoding(): string {
    return this.#encoding;
  }

  toJSON(): { type: "plugin"; plugin: string; source: string } {
    return { type: this.type, plugin: this.plugin, source: this.source };
  }

  [inspect.custom](): string {
    return `Identity<plugin ${this.plugin} from ${this.source}>`;
  }
}

/** Whether an identity is a plugin identity. */
export function isPluginIdentity(id: Identity): id is PluginIdentity {
  return id instanceof PluginIdentity;
}
