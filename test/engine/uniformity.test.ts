/**
 * Statistical check of the rejection sampler on the real CSPRNG: a chi-square goodness-of-fit
 * test with a fixed false-alarm rate of 1e-6 per test, and a proof that the test has teeth (it
 * rejects the biased `b mod n` sampler on the same byte stream).
 */
import { describe, expect, it } from "vitest";
import { EntropyStream, cryptoSource, type RandomSource } from "../../src/engine/entropy.js";
import { PRESET_ALPHABETS, randomString } from "../../src/engine/random.js";

const SAMPLES = 200_000;
/** Standard normal quantile for an upper tail of 1e-6 (Φ⁻¹(1 − 1e-6)). */
const Z_1E6 = 4.753424308822899;

/** The CSPRNG read in 64 KiB pieces (one `randomBytes` call per byte is slow). */
function pooledCrypto(): RandomSource {
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (n) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (at === pool.length) {
        pool = cryptoSource(65536);
        at = 0;
      }
      out[i] = pool[at++] ?? 0;
    }
    return out;
  };
}

/** Wilson–Hilferty approximation of the chi-square quantile with k degrees of freedom. */
function chiSquareCritical(k: number, z: number): number {
  const a = 2 / (9 * k);
  return k * (1 - a + z * Math.sqrt(a)) ** 3;
}

function chiSquare(sample: string, alphabet: readonly string[]): number {
  const index = new Map(alphabet.map((c, i) => [c, i]));
  const counts = new Array<number>(alphabet.length).fill(0);
  for (const c of sample) {
    const i = index.get(c);
    if (i === undefined) throw new Error(`character outside the alphabet: ${c}`);
    counts[i] = (counts[i] ?? 0) + 1;
  }
  const expected = sample.length / alphabet.length;
  return counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
}

/** The tempting but wrong sampler: every byte used as b mod n, no rejection. */
function biasedString(stream: EntropyStream, length: number, alphabet: readonly string[]): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[stream.byte() % alphabet.length] ?? "";
  return out;
}

describe("chi-square uniformity over the CSPRNG", () => {
  it.for([
    // Exact upper 1e-6 quantiles, from the regularized incomplete gamma function.
    [9, 44.811],
    [25, 73.895],
    [61, 128.524],
    [93, 172.747],
  ] as const)(
    "Wilson–Hilferty is within 3%% of the exact quantile for %i degrees of freedom",
    ([k, exact]) => {
      const approx = chiSquareCritical(k, Z_1E6);
      expect(approx).toBeGreaterThanOrEqual(exact); // conservative: a false alarm is rarer than 1e-6
      expect(approx / exact).toBeLessThan(1.03);
    },
  );

  it.for(["alnum", "printable", "digits", "lowercase"] as const)("%s passes", (charset) => {
    const alphabet = Array.from(PRESET_ALPHABETS[charset]);
    const sample = randomString(new EntropyStream(undefined, pooledCrypto()), SAMPLES, alphabet);
    expect(sample).toHaveLength(SAMPLES);
    expect(chiSquare(sample, alphabet)).toBeLessThan(chiSquareCritical(alphabet.length - 1, Z_1E6));
  });

  it.for(["alnum", "printable", "digits", "lowercase"] as const)(
    "the same test rejects the biased b mod n sampler for %s",
    (charset) => {
      const alphabet = Array.from(PRESET_ALPHABETS[charset]);
      const sample = biasedString(new EntropyStream(undefined, pooledCrypto()), SAMPLES, alphabet);
      expect(chiSquare(sample, alphabet)).toBeGreaterThan(
        chiSquareCritical(alphabet.length - 1, Z_1E6),
      );
    },
  );
});
