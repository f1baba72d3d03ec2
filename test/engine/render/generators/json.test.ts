import { describe, expect, it } from "vitest";
import type { JsonSpec } from "../../../../src/declarations/types.js";
import { NeedSecret } from "../../../../src/engine/context.js";
import { EntropyExhausted, EntropyStream } from "../../../../src/engine/entropy.js";
import { bcryptSalt } from "../../../../src/engine/functions/bcrypt.js";
import { render } from "../../../../src/engine/render/generators/json.js";
import { counting, makeCtx, seededSource, text } from "../../support.js";
import { failure } from "../../../helpers/failures.js";

const spec = (content: unknown): JsonSpec => ({ kind: "json", content });
const fn = (name: string, args: unknown[] = [], opts?: Record<string, unknown>) =>
  opts === undefined ? { __secretgen: name, args } : { __secretgen: name, args, opts };

describe("json known answers", () => {
  it("walks keys sorted: a (bcrypt salt 00..0f), then m, then z (random hex)", () => {
    const content = {
      z: fn("random", [4], { charset: "hex" }),
      m: [1, "x", fn("concat", ["a", 1]), null, true],
      a: fn("bcrypt", [fn("secret", ["pw"]), 4]),
    };
    const ctx = makeCtx({
      bytes: [...counting(0, 16), 0xde, 0xad, 0xbe, 0xef],
      secrets: { pw: "password" },
    });
    expect(text(render(spec(content), ctx).value)).toBe(
      '{"a":"$2b$04$..CA.uOD/eaGAOmJB.yMBubqEtzdkvfegxfotQ8UAMQWLlq7JbHJW","m":[1,"x","a1",null,true],"z":"edef"}',
    );
    expect(ctx.entropy.position).toBe(20);
  });

  it("ASG names, nested objects and non-ASCII text; minified, no newline", () => {
    const content = {
      users: [
        {
          name: "alice",
          password: fn("hashBcrypt", [fn("readSecret", ["user-passwords/alice"]), 4]),
        },
      ],
      clé: "välue",
    };
    const ctx = makeCtx({
      bytes: counting(0, 16),
      secrets: { "user-passwords/alice": "pw-alice" },
    });
    expect(text(render(spec(content), ctx).value)).toBe(
      '{"clé":"välue","users":[{"name":"alice","password":"$2b$04$..CA.uOD/eaGAOmJB.yMBuOfwkBK6amJ94mJYzpuga/Ggt0XiB3R6"}]}',
    );
  });

  it("arguments are walked in order, then options in key order, then the call", () => {
    // digits (limit 250): 1, 2 | then opts.alphabet = random 2 hex: 0xab → b, 0xcd → d | then
    // the outer random 3 over "bd": 0→b, 1→d, 2→b
    const content = fn("concat", [
      fn("random", [1], { charset: "digits" }),
      fn("random", [1], { charset: "digits" }),
      fn("random", [3], { alphabet: fn("random", [2], { charset: "hex" }) }),
    ]);
    const ctx = makeCtx({ bytes: [1, 2, 0xab, 0xcd, 0, 1, 2] });
    expect(text(render(spec(content), ctx).value)).toBe('"12bdb"');
  });

  it("plain values pass through; a marker result is not walked again", () => {
    const content = { s: fn("json", [{ __secretgen_like: 1, b: 2, a: 1 }]), n: 1.5, e: [], o: {} };
    expect(text(render(spec(content), makeCtx()).value)).toBe(
      '{"e":[],"n":1.5,"o":{},"s":"{\\"__secretgen_like\\":1,\\"a\\":1,\\"b\\":2}"}',
    );
  });

  it("keys named like prototype members stay plain data", () => {
    const content = JSON.parse('{"__proto__": {"x": 1}, "constructor": 2, "toJSON": 3}') as unknown;
    expect(text(render(spec(content), makeCtx()).value)).toBe(
      '{"__proto__":{"x":1},"constructor":2,"toJSON":3}',
    );
  });

  it("a bare marker is the whole document", () => {
    expect(text(render(spec(fn("sha256", ["abc"])), makeCtx()).value)).toBe(
      '"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"',
    );
  });
});

describe("key-order independence", () => {
  const permutations = [
    {
      security: {
        admin_password: fn("bcrypt", [fn("secret", ["p1"]), 4]),
        viewer: fn("bcrypt", [fn("secret", ["p2"]), 4]),
      },
      token: fn("random", [8], { charset: "alnum" }),
      list: [fn("random", [2], { alphabet: "xyz" })],
    },
    {
      token: fn("random", [8], { charset: "alnum" }),
      list: [fn("random", [2], { alphabet: "xyz" })],
      security: {
        viewer: fn("bcrypt", [fn("secret", ["p2"]), 4]),
        admin_password: fn("bcrypt", [fn("secret", ["p1"]), 4]),
      },
    },
    {
      list: [{ opts: { alphabet: "xyz" }, args: [2], __secretgen: "random" }],
      security: {
        viewer: { args: [{ args: ["p2"], __secretgen: "secret" }, 4], __secretgen: "bcrypt" },
        admin_password: fn("bcrypt", [fn("secret", ["p1"]), 4]),
      },
      token: { opts: { charset: "alnum" }, __secretgen: "random", args: [8] },
    },
  ];
  const secrets = { p1: "first", p2: "second" };

  it("gives byte-identical output and draws the same bytes in the same order", () => {
    const first = new EntropyStream(undefined, seededSource("order"));
    const expected = render(spec(permutations[0]), makeCtx({ stream: first, secrets }));
    const recorded = first.recorded();
    for (const content of permutations) {
      // Fresh draws from the same seeded source: the same bytes go to the same calls.
      const fresh = new EntropyStream(undefined, seededSource("order"));
      expect(render(spec(content), makeCtx({ stream: fresh, secrets })).value).toEqual(
        expected.value,
      );
      expect(fresh.recorded()).toEqual(recorded);
      // A pure replay of the first recording consumes it exactly.
      const replay = makeCtx({ bytes: recorded, secrets });
      expect(render(spec(content), replay).value).toEqual(expected.value);
      expect(replay.entropy.position).toBe(recorded.length);
    }
  });

  it("keys are walked list, security.admin_password, security.viewer, token", () => {
    // list: alphabet xyz (limit 255) 0→x 1→y; then two salts; then token: alnum 0..7 → A..H
    const bytes = [0, 1, ...counting(100, 16), ...counting(116, 16), ...counting(0, 8)];
    const ctx = makeCtx({ bytes, secrets });
    const out = JSON.parse(text(render(spec(permutations[1]), ctx).value)) as {
      list: string[];
      security: Record<string, string>;
      token: string;
    };
    expect(out.list).toEqual(["xy"]);
    expect(
      out.security.admin_password?.startsWith(bcryptSalt(4, Uint8Array.from(counting(100, 16)))),
    ).toBe(true);
    expect(out.security.viewer?.startsWith(bcryptSalt(4, Uint8Array.from(counting(116, 16))))).toBe(
      true,
    );
    expect(out.token).toBe("ABCDEFGH");
    expect(ctx.entropy.position).toBe(bytes.length);
  });
});

describe("NeedSecret and exhaustion", () => {
  it("NeedSecret from a nested marker propagates unchanged", () => {
    const ctx = makeCtx({
      bytes: counting(0, 32),
      secrets: { a: "x" },
      pending: ["user-passwords/bob"],
    });
    const content = {
      a: fn("bcrypt", [fn("secret", ["a"]), 4]),
      b: fn("bcrypt", [fn("secret", [fn("concat", ["user-passwords/", "bob"])]), 4]),
    };
    let thrown: unknown;
    try {
      render(spec(content), ctx);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(NeedSecret);
    expect(thrown).toBe(ctx.needs[0]);
    expect(ctx.entropy.position).toBe(16); // a's salt was drawn before b's secret was needed
  });

  it("too few recorded bytes throws EntropyExhausted", () => {
    const ctx = makeCtx({ bytes: counting(0, 15), secrets: { a: "x" } });
    expect(() => render(spec({ a: fn("bcrypt", [fn("secret", ["a"]), 4]) }), ctx)).toThrow(
      EntropyExhausted,
    );
  });
});

describe("marker errors: code 2 with the field path", () => {
  it.for([
    [
      { security: { admin_password: fn("bcrypt", [42]) } },
      "json.content.security.admin_password.args[0]",
      /^bcrypt: argument 1 \(VALUE\) must be a string, not a number$/,
    ],
    [{ a: fn("bcrypt", ["x", 3]) }, "json.content.a.args[1]", /from 4 to 31, not 3/],
    [
      { a: [0, fn("random", [4], { charset: "nope" })] },
      "json.content.a[1].opts.charset",
      /charset must be one of/,
    ],
    [
      { a: { __secretgen: "bcrypt", args: ["x"], extra: 1 } },
      "json.content.a.extra",
      /^unknown key in a function call \(allowed: __secretgen, args, opts\)$/,
    ],
    [
      { a: { __secretgen: "upper", args: [] } },
      "json.content.a.__secretgen",
      /^unknown function "upper"$/,
    ],
    [{ a: { __secretgen: 1 } }, "json.content.a.__secretgen", /^unknown function a number$/],
    [
      { a: { __secretgen: "trim", args: "x" } },
      "json.content.a.args",
      /^must be a list, not a string$/,
    ],
    [
      { a: { __secretgen: "random", opts: [1] } },
      "json.content.a.opts",
      /^must be an object, not a list$/,
    ],
    [{ a: fn("trim", [fn("trim", [1])]) }, "json.content.a.args[0].args[0]", /^trim: argument 1/],
    [{ a: fn("secret", ["missing"]) }, undefined, /^reads unknown secret "missing"$/],
  ] as const)("%j", ([content, field, message]) => {
    const err = failure(() =>
      render(spec(content), makeCtx({ secret: "grafana/config", bytes: counting(0, 64) })),
    );
    expect(err.exitCode).toBe(2);
    expect(err.secret).toBe("grafana/config");
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });
});
