/**
 * Go's strconv float64 forms, as fmt uses them: `%e %f %g` (exact decimal expansion, rounded half
 * to even as strconv does, or the shortest digits that round-trip), `%b`, `%x`, and the `#` flag.
 */

/** A decimal: value = 0.DIGITS × 10^dp, digits without leading zeros ("" for zero). */
interface Decimal {
  digits: string;
  dp: number;
}

/** The exact decimal value of |x| (finite). */
function exactDecimal(x: number): Decimal {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  if (mant === 0n) return { digits: "", dp: 0 };
  let digits: string;
  let dp: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    dp = digits.length;
  } else {
    digits = (mant * 5n ** BigInt(-exp)).toString();
    dp = digits.length + exp;
  }
  return { digits: digits.replace(/0+$/, ""), dp };
}

/** Round to `nd` digits (half to even on the exact value); nd may be ≤ 0. */
function roundDecimal(d: Decimal, nd: number): Decimal {
  if (nd < 0) return { digits: "", dp: 0 };
  if (nd >= d.digits.length) return d;
  const next = d.digits.charCodeAt(nd) - 48;
  const rest = d.digits.slice(nd + 1);
  let up = next > 5 || (next === 5 && rest !== "");
  if (next === 5 && rest === "") up = nd > 0 && (d.digits.charCodeAt(nd - 1) - 48) % 2 === 1;
  let digits = d.digits.slice(0, nd);
  let dp = d.dp;
  if (up) {
    let i = digits.length - 1;
    while (i >= 0 && digits[i] === "9") i--;
    if (i < 0) {
      digits = "1";
      dp++;
    } else {
      digits = digits.slice(0, i) + String.fromCharCode(digits.charCodeAt(i) + 1);
    }
  }
  return { digits: digits.replace(/0+$/, ""), dp };
}

/** The shortest digits that read back as x (what JavaScript and Go both print). */
function shortest(x: number): Decimal {
  if (x === 0) return { digits: "", dp: 0 };
  const [mantissa = "", exponent = "0"] = Math.abs(x).toExponential().split("e");
  const digits = mantissa.replace(".", "").replace(/0+$/, "");
  return { digits, dp: Number(exponent) + 1 };
}

function digitAt(d: Decimal, i: number): string {
  return d.digits[i] ?? "0";
}

function formatE(d: Decimal, prec: number, upper: boolean): string {
  let out = digitAt(d, 0);
  if (prec > 0) {
    out += ".";
    for (let i = 1; i <= prec; i++) out += digitAt(d, i);
  }
  const exp = d.digits === "" ? 0 : d.dp - 1;
  const e = Math.abs(exp);
  return `${out}${upper ? "E" : "e"}${exp < 0 ? "-" : "+"}${e < 10 ? "0" : ""}${e}`;
}

function formatF(d: Decimal, prec: number): string {
  let out = "";
  if (d.dp > 0) for (let i = 0; i < d.dp; i++) out += digitAt(d, i);
  else out = "0";
  if (prec > 0) {
    out += ".";
    for (let i = 0; i < prec; i++) {
      const j = d.dp + i;
      out += j < 0 ? "0" : digitAt(d, j);
    }
  }
  return out;
}

/**
 * strconv.FormatFloat(x, fmt, prec, 64) for fmt in e E f g G (prec -1: shortest), with the sign.
 */
export function formatFloat(x: number, fmt: string, prec: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "+Inf" : "-Inf";
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const isShortest = prec < 0;
  let d: Decimal;
  if (isShortest) {
    d = shortest(x);
    if (fmt === "e" || fmt === "E") prec = Math.max(d.digits.length - 1, 0);
    else if (fmt === "f") prec = Math.max(d.digits.length - d.dp, 0);
    else prec = d.digits.length;
    if (x === 0) d = { digits: "", dp: 0 };
  } else {
    const exact = exactDecimal(x);
    if (fmt === "e" || fmt === "E") d = roundDecimal(exact, prec + 1);
    else if (fmt === "f") d = roundDecimal(exact, exact.dp + prec);
    else d = roundDecimal(exact, prec === 0 ? 1 : prec);
    if (prec === 0 && (fmt === "g" || fmt === "G")) prec = 1;
  }
  switch (fmt) {
    case "e":
    case "E":
      return sign + formatE(d, prec, fmt === "E");
    case "f":
      return sign + formatF(d, prec);
    default: {
      // strconv's formatDigits for %g.
      const nd = d.digits.length;
      let eprec = prec;
      if (eprec > nd && nd >= d.dp) eprec = nd;
      if (isShortest) eprec = 6;
      const exp = d.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return sign + formatE(d, prec - 1, fmt === "G");
      }
      if (prec > d.dp) prec = nd;
      return sign + formatF(d, Math.max(prec - d.dp, 0));
    }
  }
}

function floatBits(x: number): { mant: bigint; exp: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  return expBits === 0
    ? { mant: frac, exp: -1074 }
    : { mant: frac | (1n << 52n), exp: expBits - 1075 };
}

/** strconv's %b: decimal mantissa, `p`, binary exponent (`4503599627370496p-52`). */
export function formatFloatB(x: number): string {
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  const { mant, exp } = floatBits(x);
  const e = mant === 0n ? -1074 : exp;
  return `${sign}${mant}p${e >= 0 ? "+" : "-"}${Math.abs(e)}`;
}

/** strconv's %x with the shortest precision: `0x1.8p+01`. */
export function formatFloatX(x: number, upper: boolean): string {
  const sign = x < 0 || Object.is(x, -0) ? "-" : "";
  let { mant, exp } = floatBits(x);
  let out: string;
  if (mant === 0n) out = "0x0p+00";
  else {
    // Normalise to 1.fff… × 2^e with 52 fraction bits.
    while (mant < 1n << 52n) {
      mant <<= 1n;
      exp--;
    }
    const e = exp + 52;
    const frac = (mant & ((1n << 52n) - 1n)).toString(16).padStart(13, "0").replace(/0+$/, "");
    const ae = Math.abs(e);
    out = `0x1${frac === "" ? "" : "." + frac}p${e >= 0 ? "+" : "-"}${ae < 10 ? "0" : ""}${ae}`;
  }
  return sign + (upper ? out.toUpperCase() : out);
}

/** The # flag on a float: always a decimal point, and %g/%v keep trailing zeros (format.go). */
export function sharpFloat(num: string, verb: string, prec: number): string {
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
