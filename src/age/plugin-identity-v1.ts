/**
 * The client side of `identity-v1`: many files' stanzas unwrapped in one session, so a plugin
 * asks for its PIN (or touch) once per run. Phase 1 sends the identities and every file's
 * stanzas (numbered by file), phase 2 answers the plugin until `done`.
 */
import { AgeError } from "./errors.js";
import type { StanzaLike } from "./identity.js";
import { sendGrease } from "./plugin-grease.js";
import { pluginError, pluginText } from "./plugin-errors.js";
import { PluginConnection, type ConnectionOptions } from "./plugin-process.js";
import { handleUserCommand, type PluginUI } from "./plugin-ui.js";

/** Per file: its file key, null when the plugin could not unwrap it, or the plugin's error. */
export type UnwrapResult = Uint8Array | null | AgeError;

const INDEX = /^(0|[1-9][0-9]{0,8})$/;

/** Parse a decimal index below `count`, or throw a protocol violation. */
export function parseIndex(name: string, arg: string | undefined, count: number): number {
  const n = arg !== undefined && INDEX.test(arg) ? Number(arg) : -1;
  if (n < 0 || n >= count) {
    throw pluginError(name, "broke the plugin protocol: an index out of range or not a number");
  }
  return n;
}

/**
 * Unwrap the file keys of `files` (each a header's stanzas) with the identities of plugin
 * `name` in one `identity-v1` session.
 *
 * @throws an AgeError (`plugin`) when the plugin is missing, crashes, times out, breaks the
 * protocol or reports an identity or internal error, and whatever `ui` throws.
 */
export async function unwrapFileKeys(
  name: string,
  identities: readonly string[],
  files: readonly (readonly StanzaLike[])[],
  ui: PluginUI,
  opts: ConnectionOptions = {},
): Promise<UnwrapResult[]> {
  const conn = PluginConnection.start(name, "identity-v1", {
    ...opts,
    onWait: (w) => {
      ui.waiting(name, w);
    },
  });
  try {
    for (const id of identities) conn.send("add-identity", [id]);
    sendGrease(conn);
    files.forEach((stanzas, i) => {
      for (const s of stanzas) conn.send("recipient-stanza", [String(i), ...s.args], s.body);
    });
    conn.send("done");
    const results = await phase2(conn, ui, files.length);
    await conn.close();
    return results;
  } catch (err) {
    conn.kill();
    throw err;
  }
}

async function phase2(conn: PluginConnection, ui: PluginUI, count: number) {
  const results: UnwrapResult[] = new Array<UnwrapResult>(count).fill(null);
  const seen = new Set<number>();
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
    if (s.type === "file-key") {
      if (s.args.length !== 1)
        throw pluginError(conn.name, "broke the plugin protocol: file-key needs one index");
      const i = parseIndex(conn.name, s.args[0], count);
      if (seen.has(i))
        throw pluginError(conn.name, "broke the plugin protocol: two file keys for one file");
      if (s.body.length !== 16)
        throw pluginError(conn.name, "broke the plugin protocol: a file key is 16 bytes");
      seen.add(i);
      if (!(results[i] instanceof AgeError)) results[i] = Uint8Array.from(s.body);
      conn.send("ok");
    } else if (s.type === "error") {
      conn.send("ok");
      const message = pluginText(s.body);
      if (s.args[0] === "stanza") {
        const i = parseIndex(conn.name, s.args[1], count);
        results[i] = new AgeError(
          "malformed",
          `malformed age file: ${conn.name} plugin: ${message}`,
        );
      } else {
        fatal ??= message;
      }
    } else if (!(await handleUserCommand(conn, ui, s))) {
      conn.send("unsupported");
    }
  }
  if (fatal !== undefined) throw pluginError(conn.name, `reported an error: ${fatal}`);
  return results;
}
