/** check mode: what generate would create or regenerate, without rendering or running it. */
import type { SecretDecl } from "../../declarations/index.js";
import type { Plan, SecretState } from "./types.js";

export function willChange(decl: SecretDecl, state: SecretState, reason: string | undefined): Plan {
  const plan: Plan = {
    decl,
    state: state === "created" ? "missing" : "stale",
    reads: [],
    willChange: true,
  };
  if (reason !== undefined) plan.reason = reason;
  return plan;
}
