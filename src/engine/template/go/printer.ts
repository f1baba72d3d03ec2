/**
 * Go's fmt printer state (fmt/print.go, fmt/format.go): flags, width and precision, and how each
 * kind of value prints under each verb, Go's `%!d(string=x)` for a verb that does not fit.
 */
import { NotText, SecretBytes } from "../../functions/index.js";
import { formatFloat, formatFloatB, formatFloatX, sharpFloat } from "./fmt-float.js";
import { canBackquote, quote, quoteRune, quoteToASCII, validRune } from "./fmt-quote.js";
import {
  GoByte,
  kindOf,
  mapKeys,
  typeName,
  utf8Bytes,
  type GoMap,
  type GoValue,
} from "./values.js";

export class FmtUnsupported extends Error {}

/**
 * A strict printer met what Go prints as a marker instead of a value (`<nil>`, `%!d(string=…)`,
 * `%!s(MISSING)`, `%!(EXTRA …)`): secretgen renders refuse it rather than put it in a secret.
 * The message names the marker, never the value.
 */
export class FmtProblem extends Error {}

export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  wid: number;
  widPresent: boolean;
  prec: number;
  precPresent: boolean;
}

export function noFlags(): Flags {
  return {
    plus: false,
    minus: false,
    sharp: false,
    space: false,
    zero: false,
    wid: 0,
    widPresent: false,
    prec: 0,
    precPresent: false,
  };
}

function runeCount(s: string): number {
  return Array.from(s).length;
}

export class Printer {
  buf = "";
  f: Flags = noFlags();

  /** With `strict`, what Go prints as a marker (see FmtProblem) throws instead. */
  constructor(readonly strict = false) {}

  /** Go's marker `shown` for a problem, or (strict) a FmtProblem saying `what`. */
  marker(shown: string, what: string): void {
    if (this.strict) throw new FmtProblem(`${what} (Go would print ${shown})`);
    this.buf += shown;
  }

  pad(s: string): void {
    const f = this.f;
    if (!f.widPresent || f.wid === 0) {
      this.buf += s;
      return;
    }
    const width = f.wid - runeCount(s);
    const padding = width > 0 ? (f.zero ? "0" : " ").repeat(width) : "";
    this.buf += f.minus ? s + padding : padding + s;
  }

  badVerb(verb: string, v: GoValue, nested: boolean): void {
    if (this.strict) {
      const what = v === null ? "a nil value" : `a value of type ${typeName(v)}`;
      throw new FmtProblem(`%${verb} cannot format ${what} (Go would print %!${verb}(…))`);
    }
    this.buf += "%!" + verb + "(";
    if (v === null && !nested) this.buf += "<nil>";
    else {
      this.buf += typeName(v) + "=";
      this.printValue(v, "v", nested ? 1 : 0);
    }
    this.buf += ")";
  }

  printArg(v: GoValue, verb: string): void {
    if (v === null) {
      if (this.strict && verb !== "T")
        throw new FmtProblem("a value is nil (Go would print <nil>)");
      if (verb === "T" || verb === "v") this.pad("<nil>");
      else this.badVerb(verb, v, false);
      return;
    }
    if (verb === "T") {
      this.fmtS(typeName(v));
      return;
    }
    if (verb === "p") throw new FmtUnsupported("%p is not supported");
    this.printValue(v, verb, 0);
  }

  printValue(v: GoValue, verb: string, depth: number): void {
    if (v instanceof SecretBytes) throw new NotText(v.name, "a value printed");
    switch (kindOf(v)) {
      case "invalid":
        // A nil element of a list or map.
        this.marker("<nil>", "a list or map holds a nil value");
        return;
      case "bool":
        if (verb === "t" || verb === "v") this.pad(v ? "true" : "false");
        else this.badVerb(verb, v, depth > 0);
        return;
      case "int":
        this.fmtInteger(v as bigint, verb, v);
        return;
      case "uint":
        this.fmtInteger(BigInt((v as GoByte).value), verb, v);
        return;
      case "float":
        this.fmtFloat(v as number, verb);
        return;
      case "string":
        this.fmtString(v as string, verb);
        return;
      case "map": {
        const m = v as GoMap;
        this.buf += "map[";
        mapKeys(m).forEach((k, i) => {
          if (i > 0) this.buf += " ";
          this.printValue(k, verb, depth + 1);
          this.buf += ":";
          this.printValue(m[k] as GoValue, verb, depth + 1);
        });
        this.buf += "]";
        return;
      }
      case "slice":
        this.buf += "[";
        (v as GoValue[]).forEach((item, i) => {
          if (i > 0) this.buf += " ";
          this.printValue(item, verb, depth + 1);
        });
        this.buf += "]";
        return;
    }
  }

  fmtS(s: string): void {
    const f = this.f;
    if (f.precPresent) s = Array.from(s).slice(0, f.prec).join("");
    this.pad(s);
  }

  fmtString(s: string, verb: string): void {
    switch (verb) {
      case "v":
      case "s":
        this.fmtS(s);
        return;
      case "x":
      case "X":
        this.fmtSx(s, verb === "X");
        return;
      case "q":
        this.fmtQ(s);
        return;
      default:
        this.badVerb(verb, s, false);
    }
  }

  fmtSx(s: string, upper: boolean): void {
    const f = this.f;
    let bytes = utf8Bytes(s);
    if (f.precPresent && f.prec < bytes.length) bytes = bytes.slice(0, f.prec);
    const digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    let out = "";
    bytes.forEach((b, i) => {
      if (f.space && i > 0) out += " ";
      if (f.sharp && (f.space || i === 0)) out += upper ? "0X" : "0x";
      out += (digits[b >> 4] ?? "") + (digits[b & 15] ?? "");
    });
    if (bytes.length === 0) {
      this.pad("");
      return;
    }
    const zero = f.zero;
    f.zero = false;
    this.pad(out);
    f.zero = zero;
  }

  fmtQ(s: string): void {
    const f = this.f;
    if (f.precPresent) s = Array.from(s).slice(0, f.prec).join("");
    if (f.sharp && canBackquote(s)) this.pad("`" + s + "`");
    else this.pad(f.plus ? quoteToASCII(s) : quote(s));
  }

  fmtInteger(u: bigint, verb: string, original: GoValue): void {
    switch (verb) {
      case "v":
      case "d":
        this.integer(u, 10, verb, false);
        return;
      case "b":
        this.integer(u, 2, verb, false);
        return;
      case "o":
      case "O":
        this.integer(u, 8, verb, false);
        return;
      case "x":
        this.integer(u, 16, verb, false);
        return;
      case "X":
        this.integer(u, 16, verb, true);
        return;
      case "c":
        this.pad(String.fromCodePoint(validRune(u)));
        return;
      case "q":
        this.pad(quoteRune(validRune(u), this.f.plus));
        return;
      case "U":
        this.unicode(u);
        return;
      default:
        this.badVerb(verb, original, false);
    }
  }

  integer(u: bigint, base: number, verb: string, upper: boolean): void {
    const f = this.f;
    const negative = u < 0n;
    if (negative) u = -u;
    let prec = 0;
    if (f.precPresent) {
      prec = f.prec;
      if (prec === 0 && u === 0n) {
        const zero = f.zero;
        f.zero = false;
        this.buf += f.wid > 0 ? " ".repeat(f.wid) : "";
        f.zero = zero;
        return;
      }
    } else if (f.zero && f.widPresent) {
      prec = f.wid;
      if (negative || f.plus || f.space) prec--;
    }
    let digits = u.toString(base);
    if (upper) digits = digits.toUpperCase();
    if (digits.length < prec) digits = "0".repeat(prec - digits.length) + digits;
    if (f.sharp) {
      if (base === 2) digits = "0b" + digits;
      else if (base === 8 && !digits.startsWith("0")) digits = "0" + digits;
      else if (base === 16) digits = (upper ? "0X" : "0x") + digits;
    }
    if (verb === "O") digits = "0o" + digits;
    if (negative) digits = "-" + digits;
    else if (f.plus) digits = "+" + digits;
    else if (f.space) digits = " " + digits;
    const zero = f.zero;
    f.zero = false;
    this.pad(digits);
    f.zero = zero;
  }

  unicode(u: bigint): void {
    const f = this.f;
    let s =
      "U+" +
      u
        .toString(16)
        .toUpperCase()
        .padStart(f.precPresent ? Math.max(f.prec, 4) : 4, "0");
    if (f.sharp && u >= 0n && u <= 0x10ffffn) {
      const cp = Number(u);
      s += " '" + String.fromCodePoint(cp) + "'";
    }
    const zero = f.zero;
    f.zero = false;
    this.pad(s);
    f.zero = zero;
  }

  fmtFloat(v: number, verb: string): void {
    switch (verb) {
      case "v":
        this.float(v, "g", -1);
        return;
      case "g":
      case "G":
        this.float(v, verb, -1);
        return;
      case "f":
      case "F":
        this.float(v, "f", 6);
        return;
      case "e":
      case "E":
        this.float(v, verb, 6);
        return;
      case "b":
      case "x":
      case "X":
        this.float(v, verb, -1);
        return;
      default:
        this.badVerb(verb, v, false);
    }
  }

  float(v: number, verb: string, prec: number): void {
    const f = this.f;
    if (f.precPresent) prec = f.prec;
    let num: string;
    if (verb === "b") num = formatFloatB(v);
    else if (verb === "x" || verb === "X") {
      if (prec >= 0)
        throw new FmtUnsupported(`%${verb} of a float with a precision is not supported`);
      num = formatFloatX(v, verb === "X");
    } else num = formatFloat(v, verb, prec);
    if (!num.startsWith("-") && !num.startsWith("+")) num = "+" + num;
    if (f.space && num.startsWith("+") && !f.plus) num = " " + num.slice(1);
    if (num[1] === "I" || num[1] === "N") {
      const zero = f.zero;
      f.zero = false;
      if (num[1] === "N" && !f.space && !f.plus) num = num.slice(1);
      this.pad(num);
      f.zero = zero;
      return;
    }
    if (f.sharp && verb !== "b") num = sharpFloat(num, verb, prec);
    if (f.plus || !num.startsWith("+")) {
      if (f.zero && f.widPresent && f.wid > num.length) {
        this.buf += num.slice(0, 1) + "0".repeat(f.wid - num.length) + num.slice(1);
        return;
      }
      this.pad(num);
      return;
    }
    this.pad(num.slice(1));
  }
}
