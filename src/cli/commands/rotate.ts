/** `secretgen rotate NAME…`: new randomness for NAME, and re-render what reads it. */
import { usageError } from "../../errors.js";
import { run } from "../../engine/run.js";
import { printReport } from "../report.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./writing.js";

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
  const identities = await session.identities("rotate");
  return withWriteLock(session, async (layout) => {
    const progress = session.progress("rotating");
    const report = await run({
      onProgress: progress.update,
      decls,
      layout,
      identities,
      mode: "generate",
      rotate: names,
      jobs: session.opts.jobs,
    });
    progress.done();
    printReport(session.output, "rotate", report, {
      json: session.opts.json,
      quiet: session.opts.quiet,
    });
    return report.exitCode;
  });
}
