/** `secretgen rotate NAME…`: new randomness for NAME, and re-render what reads it. */
import { usageError } from "../../errors.js";
import { withEarlyDecrypt } from "../early-decrypt.js";
import type { Session } from "../session.js";
import { runAndReport } from "./run-report.js";
import { withWriteLock } from "./with-lock.js";

export default async function rotate(session: Session, names: string[]) {
  const decls = await session.declarations();
  for (const name of names) {
    const decl = decls.secrets.get(name);
    if (decl?.generator.kind === "manual") {
      throw usageError("is a manual secret: its value comes from a person, not from randomness", {
        secret: name,
        hint: `store a new value with \`secretgen set ${name}\``,
      });
    }
  }
  return withEarlyDecrypt(session, async (early) => {
    const identities = await session.identities("rotate");
    return withWriteLock(session, (layout) =>
      runAndReport(session, "rotate", "rotating", {
        decls,
        layout,
        identities,
        mode: "generate",
        rotate: names,
        early,
      }),
    );
  });
}
