/**
 * The engine, its one public face (what the CLI uses). Deciding is plan/, writing is write/;
 * the parts a start must not pay for load on first use, behind the async functions here: a
 * whole run of generate or check (run.ts, with the render and script machinery), the template
 * and JSON checks, and the sweep of scripts' leftover directories.
 */
import type { Identity } from "../age/index.js";
import type { ValidateOptions } from "../declarations/index.js";
import type { EarlyDecrypt } from "./exec/index.js";
import type { RunReport } from "./plan/index.js";
import type { RunOptions } from "./run.js";
import { sweepStaleTempDirs } from "./script/index.js";

/** One run of generate or check (run.ts), loaded on first use. */
export async function run(opts: RunOptions): Promise<RunReport> {
  const { run } = await import("./run.js");
  return run(opts);
}

/** The checks of templates and JSON contents that declarations run (loaded on first use). */
export async function declarationChecks(): Promise<
  Required<Pick<ValidateOptions, "checkTemplate" | "checkJson">>
> {
  // The JSON check alone, not render/index.ts's dispatcher with every generator.
  const [template, json] = await Promise.all([
    import("./template/index.js"),
    import("./render/generators/json.js"),
  ]);
  return { checkTemplate: template.checkTemplate, checkJson: json.checkJsonContent };
}

/**
 * Start decrypting entropy files on a worker thread ahead of a run (exec/early-decrypt.ts),
 * loaded on first use. The run takes it as `early`; whoever started it closes it.
 */
export async function startEarlyDecrypt(
  paths: readonly string[],
  identities: readonly Identity[],
): Promise<EarlyDecrypt> {
  const { EarlyDecrypt } = await import("./exec/early-decrypt.js");
  return new EarlyDecrypt(paths, identities);
}
export type { EarlyDecrypt };

/** Remove the private directories of scripts whose run was killed (script/private-dir.ts). */
export async function sweepScriptLeftovers(): Promise<string[]> {
  return sweepStaleTempDirs();
}

export type { RunOptions } from "./run.js";
export {
  decideOffline,
  orphanNames,
  runReport,
  type OutOfDate,
  type RunReport,
  type SecretReport,
  type SecretState,
} from "./plan/index.js";
export { storeValues, writeManifest, type ValueToStore } from "./write/index.js";
export { offlineFiles } from "./offline-files.js";
export { decryptAs } from "./stored.js";
export { alphabetOf } from "./random.js";
export { readAdoptions } from "./adopt.js";
export { executePrune, planPrune } from "./prune.js";
