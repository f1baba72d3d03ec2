/**
 * `bcrypt VALUE [COST]` (ASG: `hashBcrypt`): a `$2b$` hash. The 16-byte salt is drawn from the
 * secret's stream, so a replay reproduces the hash; the hash itself is memoised under a key that
 * covers function, cost, salt and value, so a no-op run never pays for bcrypt.
 */
import { createHash } from "node:crypto";
import { encodeBase64, hashSync } from "bcryptjs";
import { runtimeError } from "../../errors.js";
import type { FunctionDef } from "./call.js";
import { hasLoneSurrogate, utf8 } from "./values.js";

export const BCRYPT_SALT_BYTES = 16;
export const BCRYPT_DEFAULT_COST = 10;
export const BCRYPT_MAX_BYTES = 72;

/** `$2b$NN$` followed by bcrypt's base64 (`./A-Za-z0-9`, no padding) of the 16 salt bytes. */
export function bcryptSalt(cost: number, salt: Uint8Array): string {
  if (salt.length !== BCRYPT_SALT_BYTES)
    throw new RangeError(`bcrypt salt of ${salt.length} bytes`);
  return `$2b$${String(cost).padStart(2, "0")}$${encodeBase64(salt, BCRYPT_SALT_BYTES)}`;
}

/** Memo key: `bcrypt:` + hex SHA-256 of the JSON text `["bcrypt", SALTSTRING, VALUE]`. */
export function bcryptMemoKey(saltString: string, value: string): string {
  const digest = createHash("sha256").update(JSON.stringify(["bcrypt", saltString, value]), "utf8");
  return `bcrypt:${digest.digest("hex")}`;
}

export const bcrypt: FunctionDef = {
  name: "bcrypt",
  aliases: ["hashBcrypt"],
  params: ["VALUE", "COST?"],
  draws: true,
  run(call) {
    call.positional().options();
    // The cost first: it is usually a literal, checked before rendering (dry.ts) even when
    // the value is another secret's.
    const cost = call.integer(1, 4, 31, BCRYPT_DEFAULT_COST);
    const value = call.string(0);
    if (hasLoneSurrogate(value)) call.fail(`${call.label(0)} is not valid Unicode text`, 0);
    // C implementations (htpasswd, libxcrypt) stop at a NUL byte; bcryptjs does not.
    if (value.includes("\0")) call.fail(`${call.label(0)} contains a NUL character`, 0);
    if (utf8(value).length > BCRYPT_MAX_BYTES) {
      call.fail(
        `${call.label(0)} is longer than ${BCRYPT_MAX_BYTES} bytes (bcrypt ignores the rest)`,
        0,
      );
    }
    const saltString = bcryptSalt(cost, call.ctx.entropy.draw(BCRYPT_SALT_BYTES));
    const hash = call.ctx.memo(bcryptMemoKey(saltString, value), () => hashSync(value, saltString));
    if (hash.length !== 60 || !hash.startsWith(saltString)) {
      throw runtimeError("bcrypt: a memoised hash does not match its salt", {
        secret: call.ctx.secret,
      });
    }
    return hash;
  },
};
