/** `secretgen reveal NAME`: the only command that prints a value. */
import { readFileSync, existsSync } from "node:fs";
import { decrypt } from "../../age/index.js";
import { runtimeError, usageError } from "../../errors.js";
import { decryptAs } from "../../engine/index.js";
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
  const value = await decryptAs("data", name, new Uint8Array(readFileSync(path)), {
    decrypt: (ciphertext) => decrypt(ciphertext, identities),
  });
  session.output.raw(value);
  return 0;
}
