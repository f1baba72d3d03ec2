/**
 * Go's fmt.Sprint, Sprintln and Sprintf (fmt/print.go, fmt/format.go) for the values a template
 * holds: flags `+ - # 0 space`, width and precision (`*` too), the verbs of each kind, Go's
 * `%!v(MISSING)`, `%!d(string=x)`, `%!(EXTRA …)` and `%!(NOVERB)` forms. Not supported (an
 * error, never a different text): `%#v`, `%p`, explicit argument indexes `%[1]d`, `%.Nx` of a
 * float.
 */
import {
  canBackquote,
  formatFloat,
  formatFloatB,
  formatFloatX,
  quote,
  quoteRune,
  quoteToASCII,
} from "./fmt-number.js";
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

interface Flags {
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

function noFlags(): Flags {
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

class Printer {
  buf = "";
  f: Flags = noFlags();

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
    switch (kindOf(v)) {
      case "invalid":
        // A nil element of a list or map.
        this.buf += "<nil>";
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

/** The # flag on a float: always a decimal point, and %g/%v keep trailing zeros (format.go). */
function sharpFloat(num: string, verb: string, prec: number): string {
  let digits = 0;
  if (verb === "v" || verb === "g" || verb === "G" || verb === "x") digits = prec === -1 ? 6 : prec;
  let tail = "";
  let body = num;
  let hasPoint = false;
  let sawNonzero = false;
  for (let i = 1; i < body.length; i++) {
    const c = body[i] ?? "";
    if (c === ".") hasPoint = true;
    else if (c === "p" || c === "P" || ((c === "e" || c === "E") && verb !== "x" && verb !== "X")) {
      tail = body.slice(i);
      body = body.slice(0, i);
      break;
    } else {
      if (c !== "0") sawNonzero = true;
      if (sawNonzero) digits--;
    }
  }
  if (!hasPoint) {
    if (body.length === 2 && body[1] === "0") digits--;
    body += ".";
  }
  while (digits > 0) {
    body += "0";
    digits--;
  }
  return body + tail;
}

function validRune(u: bigint): number {
  if (u < 0n || u > 0x10ffffn) return 0xfffd;
  const cp = Number(u);
  return cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp;
}

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly GoValue[]): string {
  const p = new Printer();
  let prevString = false;
  args.forEach((arg, i) => {
    const isString = typeof arg === "string";
    if (i > 0 && !isString && !prevString) p.buf += " ";
    p.f = noFlags();
    p.printArg(arg, "v");
    prevString = isString;
  });
  return p.buf;
}

/** fmt.Sprintln: spaces between all operands, then a newline. */
export function sprintln(args: readonly GoValue[]): string {
  const p = new Printer();
  args.forEach((arg, i) => {
    if (i > 0) p.buf += " ";
    p.f = noFlags();
    p.printArg(arg, "v");
  });
  return p.buf + "\n";
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[]): string {
  const p = new Printer();
  let argNum = 0;
  const end = format.length;
  let i = 0;
  const parsenum = (): { n: number; ok: boolean } => {
    let n = 0;
    let ok = false;
    while (i < end && /[0-9]/.test(format[i] ?? "")) {
      if (n > 1e6) return { n: 0, ok: false };
      n = n * 10 + (format.charCodeAt(i) - 48);
      ok = true;
      i++;
    }
    return { n, ok };
  };
  const intFromArg = (): { n: number; ok: boolean } => {
    if (argNum >= args.length) return { n: 0, ok: false };
    const a = args[argNum++] ?? null;
    if (typeof a === "bigint" && a >= -1000000n && a <= 1000000n) return { n: Number(a), ok: true };
    if (a instanceof GoByte) return { n: a.value, ok: true };
    return { n: 0, ok: false };
  };
  formatLoop: while (i < end) {
    const last = i;
    while (i < end && format[i] !== "%") i++;
    if (i > last) p.buf += format.slice(last, i);
    if (i >= end) break;
    i++;
    p.f = noFlags();
    const f = p.f;
    simple: for (; i < end; i++) {
      const c = format[i] ?? "";
      switch (c) {
        case "#":
          f.sharp = true;
          break;
        case "0":
          f.zero = !f.minus;
          break;
        case "+":
          f.plus = true;
          break;
        case "-":
          f.minus = true;
          f.zero = false;
          break;
        case " ":
          f.space = true;
          break;
        default:
          if (c >= "a" && c <= "z" && argNum < args.length) {
            printVerb(p, c, args[argNum] ?? null);
            argNum++;
            i++;
            continue formatLoop;
          }
          break simple;
      }
    }
    if (format[i] === "[") throw new FmtUnsupported("explicit argument indexes are not supported");
    if (i < end && format[i] === "*") {
      i++;
      const w = intFromArg();
      f.wid = w.n;
      f.widPresent = w.ok;
      if (!w.ok) p.buf += "%!(BADWIDTH)";
      if (f.wid < 0) {
        f.wid = -f.wid;
        f.minus = true;
        f.zero = false;
      }
    } else {
      const w = parsenum();
      f.wid = w.n;
      f.widPresent = w.ok;
    }
    if (i + 1 < end && format[i] === ".") {
      i++;
      if (format[i] === "[")
        throw new FmtUnsupported("explicit argument indexes are not supported");
      if (i < end && format[i] === "*") {
        i++;
        const pr = intFromArg();
        f.prec = pr.n;
        f.precPresent = pr.ok;
        if (f.prec < 0) {
          f.prec = 0;
          f.precPresent = false;
        }
        if (!f.precPresent) p.buf += "%!(BADPREC)";
      } else {
        const pr = parsenum();
        f.prec = pr.ok ? pr.n : 0;
        f.precPresent = true;
      }
    }
    if (format[i] === "[") throw new FmtUnsupported("explicit argument indexes are not supported");
    if (i >= end) {
      p.buf += "%!(NOVERB)";
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === "%") p.buf += "%";
    else if (argNum >= args.length) p.buf += "%!" + verb + "(MISSING)";
    else {
      printVerb(p, verb, args[argNum] ?? null);
      argNum++;
    }
  }
  if (argNum < args.length) {
    p.f = noFlags();
    p.buf += "%!(EXTRA ";
    args.slice(argNum).forEach((arg, k) => {
      if (k > 0) p.buf += ", ";
      if (arg === null) p.buf += "<nil>";
      else {
        p.buf += typeName(arg) + "=";
        p.printArg(arg, "v");
      }
    });
    p.buf += ")";
  }
  return p.buf;
}

function printVerb(p: Printer, verb: string, arg: GoValue): void {
  if (verb === "v") {
    if (p.f.sharp) throw new FmtUnsupported("%#v is not supported");
    // %+v prints like %v for these types.
    p.f.plus = false;
  }
  p.printArg(arg, verb);
}
