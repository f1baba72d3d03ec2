/**
 * The tail of a script's stderr as it may appear in an error message: every known secret value
 * replaced by `[redacted]` (over the whole stream, before the tail is cut), the private
 * directory's paths shortened to their variable names, control characters escaped, long lines
 * cut.
 */

export const REDACTED = "[redacted]";
export const TAIL_LINES = 10;
const MAX_LINE = 300;
/** Lines of a multi-line value at least this long are redacted on their own too. */
const MIN_LINE_PATTERN = 8;

function isSpace(b: number | undefined): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

function trimBytes(v: Uint8Array): Uint8Array {
  let start = 0;
  let end = v.length;
  while (start < end && isSpace(v[start])) start++;
  while (end > start && isSpace(v[end - 1])) end--;
  return v.subarray(start, end);
}

/** GNU base64's default output: lines of 76 characters. */
function wrapped(b64: string): string {
  return b64.replace(/.{76}(?=.)/g, "$&\n");
}

/** `%41%42` for bytes that encodeURIComponent would escape, as a URL or form would carry them. */
function percentEncoded(v: Buffer, upper: boolean): string {
  let out = "";
  for (const b of v) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.!~*'()]/.test(c)) out += c;
    else {
      const h = b.toString(16).padStart(2, "0");
      out += `%${upper ? h.toUpperCase() : h}`;
    }
  }
  return out;
}

/**
 * The encoded forms of `v` that a script may print: base64 (without its padding, so padded and
 * unpadded both match; also wrapped at 76 columns as `base64` writes it), base64url, hex in
 * either case, and percent-encoding in either case. Also of `v` followed by a newline, which
 * is what `echo "$v" | base64` encodes.
 */
function encodedForms(v: Buffer): string[] {
  const out: string[] = [];
  for (const b of [v, Buffer.concat([v, Buffer.from("\n")])]) {
    const b64 = b.toString("base64").replace(/=+$/, "");
    out.push(b64, wrapped(b64), b.toString("base64url"));
  }
  const hex = v.toString("hex");
  out.push(hex, hex.toUpperCase(), percentEncoded(v, true), percentEncoded(v, false));
  return out;
}

/**
 * The byte strings to redact for some values: each value, the value without surrounding
 * whitespace (`$(cat file)` drops a trailing newline), each line of a multi-line value that is
 * at least 8 bytes long (a key printed reformatted), and the base64, base64url, hex and
 * percent-encoded forms of each of these (encodedForms) that are at least 8 characters long.
 * Empty patterns are dropped.
 */
export function redactionPatterns(values: readonly Uint8Array[]): Buffer[] {
  const seen = new Set<string>();
  const out: Buffer[] = [];
  const add = (p: Uint8Array) => {
    if (p.length === 0) return;
    const b = Buffer.from(p);
    const key = b.toString("hex");
    if (seen.has(key)) return;
    seen.add(key);
    out.push(b);
  };
  const plain: Uint8Array[] = [];
  for (const v of values) {
    plain.push(v);
    const trimmed = trimBytes(v);
    plain.push(trimmed);
    if (trimmed.includes(0x0a)) {
      let start = 0;
      for (let i = 0; i <= trimmed.length; i++) {
        if (i === trimmed.length || trimmed[i] === 0x0a) {
          const line = trimBytes(trimmed.subarray(start, i));
          if (line.length >= MIN_LINE_PATTERN) plain.push(line);
          start = i + 1;
        }
      }
    }
  }
  for (const p of plain) add(p);
  for (const p of plain) {
    if (p.length === 0) continue;
    for (const form of encodedForms(Buffer.from(p))) {
      if (form.length >= MIN_LINE_PATTERN) add(Buffer.from(form));
    }
  }
  return out;
}

/**
 * `data` with every occurrence of every value (see redactionPatterns) replaced by
 * `[redacted]`. Overlapping and adjacent matches merge into one `[redacted]`, so no part of a
 * value survives between two matches.
 */
export function redact(data: Uint8Array, values: readonly Uint8Array[]): Buffer {
  const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const ranges: [number, number][] = [];
  for (const p of redactionPatterns(values)) {
    for (let at = buf.indexOf(p); at !== -1; at = buf.indexOf(p, at + 1))
      ranges.push([at, at + p.length]);
  }
  if (ranges.length === 0) return Buffer.from(buf);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [s, e] of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  const parts: Buffer[] = [];
  let pos = 0;
  for (const [s, e] of merged) {
    parts.push(buf.subarray(pos, s), Buffer.from(REDACTED));
    pos = e;
  }
  parts.push(buf.subarray(pos));
  return Buffer.concat(parts);
}

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f]/g;

function escapeControls(line: string): string {
  return line.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/**
 * The last `TAIL_LINES` lines of `stderr`, redacted (see `redact`), with each `[from, to]` of
 * `paths` replaced in the text, control characters escaped and long lines cut.
 */
export function stderrTail(
  stderr: Uint8Array,
  values: readonly Uint8Array[],
  paths: readonly (readonly [string, string])[],
): string[] {
  let text = redact(stderr, values).toString("utf8");
  for (const [from, to] of paths) text = text.split(from).join(to);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines.slice(-TAIL_LINES).map((l) => {
    const e = escapeControls(l);
    return e.length > MAX_LINE ? e.slice(0, MAX_LINE) + "…" : e;
  });
}

/** The stderr tail as the end of an error message: `; last lines of stderr:` and the lines. */
export function formatTail(
  stderr: Uint8Array | undefined,
  values: readonly Uint8Array[],
  paths: readonly (readonly [string, string])[],
): string {
  const lines = stderr === undefined ? [] : stderrTail(stderr, values, paths);
  if (lines.length === 0) return " (stderr was empty)";
  return "; last lines of stderr:\n" + lines.map((l) => `  | ${l}`).join("\n");
}
