/**
 * `secretgen adopt NAME… --from DIR`: take existing agenix files DIR/NAME.age into the tree,
 * keeping their exact plaintext (engine/adopt.ts decides what is stored; engine/write/
 * stores it).
 */
import { agePlugins } from "../../age/index.js";
import { readAdoptions, storeValues } from "../../engine/index.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./with-lock.js";

export default async function adopt(session: Session, names: string[], opts: { from: string }) {
  const decls = await session.declarations();
  const identities = await session.identities("adopt", { admin: false });
  // One decryption session for every file: a plugin identity asks its PIN once.
  const { DecryptSession } = await agePlugins();
  const items = await readAdoptions(
    decls,
    session.layout,
    names,
    opts.from,
    new DecryptSession(identities),
    (w) => {
      session.output.warning(w);
    },
  );
  return withWriteLock(session, async (layout) => {
    await storeValues(decls, layout, items);
    for (const item of items)
      session.output.out(
        `adopted     ${item.name}${item.pinned ? " (pinned until rotate or a declaration change)" : ""}`,
      );
    return 0;
  });
}
