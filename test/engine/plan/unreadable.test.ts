/** noEntropyOpens: one error when the identities open no entropy file at all. */
import { describe, expect, it } from "vitest";
import { AgeError } from "../../../src/age/index.js";
import type { StoredSecret } from "../../../src/engine/plan/index.js";
import { noEntropyOpens } from "../../../src/engine/plan/unreadable.js";
import { runtimeError } from "../../../src/errors.js";

const ADMIN = `age1${"q".repeat(58)}`;

function failed(kind: ConstructorParameters<typeof AgeError>[0]): StoredSecret {
  const cause = new AgeError(kind, kind === "no-identity" ? "no identity matched" : "bad file");
  return { entropyHash: "h", record: runtimeError("cannot decrypt its entropy file", { cause }) };
}

const opened: StoredSecret = {
  entropyHash: "h",
  record: {
    version: 1,
    declarationHash: "d",
    dependencies: {},
    entropy: new Uint8Array(),
  } as never,
};

describe("noEntropyOpens", () => {
  it("every entropy file without a matching identity: one error naming the admins", () => {
    const stored = new Map([
      ["a", failed("no-identity")],
      ["b", failed("no-identity")],
      ["m", {}], // no entropy file yet: not counted
    ]);
    const err = noEntropyOpens(stored, [ADMIN]);
    expect(err?.message).toBe(
      `none of the identities given opens any of the 2 entropy files; they are encrypted to the admins: ${ADMIN}`,
    );
    expect(err?.exitCode).toBe(3);
    expect(noEntropyOpens(new Map([["a", failed("no-identity")]]), ["age1x"])?.message).toBe(
      "none of the identities given opens the entropy file; they are encrypted to the admins: age1x",
    );
  });

  it("one file opened, another failure, or no entropy files: each secret speaks for itself", () => {
    expect(
      noEntropyOpens(
        new Map([
          ["a", failed("no-identity")],
          ["b", opened],
        ]),
        [ADMIN],
      ),
    ).toBe(undefined);
    expect(
      noEntropyOpens(
        new Map([
          ["a", failed("no-identity")],
          ["b", failed("payload-auth")],
        ]),
        [ADMIN],
      ),
    ).toBe(undefined);
    expect(noEntropyOpens(new Map([["m", {}]]), [ADMIN])).toBe(undefined);
  });
});
