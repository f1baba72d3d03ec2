/**
 * The client side of `recipient-v1`: many file keys wrapped to a plugin's recipients in one
 * session. Phase 1 sends the recipients, identities and file keys, phase 2 collects the
 * stanzas (numbered by file key) and the labels, answering the plugin until `done`.
 */
import type { StanzaLike } from "./identity.js";
import { sendGrease } from "./plugin-grease.js";
import { parseIndex } from "./plugin-identity-v1.js";
import { pluginError, pluginText } from "./plugin-errors.js";
import { PluginConnection, type ConnectionOptions } from "./plugin-process.js";
import { handleUserCommand, type PluginUI } from "./plugin-ui.js";

export interface Wrapped {
  /** Per file key, the stanzas to put in its header (at least one each). */
  stanzas: StanzaLike[][];
  /** The labels the plugin gave its stanzas (empty when it sent none). */
  labels: string[];
}

/**
 * Wrap `fileKeys` to `recipients` (and to the recipients of `identities`) of plugin `name`.
 *
 * @throws an AgeError (`plugin`) when the plugin is missing, crashes, times out, breaks the
 * protocol, reports an error or wraps a file key to nothing, and whatever `ui` throws.
 */
export async function wrapFileKeys(
  name: string,
  recipients: readonly string[],
  identities: readonly string[],
  fileKeys: readonly Uint8Array[],
  ui: PluginUI,
  opts: ConnectionOptions = {},
): Promise<Wrapped> {
  const conn = PluginConnection.start(name, "recipient-v1", {
    ...opts,
    onWait: (w) => {
      ui.waiting(name, w);
    },
  });
  try {
    for (const r of recipients) conn.send("add-recipient", [r]);
    for (const id of identities) conn.send("add-identity", [id]);
    sendGrease(conn);
    for (const key of fileKeys) conn.send("wrap-file-key", [], key);
    conn.send("extension-labels");
    conn.send("done");
    const wrapped = await phase2(conn, ui, fileKeys.length);
    await conn.close();
    return wrapped;
  } catch (err) {
    conn.kill();
    throw err;
  }
}

async function phase2(conn: PluginConnection, ui: PluginUI, count: number): Promise<Wrapped> {
  const stanzas: StanzaLike[][] = Array.from({ length: count }, () => []);
  let labels: string[] | undefined;
  let fatal: string | undefined;
  for (;;) {
    let s;
    try {
      s = await conn.read();
    } catch (err) {
      // A plugin that reported an error and then quit without `done`: its error is the news.
      if (fatal !== undefined) break;
      throw err;
    }
    if (s.type === "done") break;
    if (s.type === "recipient-stanza") {
      if (s.args.length < 2) {
        throw pluginError(
          conn.name,
          "broke the plugin protocol: recipient-stanza needs an index and a type",
        );
      }
      const i = parseIndex(conn.name, s.args[0], count);
      stanzas[i]?.push({ args: s.args.slice(1), body: s.body });
      conn.send("ok");
    } else if (s.type === "labels") {
      if (labels !== undefined || new Set(s.args).size !== s.args.length) {
        throw pluginError(conn.name, "broke the plugin protocol: labels sent twice or repeated");
      }
      labels = [...s.args];
      conn.send("ok");
    } else if (s.type === "error") {
      conn.send("ok");
      fatal ??= pluginText(s.body);
    } else if (!(await handleUserCommand(conn, ui, s))) {
      conn.send("unsupported");
    }
  }
  if (fatal !== undefined) throw pluginError(conn.name, `reported an error: ${fatal}`);
  if (stanzas.some((list) => list.length === 0)) {
    throw pluginError(conn.name, "broke the plugin protocol: it wrapped a file key to no stanza");
  }
  return { stanzas, labels: labels ?? [] };
}
