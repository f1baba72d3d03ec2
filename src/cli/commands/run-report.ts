/**
 * Shared by generate, rotate, set and check: run the engine with the session's --jobs and a
 * progress line, then print its report (lines and summary, or --json).
 */
import type { RunOptions } from "../../engine/run.js";
import type { RunReport } from "../../engine/report.js";
import { printReport } from "../report.js";
import type { Session } from "../session.js";

export async function runAndReport(
  session: Session,
  command: string,
  label: string,
  opts: Omit<RunOptions, "jobs" | "onProgress">,
  amend?: (report: RunReport) => void,
): Promise<number> {
  const { run } = await import("../../engine/run.js");
  const progress = session.progress(label);
  let report: RunReport;
  try {
    report = await run({ ...opts, jobs: session.opts.jobs, onProgress: progress.update });
  } finally {
    progress.done();
  }
  amend?.(report);
  printReport(session.output, command, report, {
    json: session.opts.json,
    quiet: session.opts.quiet,
  });
  return report.exitCode;
}
