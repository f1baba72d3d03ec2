/** `secretgen reveal NAME`: the only command that prints a value. */
import { readFileSync, existsSync } from "node:fs";
import { decrypt } from "../../age/index.js";
import { SecretgenError, runtimeError, usageError } from "../../errors.js";
import type { Session } from "../session.js";

export default async function reveal(session: Session, name: string) {
  const decls = await session.declarations();
  if (!decls.secrets.has(name))
    throw usageError(`no secret named ${JSON.stringify(name)} is declared`);
  const path = session.layout.dataFile(name);
  if (!existsSync(path)) {
    throw runtimeError("has no data file yet", {
      secret: name,
      hint: "run `secretgen generate` (or `set` for a manual secret)",
    });
  }
  const identities = await session.identities("reveal");
  let value: Uint8Array;
  try {
    value = await decrypt(new Uint8Array(readFileSync(path)), identities);
  } catch (err) {
    if (!(err instanceof SecretgenError)) throw err;
    throw runtimeError(`cannot decrypt its data file: ${err.message}`, {
      secret: name,
      reason: err.reason,
      hint: err.hint,
      cause: err,
    });
  }
  session.output.raw(value);
  return 0;
}
