/** An age plugin's failure (missing, crashed, timed out, …) concerns the run, not one secret. */
import { AgeError } from "../age/index.js";

export function isPluginFailure(err: unknown): err is AgeError {
  return err instanceof AgeError && err.kind === "plugin";
}
