/**
 * Where JSON text stops being valid, for the error message: Node 20's JSON.parse gives a
 * position for some errors only (none for `,,,` or a truncated file). A small strict scanner of
 * RFC 8259 JSON, run only after JSON.parse has failed; it returns the offset of the first
 * character that cannot continue a valid document (the text's length when it ends too early).
 */

const WS = new Set([" ", "\t", "\n", "\r"]);

class Fail extends Error {
  constructor(readonly at: number) {
    super(`invalid JSON at offset ${String(at)}`);
  }
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}

  ws(): void {
    while (this.i < this.s.length && WS.has(this.s[this.i] ?? "")) this.i++;
  }

  fail(): never {
    throw new Fail(Math.min(this.i, this.s.length));
  }

  expect(c: string): void {
    if (this.s[this.i] !== c) this.fail();
    this.i++;
  }

  value(): void {
    this.ws();
    const c = this.s[this.i];
    if (c === "{") this.object();
    else if (c === "[") this.array();
    else if (c === '"') this.string();
    else if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) this.number();
    else this.literal();
    this.ws();
  }

  object(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === "}") {
      this.i++;
      return;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail();
      this.string();
      this.ws();
      this.expect(":");
      this.value();
      if (this.s[this.i] !== ",") {
        this.expect("}");
        return;
      }
      this.i++;
    }
  }

  array(): void {
    this.i++;
    this.ws();
    if (this.s[this.i] === "]") {
      this.i++;
      return;
    }
    for (;;) {
      this.value();
      if (this.s[this.i] !== ",") {
        this.expect("]");
        return;
      }
      this.i++;
    }
  }

  string(): void {
    this.i++;
    for (;;) {
      const c = this.s[this.i];
      if (c === undefined || c < " ") this.fail();
      this.i++;
      if (c === '"') return;
      if (c === "\\") {
        const e = this.s[this.i];
        if (e === "u") {
          this.i++;
          for (let k = 0; k < 4; k++) {
            if (!/[0-9a-fA-F]/.test(this.s[this.i] ?? "")) this.fail();
            this.i++;
          }
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.i++;
        else this.fail();
      }
    }
  }

  number(): void {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i));
    if (m === null) {
      if (this.s[this.i] === "-") this.i++;
      this.fail();
    }
    this.i += m[0].length;
  }

  literal(): void {
    for (const word of ["true", "false", "null"]) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return;
      }
    }
    // Point past the longest prefix of a literal that matches (`tru` at its end).
    for (const word of ["true", "false", "null"]) {
      let k = 0;
      while (k < word.length && this.s[this.i + k] === word[k]) k++;
      if (k > 0) {
        this.i += k;
        break;
      }
    }
    this.fail();
  }
}

/** The offset of the first error in `source`, or undefined when it is valid JSON. */
export function jsonErrorOffset(source: string): number | undefined {
  const scan = new Scanner(source);
  try {
    scan.value();
    if (scan.i < source.length) scan.fail();
    return undefined;
  } catch (err) {
    if (err instanceof Fail) return err.at;
    throw err;
  }
}
