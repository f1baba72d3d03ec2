/** `secretgen prune [--dry-run]`: delete files and manifest entries of undeclared secrets. */
import { executePrune, planPrune } from "../../engine/index.js";
import type { Layout } from "../../store/index.js";
import type { Session } from "../session.js";
import { withWriteLock } from "./with-lock.js";

export default async function prune(session: Session, opts: { dryRun?: boolean }) {
  const decls = await session.declarations();
  const go = async (layout: Layout) => {
    const plan = planPrune(decls, layout);
    for (const name of plan.names)
      session.output.out(`${opts.dryRun ? "would prune" : "pruned"} ${name}`);
    if (!opts.dryRun) await executePrune(layout, plan);
    session.output.out(
      plan.names.length === 0
        ? "nothing to prune"
        : `${opts.dryRun ? "would prune" : "pruned"} ${plan.names.length}`,
    );
    return 0;
  };
  return opts.dryRun ? go(session.layout) : withWriteLock(session, go);
}
