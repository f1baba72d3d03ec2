/**
 * `secretgen adopt NAME… --from DIR`: take existing agenix files DIR/NAME.age into the tree,
 * keeping their exact plaintext: manual secrets as set values, replayable ones as pinned records
 * (kept until `rotate` or a declaration change), script secrets as made from today's inputs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { alphabetOf } from "../../engine/random.js";
import { storeValues, type ValueToStore } from "../../engine/write/index.js";
import type { SecretDecl } from "../../declarations/types.js";
import { sha256Hex } from "../../store/manifest.js";
import { runtimeError, usageError } from "../../errors.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./with-lock.js";

/** Why an adopted value does not look like what its declaration would make, if it does not. */
function misfit(decl: SecretDecl, value: Uint8Array): string | undefined {
  const g = decl.generator;
  if (g.kind !== "random" || "bytes" in g) return undefined;
  const text = new TextDecoder().decode(value);
  const chars = Array.from(text);
  if (chars.length !== g.length)
    return `has ${chars.length} characters, the declaration says ${g.length}`;
  const alphabet = new Set(Array.from(alphabetOf(g)));
  if (!chars.every((c) => alphabet.has(c)))
    return "has characters outside the declared character set";
  return undefined;
}

export default async function adopt(session: Session, names: string[], opts: { from: string }) {
  const decls = await session.declarations();
  const identities = await session.identities("adopt", { admin: false });
  // One decryption session for every file: a plugin identity asks its PIN once.
  const { DecryptSession } = await import("../../age/plugin-decrypt.js");
  const decryptor = new DecryptSession(identities);
  const decrypt = (bytes: Uint8Array) => decryptor.decrypt(bytes);
  for (const name of names) {
    const path = join(opts.from, `${name}.age`);
    if (existsSync(path)) decryptor.prefetch(new Uint8Array(readFileSync(path)));
  }
  const items: ValueToStore[] = [];
  for (const name of names) {
    const decl = decls.secrets.get(name);
    if (decl === undefined)
      throw usageError(`no secret named ${JSON.stringify(name)} is declared`, {
        hint: "declare it first",
      });
    const path = join(opts.from, `${name}.age`);
    if (!existsSync(path)) throw usageError(`${path} does not exist`, { secret: name });
    let value: Uint8Array;
    try {
      value = await decrypt(new Uint8Array(readFileSync(path)));
    } catch (err) {
      throw runtimeError(`cannot decrypt ${path}: ${(err as Error).message}`, {
        secret: name,
        cause: err,
      });
    }
    const bad = misfit(decl, value);
    if (bad !== undefined)
      session.output.warning({ secret: name, message: `the adopted value ${bad}` });
    const layout = session.layout;
    if (existsSync(layout.dataFile(name))) {
      session.output.warning({ secret: name, message: "replaces the value already in the tree" });
    }
    const item: ValueToStore = {
      name,
      value,
      pinned: decl.generator.kind !== "manual" && decl.generator.kind !== "script",
    };
    if (decl.generator.kind === "script" && decl.generator.dependencies.length > 0) {
      const deps: Record<string, string> = {};
      for (const dep of decl.generator.dependencies) {
        const file = layout.dataFile(dep);
        if (existsSync(file))
          deps[dep] = sha256Hex(await decrypt(new Uint8Array(readFileSync(file))));
      }
      item.dependencies = deps;
    }
    items.push(item);
  }
  return withWriteLock(session, async (layout) => {
    await storeValues(decls, layout, items);
    for (const item of items)
      session.output.out(
        `adopted     ${item.name}${item.pinned ? " (pinned until rotate or a declaration change)" : ""}`,
      );
    return 0;
  });
}
