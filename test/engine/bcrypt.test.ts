import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EntropyStream, cryptoSource } from "../../src/engine/entropy.js";
import { callFunction } from "../../src/engine/functions/index.js";
import { bcryptMemoKey, bcryptSalt } from "../../src/engine/functions/bcrypt.js";
import { render as renderJson } from "../../src/engine/render/generators/json.js";
import { loadTemplateEngine, renderTemplate } from "../../src/engine/template/index.js";
import { SecretgenError } from "../../src/errors.js";
import { describeWithTools } from "../helpers/tools.js";
import { counting, makeCtx, text } from "./support.js";

/** Both engines, loaded as a run loads them before rendering or checking. */
beforeAll(() => Promise.all([loadTemplateEngine("handlebars"), loadTemplateEngine("go")]));

function bcrypt(
  value: unknown,
  cost: unknown,
  bytes: readonly number[],
  memo?: Map<string, string>,
) {
  const ctx = makeCtx({ bytes, memo });
  const args = cost === undefined ? [value] : [value, cost];
  return { out: callFunction("bcrypt", ctx, args, {}, "json.content.h"), ctx };
}

describe("bcrypt known answers", () => {
  // Expected hashes from libxcrypt's crypt(3) (through perl) with the same salt strings; the
  // salt strings from an independent bcrypt-base64 encoder.
  it.for([
    [
      "password",
      4,
      counting(0, 16),
      "$2b$04$..CA.uOD/eaGAOmJB.yMBubqEtzdkvfegxfotQ8UAMQWLlq7JbHJW",
    ],
    [
      "pässwörd",
      5,
      counting(16, 16),
      "$2b$05$C/CQCvOTDfaWEPmZF/ycFuPNsYCCcYanbFN4fxFE4eQdJw/a1A6CK",
    ],
    [
      "a".repeat(72),
      4,
      counting(0, 16),
      "$2b$04$..CA.uOD/eaGAOmJB.yMBuIbwKfymVuMfASrmYBUytUgog5Nvtojy",
    ],
    ["x", 4, counting(0xf0, 16), "$2b$04$6NFw69Rz7td28dp59N189upyPeTTAuimPG4ZjwB4uaj2mLQxec4NC"],
  ] as const)("%s cost %i", ([value, cost, salt, expected]) => {
    const { out, ctx } = bcrypt(value, cost, salt);
    expect(out).toBe(expected);
    expect(ctx.entropy.position).toBe(16);
  });

  it("the salt string is $2b$NN$ + bcrypt base64 of the 16 bytes", () => {
    expect(bcryptSalt(4, Uint8Array.from(counting(0, 16)))).toBe("$2b$04$..CA.uOD/eaGAOmJB.yMBu");
    expect(bcryptSalt(12, Uint8Array.from(counting(0xf0, 16)))).toBe(
      "$2b$12$6NFw69Rz7td28dp59N189u",
    );
    expect(bcryptSalt(31, new Uint8Array(16).fill(255))).toBe("$2b$31$999999999999999999999u");
  });

  it("the memo key covers function, cost, salt and value", () => {
    const salt = bcryptSalt(4, Uint8Array.from(counting(0, 16)));
    const key = bcryptMemoKey(salt, "password");
    expect(key).toMatch(/^bcrypt:[0-9a-f]{64}$/);
    expect(bcryptMemoKey(salt, "password2")).not.toBe(key);
    expect(bcryptMemoKey(bcryptSalt(5, Uint8Array.from(counting(0, 16))), "password")).not.toBe(
      key,
    );
    expect(bcryptMemoKey(bcryptSalt(4, Uint8Array.from(counting(1, 16))), "password")).not.toBe(
      key,
    );
  });

  it("cost defaults to 10", () => {
    const memo = new Map<string, string>();
    const { out } = bcrypt("pw", undefined, counting(0, 16), memo);
    expect(String(out).startsWith("$2b$10$..CA.uOD/eaGAOmJB.yMBu")).toBe(true);
  });
});

describe("bcrypt memo", () => {
  it("a second render with the same memo does not compute bcrypt again", () => {
    const spec = {
      kind: "template" as const,
      source: "{{#each users}}{{this}}:{{bcrypt (secret this) 4}}\n{{/each}}",
      data: { users: ["a", "b"] },
    };
    const secrets = { a: "pa", b: "pb" };
    const memo = new Map<string, string>();
    const first = makeCtx({ bytes: counting(0, 32), secrets, memo });
    const out1 = renderTemplate(spec, first);
    expect(first.computed).toBe(2);
    const second = makeCtx({ bytes: counting(0, 32), secrets, memo });
    const out2 = renderTemplate(spec, second);
    expect(second.computed).toBe(0);
    expect(out2.value).toEqual(out1.value);
    // A new salt is a new key.
    const third = makeCtx({ bytes: counting(1, 32), secrets, memo });
    renderTemplate(spec, third);
    expect(third.computed).toBe(2);
  });

  it("refuses a memoised value that does not belong to its salt", () => {
    const salt = bcryptSalt(4, Uint8Array.from(counting(0, 16)));
    const memo = new Map([[bcryptMemoKey(salt, "pw"), "$2b$04$garbage"]]);
    expect(() => bcrypt("pw", 4, counting(0, 16), memo)).toThrow(
      /memoised hash does not match its salt/,
    );
  });
});

describe("bcrypt errors", () => {
  it.for([
    ["a".repeat(73), 4, /argument 1 \(VALUE\) is longer than 72 bytes/],
    ["é".repeat(37), 4, /longer than 72 bytes/], // 74 bytes in UTF-8
    ["a\u0000b", 4, /contains a NUL character/],
    ["a\ud800", 4, /not valid Unicode text/],
    ["pw", 3, /argument 2 \(COST\) must be a whole number from 4 to 31, not 3/],
    ["pw", 32, /not 32/],
    ["pw", 10.5, /not 10.5/],
    ["pw", "10", /not a string/],
    ["pw", null, /not null/],
  ] as const)("%j cost %j", ([value, cost, message]) => {
    let err: unknown;
    try {
      bcrypt(value, cost, counting(0, 16));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SecretgenError);
    expect((err as SecretgenError).exitCode).toBe(2);
    expect((err as SecretgenError).message).toMatch(/^bcrypt: /);
    expect((err as SecretgenError).message).toMatch(message);
    expect((err as SecretgenError).message).not.toContain(value);
  });

  it("checks its arguments before drawing the salt", () => {
    const ctx = makeCtx({ bytes: counting(0, 16) });
    expect(() => callFunction("bcrypt", ctx, ["pw", 3], {}, "w")).toThrow(SecretgenError);
    expect(ctx.entropy.position).toBe(0);
  });
});

describeWithTools(["htpasswd"], "bcrypt hashes verify with the real htpasswd", () => {
  const dir = mkdtempSync(join(tmpdir(), "secretgen-bcrypt-"));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** `htpasswd -vi FILE USER` with the password on stdin (never in argv). */
  function verifies(file: string, user: string, password: string): boolean {
    try {
      execFileSync("htpasswd", ["-vi", file, user], {
        input: password,
        stdio: ["pipe", "ignore", "ignore"],
      });
      return true;
    } catch {
      return false;
    }
  }

  const passwords = {
    "user-passwords/alice": "correct horse",
    "user-passwords/bob": "pässwörd-" + "b".repeat(60),
  };

  it("from a template (an htpasswd file)", () => {
    const ctx = makeCtx({ stream: new EntropyStream(undefined, cryptoSource), secrets: passwords });
    const out = renderTemplate(
      {
        kind: "template",
        source:
          '{{#each users}}{{this}}:{{bcrypt (secret (concat "user-passwords/" this)) 5}}\n{{/each}}',
        data: { users: ["alice", "bob"] },
      },
      ctx,
    );
    const file = join(dir, "template.htpasswd");
    writeFileSync(file, out.value, { mode: 0o600 });
    expect(verifies(file, "alice", passwords["user-passwords/alice"])).toBe(true);
    expect(verifies(file, "bob", passwords["user-passwords/bob"])).toBe(true);
    expect(verifies(file, "alice", passwords["user-passwords/bob"])).toBe(false);
  });

  it("from a JSON marker", () => {
    const ctx = makeCtx({ stream: new EntropyStream(undefined, cryptoSource), secrets: passwords });
    const out = renderJson(
      {
        kind: "json",
        content: {
          admin_password: {
            __secretgen: "bcrypt",
            args: [{ __secretgen: "secret", args: ["user-passwords/alice"] }, 4],
          },
        },
      },
      ctx,
    );
    const hash = (JSON.parse(text(out.value)) as { admin_password: string }).admin_password;
    const file = join(dir, "json.htpasswd");
    writeFileSync(file, `admin:${hash}\n`, { mode: 0o600 });
    expect(verifies(file, "admin", passwords["user-passwords/alice"])).toBe(true);
    expect(verifies(file, "admin", "wrong")).toBe(false);
  });

  it("a 72-byte value verifies in full", () => {
    const value = "z".repeat(72);
    const { out } = bcrypt(value, 4, counting(7, 16));
    const file = join(dir, "long.htpasswd");
    writeFileSync(file, `u:${String(out)}\n`, { mode: 0o600 });
    expect(verifies(file, "u", value)).toBe(true);
    expect(verifies(file, "u", "z".repeat(71))).toBe(false);
  });
});
