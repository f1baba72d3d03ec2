/**
 * Grease: the client sometimes sends a stanza with a random command, never one the protocol
 * defines, with random arguments and body (plugins must ignore it).
 */
import { expect, it } from "vitest";
import { sendGrease } from "../../src/age/plugin-grease.js";
import type { PluginConnection } from "../../src/age/plugin-process.js";
import { encodeStanza } from "../../src/age/plugin-stanza.js";

const DEFINED = new Set([
  "add-recipient",
  "add-identity",
  "wrap-file-key",
  "extension-labels",
  "recipient-stanza",
  "done",
]);

it("sends zero or one grease stanza, with random commands outside the defined ones", () => {
  const sent: { type: string; args: readonly string[]; body?: Uint8Array }[] = [];
  const conn = {
    send: (type: string, args: readonly string[] = [], body?: Uint8Array) => {
      sent.push({ type, args, body });
    },
  } as unknown as PluginConnection;
  const counts: number[] = [];
  for (let i = 0; i < 90; i++) {
    const before = sent.length;
    sendGrease(conn);
    counts.push(sent.length - before);
  }
  // 90 tries: P(none or all sent) = (1/3)^90 + (2/3)^90 < 1e-9.
  expect(counts.every((c) => c === 0 || c === 1)).toBe(true);
  expect(counts).toContain(0);
  expect(counts).toContain(1);
  const types = sent.map((s) => s.type);
  for (const t of types) {
    expect(t).toMatch(/^grease-[0-9a-f]{8}$/);
    expect(DEFINED.has(t)).toBe(false);
  }
  expect(new Set(types).size).toBeGreaterThan(1);
  // Each is a valid stanza on the wire.
  for (const s of sent) expect(encodeStanza(s.type, s.args, s.body)).toMatch(/^-> grease-/);
});
