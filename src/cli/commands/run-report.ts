/**
 * Shared by generate, rotate, set and check: run the engine with the session's --jobs and a
 * progress line, then print its report (lines and summary, or --json).
 */
import type { RunOptions, RunReport } from "../../engine/index.js";
import { printReport } from "../report.js";
import type { Session } from "../session.js";

export async function runAndReport(
  session: Session,
  command: string,
  label: string,
  opts: Omit<RunOptions, "jobs" | "onProgress">,
  /** Sees the report before it is printed (to say more about it; it does not change it). */
  onReport?: (report: Readonly<RunReport>) => void,
): Promise<number> {
  const { run } = await import("../../engine/index.js");
  const progress = session.progress(label);
  let report: RunReport;
  try {
    report = await run({ ...opts, jobs: session.opts.jobs, onProgress: progress.update });
  } finally {
    progress.done();
  }
  onReport?.(report);
  printReport(session.output, command, report, {
    json: session.opts.json,
    quiet: session.opts.quiet,
    earlier: session.warned,
  });
  return report.exitCode;
}
