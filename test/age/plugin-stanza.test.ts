/**
 * The plugin protocol's stanza wire format: known encodings (as age's header writes stanzas),
 * incremental parsing from arbitrary chunks, and every malformed input refused.
 */
import { describe, expect, it } from "vitest";
import {
  encodeStanza,
  StanzaParser,
  WireError,
  type WireStanza,
} from "../../src/age/plugin-stanza.js";

function parseAll(text: string, chunk = 7): WireStanza[] {
  const p = new StanzaParser();
  const out: WireStanza[] = [];
  const bytes = Buffer.from(text, "latin1");
  for (let i = 0; i < bytes.length; i += chunk) {
    p.push(bytes.subarray(i, i + chunk));
    for (let s = p.next(); s !== undefined; s = p.next()) out.push(s);
  }
  return out;
}

describe("encodeStanza", () => {
  it("writes an empty body as one empty line", () => {
    expect(encodeStanza("done")).toBe("-> done\n\n");
    expect(encodeStanza("add-recipient", ["age1x"])).toBe("-> add-recipient age1x\n\n");
  });

  it("wraps the unpadded base64 body at 64 columns, a body of exactly 48 bytes with an empty last line", () => {
    expect(encodeStanza("ok", [], Buffer.from("123456"))).toBe("-> ok\nMTIzNDU2\n");
    const full = encodeStanza("file-key", ["0"], new Uint8Array(48));
    expect(full).toBe(`-> file-key 0\n${"A".repeat(64)}\n\n`);
    const longer = encodeStanza("x", [], new Uint8Array(50));
    expect(longer).toBe(`-> x\n${"A".repeat(64)}\nAAA\n`);
  });

  it("refuses empty or non-printable arguments", () => {
    expect(() => encodeStanza("")).toThrow(TypeError);
    expect(() => encodeStanza("a", ["b c"])).toThrow(TypeError);
    expect(() => encodeStanza("a", [""])).toThrow(TypeError);
    expect(() => encodeStanza("a\n")).toThrow(TypeError);
  });
});

describe("StanzaParser", () => {
  it("reads back what encodeStanza writes, whatever the chunking", () => {
    const bodies = [0, 1, 16, 47, 48, 49, 96, 200].map((n) =>
      Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 255),
    );
    const text = bodies.map((b, i) => encodeStanza("t", [String(i), "arg"], b)).join("");
    for (const chunk of [1, 3, 64, 1000]) {
      const got = parseAll(text, chunk);
      expect(got.map((s) => s.args[0])).toEqual(bodies.map((_, i) => String(i)));
      got.forEach((s, i) => {
        expect(s.type).toBe("t");
        expect(Buffer.from(s.body).equals(Buffer.from(bodies[i] ?? []))).toBe(true);
      });
    }
  });

  it("waits for the body's last line before returning a stanza", () => {
    const p = new StanzaParser();
    p.push(Buffer.from(`-> x\n${"A".repeat(64)}\n`));
    expect(p.next()).toBeUndefined();
    expect(p.pending).toBe(true);
    p.push(Buffer.from("\n"));
    expect(p.next()?.body.length).toBe(48);
    expect(p.pending).toBe(false);
  });

  it.each([
    ["a line that is not a stanza", "hello\n", /does not start a stanza/],
    ["an empty argument", "-> a  b\n\n", /empty or non-printable/],
    ["a tab in an argument", "-> a\tb\n\n", /empty or non-printable/],
    ["a body line over 64 columns", `-> a\n${"A".repeat(68)}\n`, /longer than 64/],
    ["padding in the body", "-> a\nAA==\n", /canonical base64/],
    ["non-canonical base64 (padding bits)", "-> a\nAB\n", /canonical base64/],
    ["a character outside base64", "-> a\nA*A\n", /canonical base64/],
  ])("refuses %s", (_name, text, message) => {
    let caught: unknown;
    try {
      parseAll(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WireError);
    expect((caught as WireError).message).toMatch(message);
  });

  it("refuses a line over 1 MiB without a newline", () => {
    const p = new StanzaParser();
    expect(() => {
      p.push(Buffer.alloc((1 << 20) + 1, 0x41));
    }).toThrow(/longer than 1 MiB/);
  });
});
