/**
 * engine/exec/split-encrypt.ts: encryption shared between this thread and a helper (the early
 * decryption's worker). Up to WORKER_AHEAD files are with the helper at once, the others are
 * encrypted here; a helper that is gone (undefined) leaves the file to this thread; an error
 * the helper reports is the caller's; decryption and renders never go to the helper.
 */
import { describe, expect, it } from "vitest";
import type { Executor } from "../../../src/engine/exec/executor.js";
import {
  SplitEncrypt,
  WORKER_AHEAD,
  type EncryptHelper,
} from "../../../src/engine/exec/split-encrypt.js";
import { runtimeError } from "../../../src/errors.js";

/** An executor that tags what it encrypts "here:", and counts what else it is asked. */
function here() {
  const asked: string[] = [];
  const executor: Executor = {
    render: () => Promise.reject(new Error("unused")),
    decrypt: (c) => {
      asked.push(`decrypt ${Buffer.from(c).toString()}`);
      return Promise.resolve(c);
    },
    encrypt: (p, r, armor) =>
      Promise.resolve(
        Buffer.from(`here:${Buffer.from(p).toString()}:${r.join(",")}:${String(armor)}`),
      ),
    close: () => Promise.resolve(),
  };
  return { executor, asked };
}

interface Held {
  p: string;
  answer: (v: Uint8Array | undefined) => void;
  fail: (e: Error) => void;
}

/** The file `p` the helper holds. */
function heldFile(held: Held[], p: string): Held {
  const h = held.find((x) => x.p === p);
  if (h === undefined) throw new Error(`the helper holds no ${p}`);
  return h;
}

/** A helper whose answers are released by hand; `gone` makes it answer undefined. */
function helper() {
  const held: Held[] = [];
  const h: EncryptHelper & { gone: boolean } = {
    gone: false,
    get encryptions() {
      return held.length;
    },
    encrypt(p) {
      if (h.gone) return Promise.resolve(undefined);
      return new Promise((resolve, reject) => {
        const text = Buffer.from(p).toString();
        held.push({
          p: text,
          answer: (v) => {
            held.splice(
              held.findIndex((x) => x.p === text),
              1,
            );
            resolve(v);
          },
          fail: (e) => {
            held.splice(
              held.findIndex((x) => x.p === text),
              1,
            );
            reject(e);
          },
        });
      });
    },
  };
  return { h, held };
}

const bytes = (s: string) => Buffer.from(s);
const text = (b: Uint8Array) => Buffer.from(b).toString();

describe("SplitEncrypt", () => {
  it(`gives the helper ${String(WORKER_AHEAD)} files at once and encrypts the others here`, async () => {
    const { executor } = here();
    const { h, held } = helper();
    const split = new SplitEncrypt(executor, h);
    const n = WORKER_AHEAD + 5;
    const results = Array.from({ length: n }, (_, i) =>
      split.encrypt(bytes(`f${String(i)}`), ["r1", "r2"], i === 0),
    );
    // The first WORKER_AHEAD went to the helper; the rest are done here already.
    expect(held.map((x) => x.p)).toEqual(
      Array.from({ length: WORKER_AHEAD }, (_, i) => `f${String(i)}`),
    );
    for (let i = WORKER_AHEAD; i < n; i++)
      expect(text(await (results[i] ?? Promise.reject(new Error("none"))))).toBe(
        `here:f${String(i)}:r1,r2:false`,
      );
    // Once the helper answers one, the next file goes to it again.
    heldFile(held, "f0").answer(bytes("there:f0"));
    expect(text(await (results[0] ?? Promise.reject(new Error("none"))))).toBe("there:f0");
    const next = split.encrypt(bytes("g"), ["r1"], false);
    expect(held.map((x) => x.p)).toContain("g");
    heldFile(held, "g").answer(bytes("there:g"));
    expect(text(await next)).toBe("there:g");
  });

  it("encrypts here a file the helper could not take, at once or after it was sent", async () => {
    const { executor } = here();
    const { h, held } = helper();
    const split = new SplitEncrypt(executor, h);
    const sent = split.encrypt(bytes("a"), ["r"], true);
    heldFile(held, "a").answer(undefined); // the worker died holding it
    expect(text(await sent)).toBe("here:a:r:true");
    h.gone = true;
    expect(text(await split.encrypt(bytes("b"), ["r"], false))).toBe("here:b:r:false");
  });

  it("an error the helper reports is the caller's (not encrypted again here)", async () => {
    const { executor } = here();
    const { h, held } = helper();
    const split = new SplitEncrypt(executor, h);
    const sent = split.encrypt(bytes("a"), ["r"], false);
    const error = runtimeError("cannot encrypt to an X25519 recipient: a low-order point");
    heldFile(held, "a").fail(error);
    await expect(sent).rejects.toBe(error);
  });

  it("decrypts here", async () => {
    const { executor, asked } = here();
    const { h, held } = helper();
    const split = new SplitEncrypt(executor, h);
    expect(text(await split.decrypt(bytes("c")))).toBe("c");
    expect(asked).toEqual(["decrypt c"]);
    expect(held).toEqual([]);
  });
});
