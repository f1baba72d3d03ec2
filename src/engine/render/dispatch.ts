/**
 * The one dispatcher from a replayable generator spec to its pure renderer. Each renders from
 * its spec, the secret's entropy stream and the values of the secrets it reads (through the
 * RenderContext), with no I/O. Templates need their engine loaded first (`prepareRender`).
 */
import type { GeneratorSpec } from "../../declarations/index.js";
import type { RenderContext, RenderResult } from "../context.js";
import { loadTemplateEngine, renderTemplate } from "../template/index.js";
import { render as renderAgeKey } from "./generators/age-key.js";
import { render as renderJson } from "./generators/json.js";
import { render as renderRandom } from "./generators/random.js";
import { render as renderSshEd25519 } from "./generators/ssh-ed25519.js";
import { render as renderWireguard } from "./generators/wireguard.js";

/** Loads what rendering `spec` needs beyond this module: a template's engine. */
export async function prepareRender(spec: GeneratorSpec): Promise<void> {
  if (spec.kind === "template") await loadTemplateEngine(spec.engine);
}

/** Renders `spec`; a template's engine must be loaded (`prepareRender`). */
export function renderSpec(spec: GeneratorSpec, ctx: RenderContext): RenderResult {
  switch (spec.kind) {
    case "random":
      return renderRandom(spec, ctx);
    case "template":
      return renderTemplate(spec, ctx);
    case "json":
      return renderJson(spec, ctx);
    case "wireguard":
      return renderWireguard(spec, ctx);
    case "ssh-ed25519":
      return renderSshEd25519(spec, ctx);
    case "age":
      return renderAgeKey(spec, ctx);
    case "script":
    case "manual":
      throw new Error(`${spec.kind} secrets are not rendered`);
  }
}
