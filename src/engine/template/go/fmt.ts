/**
 * Go's fmt.Sprint, Sprintln and Sprintf (fmt/print.go) for the values a template holds: flags
 * `+ - # 0 space`, width and precision (`*` too), the verbs of each kind (printer.ts), Go's
 * `%!v(MISSING)`, `%!(EXTRA …)` and `%!(NOVERB)` forms. Not supported (an error, never a
 * different text): `%#v`, `%p`, explicit argument indexes `%[1]d`, `%.Nx` of a float.
 */
import { FmtProblem, FmtUnsupported, Printer, noFlags } from "./printer.js";
import { GoByte, typeName, type GoValue } from "./values.js";

export { FmtProblem, FmtUnsupported } from "./printer.js";

/** fmt.Sprint: spaces between operands when neither is a string. */
export function sprint(args: readonly GoValue[], strict = false): string {
  const p = new Printer(strict);
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
export function sprintln(args: readonly GoValue[], strict = false): string {
  const p = new Printer(strict);
  args.forEach((arg, i) => {
    if (i > 0) p.buf += " ";
    p.f = noFlags();
    p.printArg(arg, "v");
  });
  return p.buf + "\n";
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: readonly GoValue[], strict = false): string {
  const p = new Printer(strict);
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
      if (!w.ok) p.marker("%!(BADWIDTH)", "a * width has no int value");
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
        if (!f.precPresent) p.marker("%!(BADPREC)", "a * precision has no int value");
      } else {
        const pr = parsenum();
        f.prec = pr.ok ? pr.n : 0;
        f.precPresent = true;
      }
    }
    if (format[i] === "[") throw new FmtUnsupported("explicit argument indexes are not supported");
    if (i >= end) {
      p.marker("%!(NOVERB)", "the format ends in a % without a verb");
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === "%") p.buf += "%";
    else if (argNum >= args.length)
      p.marker("%!" + verb + "(MISSING)", `%${verb} has no value left to format`);
    else {
      printVerb(p, verb, args[argNum] ?? null);
      argNum++;
    }
  }
  if (argNum < args.length) {
    const extra = args.length - argNum;
    if (strict)
      throw new FmtProblem(
        `${extra} value${extra === 1 ? "" : "s"} more than the format's verbs (Go would print %!(EXTRA …))`,
      );
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
