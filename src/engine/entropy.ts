/**
 * The entropy stream of one secret. Every random byte a generator uses is drawn from here, in
 * order. On first generation the stream draws from the CSPRNG and records; on replay it serves
 * the recorded bytes and runs dry after them (EntropyExhausted).
 *
 * A render that must restart (it asked for a secret not rendered yet) calls `restart()`: the
 * bytes drawn so far stay recorded and are served again from the start, so salts drawn before a
 * restart do not change.
 */
import { randomBytes } from "node:crypto";

/** Thrown when a replay asks for more bytes than were recorded. */
export class EntropyExhausted extends Error {
  constructor(readonly recorded: number) {
    super(`recorded entropy exhausted after ${recorded} bytes`);
    this.name = "EntropyExhausted";
  }
}

/** A source of fresh random bytes. Tests pass a seeded one; production uses the CSPRNG. */
export type RandomSource = (n: number) => Uint8Array;

/** The CSPRNG, read in blocks (a draw is often a single byte). */
export const cryptoSource: RandomSource = (() => {
  let pool = new Uint8Array(0);
  let at = 0;
  return (n: number) => {
    if (n > 1024) return new Uint8Array(randomBytes(n));
    if (at + n > pool.length) {
      pool = new Uint8Array(randomBytes(4096));
      at = 0;
    }
    const out = pool.slice(at, at + n);
    pool.fill(0, at, at + n);
    at += n;
    return out;
  };
})();

export class EntropyStream {
  private buf: Uint8Array;
  private len: number;
  private pos = 0;

  /**
   * @param recorded bytes to serve first (a previous recording, or empty)
   * @param fresh where to draw beyond the recording; omit for a pure replay, which throws
   *   EntropyExhausted past the end of `recorded`
   */
  constructor(
    recorded: Uint8Array = new Uint8Array(0),
    private readonly fresh?: RandomSource,
  ) {
    this.buf = new Uint8Array(Math.max(64, recorded.length));
    this.buf.set(recorded);
    this.len = recorded.length;
  }

  /** The next `n` bytes of the stream (a copy). */
  draw(n: number): Uint8Array {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`bad draw size ${n}`);
    const end = this.pos + n;
    if (end > this.len) {
      if (this.fresh === undefined) throw new EntropyExhausted(this.len);
      this.append(this.fresh(end - this.len));
    }
    const out = this.buf.slice(this.pos, end);
    this.pos = end;
    return out;
  }

  /** One byte (as `draw(1)[0]`, without making an array: strings draw byte by byte). */
  byte(): number {
    if (this.pos >= this.len) return this.draw(1)[0] ?? 0;
    return this.buf[this.pos++] ?? 0;
  }

  /** Start serving from the beginning again (render restart); recorded bytes are kept. */
  restart(): void {
    this.pos = 0;
  }

  /** Bytes consumed by the current render (what a new recording must keep). */
  get position(): number {
    return this.pos;
  }

  /** Every byte recorded so far (recorded prefix plus fresh draws), a copy. */
  recorded(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** The bytes the current render actually consumed (a copy). */
  consumed(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  private append(bytes: Uint8Array): void {
    if (this.len + bytes.length > this.buf.length) {
      const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.len + bytes.length));
      bigger.set(this.buf.subarray(0, this.len));
      this.buf = bigger;
    }
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }
}
