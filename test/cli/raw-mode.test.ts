/** readLineFrom: a line typed at a raw-mode prompt, edited as a terminal would. */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readLineFrom } from "../../src/cli/raw-mode.js";

function typed(keys: string[], gone?: AbortSignal): Promise<string> {
  const input = new PassThrough();
  const line = readLineFrom(input, () => new Error("no answer"), gone);
  for (const k of keys) input.write(k);
  return line;
}

describe("readLineFrom", () => {
  it.for([
    { name: "plain", keys: ["123456\r"], line: "123456" },
    { name: "in pieces", keys: ["12", "34", "56\n"], line: "123456" },
    { name: "backspace (DEL and BS)", keys: ["1299\u007f\b3456\r"], line: "123456" },
    { name: "backspace over a multibyte character", keys: ["1é😀\u007f\u007f23\r"], line: "123" },
    { name: "Ctrl-U clears the line", keys: ["9\u0015123456\r"], line: "123456" },
    { name: "Ctrl-W deletes a word", keys: ["ab cd  \u0017ef\r"], line: "ab ef" },
    { name: "arrow keys are dropped", keys: ["12\u001b[D\u001b[C34\u001bOA56\r"], line: "123456" },
    { name: "other control characters are dropped", keys: ["1\u0001\u0007\u00922\r"], line: "12" },
    { name: "what follows Enter is not read", keys: ["12\r34\r"], line: "12" },
  ])("$name", async ({ keys, line }) => {
    expect(await typed(keys)).toBe(line);
  });

  it("Ctrl-D and the end of input: no answer", async () => {
    await expect(typed(["12\u0004"])).rejects.toThrow("no answer");
    const input = new PassThrough();
    const line = readLineFrom(input, () => new Error("no answer"));
    input.end("12");
    await expect(line).rejects.toThrow("no answer");
  });

  it("withdrawn when the one asking is gone", async () => {
    const c = new AbortController();
    const input = new PassThrough();
    const line = readLineFrom(input, () => new Error("no answer"), c.signal);
    input.write("12");
    c.abort(new Error("the plugin exited"));
    await expect(line).rejects.toThrow("the plugin exited");
    expect(input.listenerCount("data")).toBe(0);
  });
});
