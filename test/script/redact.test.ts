/**
 * Redaction of script stderr: every occurrence of every known value, its trimmed form, the
 * lines of a multi-line value and their encoded forms; overlapping matches merge; the tail is
 * cut after redaction.
 */
import { describe, expect, it } from "vitest";
import { REDACTED, formatTail, redact, stderrTail } from "../../src/engine/script/redact.js";
import { enc } from "./helpers.js";

const text = (b: Uint8Array) => Buffer.from(b).toString("utf8");

describe("redact", () => {
  it.for([
    { input: "pw=abc123 and abc123", values: ["abc123"], want: `pw=${REDACTED} and ${REDACTED}` },
    { input: "value: hunter2!", values: ["hunter2\n"], want: `value: ${REDACTED}!` },
    { input: "xxAAABBByy", values: ["AAABB", "ABBB"], want: `xx${REDACTED}yy` },
    { input: "abab", values: ["ab"], want: REDACTED },
    { input: "nothing here", values: ["zzz", ""], want: "nothing here" },
    { input: "no values at all", values: [], want: "no values at all" },
  ])("$input", ({ input, values, want }) => {
    expect(text(redact(enc(input), values.map(enc)))).toBe(want);
  });

  it("redacts each line of a multi-line value, printed reformatted", () => {
    const key = "-----BEGIN KEY-----\nAAAABBBBCCCCDDDD\nEEEEFFFFGGGGHHHH\n-----END KEY-----\n";
    const printed = "  AAAABBBBCCCCDDDD\r\n  EEEEFFFFGGGGHHHH\r\n";
    const out = text(redact(enc(printed), [enc(key)]));
    expect(out).not.toContain("AAAA");
    expect(out).not.toContain("EEEE");
  });

  it("redacts binary values in binary output", () => {
    const v = Uint8Array.of(0, 255, 1, 254);
    expect([...redact(Uint8Array.of(9, 0, 255, 1, 254, 9), [v])]).toEqual([9, ...enc(REDACTED), 9]);
  });
});

describe("stderrTail", () => {
  it("redacts over the whole stream before cutting the tail", () => {
    const lines = Array.from({ length: 12 }, (_, i) => `line ${i}`);
    const secret = "multi\nline\nsecret value";
    const stderr = [...lines.slice(0, 9), secret, ...lines.slice(9)].join("\n") + "\n";
    const tail = stderrTail(enc(stderr), [enc(secret)], []);
    expect(tail).toHaveLength(10);
    expect(tail.join("\n")).not.toContain("secret value");
  });

  it("escapes control characters and replaces paths", () => {
    expect(stderrTail(enc("\x1b[31m/run/x/tmp/f\x07\n"), [], [["/run/x/tmp", "$TMP_DIR"]])).toEqual(
      ["\\x1b[31m$TMP_DIR/f\\x07"],
    );
  });

  it("formats the end of a message", () => {
    expect(formatTail(enc(""), [], [])).toBe(" (stderr was empty)");
    expect(formatTail(enc("a\nb\n"), [], [])).toBe("; last lines of stderr:\n  | a\n  | b");
  });
});
