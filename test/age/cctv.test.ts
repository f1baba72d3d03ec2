/**
 * The C2SP CCTV age vectors (`cctv-age`): every vector through decrypt, and through fastDecrypt
 * directly; where fastDecrypt declines (null), decrypt's fallback must decide it.
 *
 * secretgen has no passphrase decryption and refuses post-quantum identities, so vectors that
 * need those are expected to fail (`unsupported` or `no-identity`) or to succeed only through
 * the identities that remain.
 */
import { createHash } from "node:crypto";
import { inflateSync } from "node:zlib";
import * as vectors from "cctv-age";
import { describe, expect, it } from "vitest";
import {
  AgeError,
  decrypt,
  fastDecrypt,
  parseIdentities,
  type Identity,
} from "../../src/age/index.js";
import type { AgeErrorKind } from "../../src/age/index.js";
import { noPassphrase } from "./fixtures.js";

interface Vector {
  name: string;
  expect: string;
  payload: string | undefined;
  identities: string[];
  passphrases: string[];
  body: Uint8Array;
}

function parseVector(name: string, raw: Uint8Array): Vector {
  const buf = Buffer.from(raw);
  const sep = buf.indexOf("\n\n");
  const v: Vector = {
    name,
    expect: "",
    payload: undefined,
    identities: [],
    passphrases: [],
    body: new Uint8Array(),
  };
  let compressed = false;
  for (const line of buf.subarray(0, sep).toString("utf8").split("\n")) {
    const i = line.indexOf(": ");
    const [key, value] = [line.slice(0, i), line.slice(i + 2)];
    if (key === "expect") v.expect = value;
    else if (key === "payload") v.payload = value;
    else if (key === "identity") v.identities.push(value);
    else if (key === "passphrase") v.passphrases.push(value);
    else if (key === "compressed") compressed = value === "zlib";
  }
  const body = buf.subarray(sep + 2);
  v.body = new Uint8Array(compressed ? inflateSync(body) : body);
  return v;
}

const all = Object.entries(vectors)
  .map(([name, raw]) => parseVector(name, raw))
  .sort((a, b) => a.name.localeCompare(b.name));

/** The error kinds each CCTV expectation may map to. */
const KINDS: Record<string, AgeErrorKind[]> = {
  "no match": ["no-identity"],
  "HMAC failure": ["header-mac"],
  "header failure": ["malformed", "unsupported"],
  "payload failure": ["payload-auth", "malformed"],
  "armor failure": ["malformed"],
};

async function identitiesOf(v: Vector): Promise<{ ids: Identity[]; dropped: boolean }> {
  const ids: Identity[] = [];
  let dropped = v.passphrases.length > 0;
  for (const text of v.identities) {
    if (text.startsWith("AGE-SECRET-KEY-PQ-1")) {
      await expect(
        parseIdentities(text, { source: v.name, passphrase: noPassphrase }),
      ).rejects.toMatchObject({
        kind: "unsupported",
      });
      dropped = true;
      continue;
    }
    ids.push(...(await parseIdentities(text, { source: v.name, passphrase: noPassphrase })));
  }
  return { ids, dropped };
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Check one outcome (plaintext or error) against the vector's expectation. */
function check(
  v: Vector,
  dropped: boolean,
  outcome: { plaintext: Uint8Array } | { error: unknown },
) {
  if ("plaintext" in outcome) {
    expect(v.expect).toBe("success");
    expect(sha256(outcome.plaintext)).toBe(v.payload);
    return;
  }
  expect(outcome.error).toBeInstanceOf(AgeError);
  const kind = (outcome.error as AgeError).kind;
  if (dropped) {
    // What secretgen cannot do (passphrases, post-quantum) fails cleanly, as its own kind.
    expect(kind).toMatch(/^(no-identity|unsupported|malformed)$/);
    return;
  }
  expect(v.expect).not.toBe("success");
  expect(KINDS[v.expect]).toContain(kind);
}

async function settle<T>(f: () => Promise<T> | T): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await f() };
  } catch (error) {
    return { error };
  }
}

describe("CCTV age vectors", () => {
  it("are all there", () => {
    expect(all.length).toBeGreaterThan(130);
  });

  it.for(all)("$name: decrypt gives the expected outcome ($expect)", async (v) => {
    const { ids, dropped } = await identitiesOf(v);
    const r = await settle(() => decrypt(v.body, ids));
    check(v, dropped, "value" in r ? { plaintext: r.value } : r);
  });

  const fastHandled = new Set<string>();
  it.for(all)("$name: fastDecrypt gives the expected outcome or declines", async (v) => {
    const { ids, dropped } = await identitiesOf(v);
    const r = await settle(() => fastDecrypt(v.body, ids));
    if ("value" in r && r.value === null) {
      // Declined: the fallback decides (decrypt's own test above checks the same vector).
      const slow = await settle(() => decrypt(v.body, ids));
      check(v, dropped, "value" in slow ? { plaintext: slow.value } : slow);
      return;
    }
    fastHandled.add(v.name);
    check(v, dropped, "value" in r ? { plaintext: r.value as Uint8Array } : r);
  });

  it("fastDecrypt decides every binary X25519 vector with a well-formed header", () => {
    const expected = all.filter(
      (v) =>
        /^(x25519|stream_|hmac_bad)/.test(v.name) &&
        v.identities.every((i) => i.startsWith("AGE-SECRET-KEY-1")) &&
        // x25519_lowercase has only an unknown stanza type ("x25519"): the fallback decides it.
        !/not_canonical|lowercase/.test(v.name),
    );
    expect(expected.length).toBeGreaterThanOrEqual(40);
    for (const v of expected) expect(fastHandled, v.name).toContain(v.name);
  });
});
