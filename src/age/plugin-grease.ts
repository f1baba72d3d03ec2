/**
 * Grease (age-plugin.md): stanzas with random commands, arguments and bodies that the other
 * side must ignore in a uni-directional phase, sent so that plugins keep ignoring them.
 */
import { randomBytes, randomInt } from "node:crypto";
import type { PluginConnection } from "./plugin-process.js";

/** Send zero or one grease stanza (two times in three, as age does). */
export function sendGrease(conn: PluginConnection): void {
  if (randomInt(3) === 0) return;
  const args: string[] = [];
  const n = randomInt(3);
  for (let i = 0; i < n; i++) args.push(String(randomInt(100)));
  const body = randomInt(2) === 0 ? randomBytes(randomInt(100)) : new Uint8Array(0);
  conn.send(`grease-${randomBytes(4).toString("hex")}`, args, body);
}
