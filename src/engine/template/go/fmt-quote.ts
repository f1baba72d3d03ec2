/** Go's strconv.Quote, QuoteToASCII, QuoteRune, CanBackquote, and unicode.IsPrint. */

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and U+0020. */
export function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  return /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u.test(String.fromCodePoint(cp));
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function quoteWith(s: string, quote: string, asciiOnly: boolean): string {
  let out = quote;
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    if (c === quote || c === "\\") {
      out += "\\" + c;
      continue;
    }
    if (asciiOnly ? cp < 0x7f && isPrint(cp) : isPrint(cp)) {
      out += c;
      continue;
    }
    switch (c) {
      case "\x07":
        out += "\\a";
        continue;
      case "\b":
        out += "\\b";
        continue;
      case "\f":
        out += "\\f";
        continue;
      case "\n":
        out += "\\n";
        continue;
      case "\r":
        out += "\\r";
        continue;
      case "\t":
        out += "\\t";
        continue;
      case "\v":
        out += "\\v";
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += "\\x" + hex(cp, 2);
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\ufffd";
    else if (cp < 0x10000) out += "\\u" + hex(cp, 4);
    else out += "\\U" + hex(cp, 8);
  }
  return out + quote;
}

export function quote(s: string): string {
  return quoteWith(s, '"', false);
}

export function quoteToASCII(s: string): string {
  return quoteWith(s, '"', true);
}

export function quoteRune(cp: number, asciiOnly: boolean): string {
  const valid = cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff);
  return quoteWith(String.fromCodePoint(valid ? cp : 0xfffd), "'", asciiOnly);
}

/** strconv.CanBackquote. */
export function canBackquote(s: string): boolean {
  for (const c of s) {
    const cp = c.codePointAt(0) ?? 0;
    if (c === "`" || cp === 0xfeff) return false;
    if (cp < 0x20 && c !== "\t") return false;
    if (cp === 0x7f) return false;
  }
  return true;
}

/** A rune for %c and %q: invalid code points become U+FFFD. */
export function validRune(u: bigint): number {
  if (u < 0n || u > 0x10ffffn) return 0xfffd;
  const cp = Number(u);
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}
