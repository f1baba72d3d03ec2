/**
 * Small, deterministic value helpers shared by the functions and the template and JSON
 * generators: UTF-8 conversion, the one key order, type names for messages.
 */

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** UTF-8 bytes of a string (a lone surrogate becomes U+FFFD). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** The UTF-8 text of `bytes`, kept exactly (a BOM stays); undefined when not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return decoder.decode(bytes);
  } catch {
    return undefined;
  }
}

/** True when `text` holds an unpaired surrogate (it has no UTF-8 form). */
export function hasLoneSurrogate(text: string): boolean {
  return /\p{Cs}/u.test(text);
}

function codePointRank(unit: number): number {
  // Code units D800–DFFF (surrogates, i.e. code points ≥ U+10000) sort after E000–FFFF.
  if (unit < 0xd800) return unit;
  return unit < 0xe000 ? unit + 0x2000 : unit - 0x800;
}

/**
 * Unicode code-point order (never locale order): the order object keys are walked in. It
 * differs from JavaScript's default string order only for keys that hold characters above
 * U+FFFF next to characters in U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** A plain object (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The own keys of an object in code-point order. */
export function sortedKeys(value: object): string[] {
  return Object.keys(value).sort(compareCodePoints);
}

/** Set `obj[key]` as an own data property, even for `__proto__`. */
export function defineKey(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** What kind of value this is, for messages that must not show the value itself. */
export function typeName(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/**
 * The value of a secret that is not UTF-8 text (a script's binary output, an adopted file), as
 * `secret NAME` gives it: the functions that take bytes (`base64`, `sha256`) read its bytes;
 * every use as text is a NotText failure of the reader. Its fields are private, so a template
 * walking it sees no keys.
 */
export class SecretBytes {
  readonly #name: string;
  readonly #bytes: Uint8Array;

  constructor(name: string, bytes: Uint8Array) {
    this.#name = name;
    this.#bytes = bytes;
  }

  /** The secret it is the value of (a declared name: never a value). */
  get name(): string {
    return this.#name;
  }

  get bytes(): Uint8Array {
    return this.#bytes;
  }
}

/**
 * A SecretBytes used as text: a runtime failure of the secret that reads it (exit 3), since it
 * depends on the value, not on the declaration. `use` says where (`argument 1 (VALUE)`).
 */
export class NotText extends Error {
  constructor(
    readonly secret: string,
    readonly use: string,
  ) {
    super(
      `${use} is the value of secret ${JSON.stringify(secret)}, which is not UTF-8 text (only base64 and sha256 take bytes)`,
    );
    this.name = "NotText";
  }
}

/** `v` unless it is a SecretBytes, which throws NotText for `use`. */
export function textOnly<T>(v: T, use: string): T {
  if (v instanceof SecretBytes) throw new NotText(v.name, use);
  return v;
}
