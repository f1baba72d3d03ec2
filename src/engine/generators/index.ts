/**
 * The pure generators: each renders from its spec, the secret's entropy stream and the values of
 * the secrets it reads (through the RenderContext), with no I/O. Keypair generators are
 * dispatched next to these in ../renderers.ts.
 */
import type { JsonSpec, RandomSpec, TemplateSpec } from "../../declarations/types.js";
import type { RenderContext, RenderResult } from "../context.js";
import { render as renderJson } from "./json.js";
import { render as renderRandom } from "./random.js";
import { render as renderTemplate } from "./template.js";

export { checkTemplate } from "./template.js";

export function renderPure(
  spec: RandomSpec | TemplateSpec | JsonSpec,
  ctx: RenderContext,
): RenderResult {
  switch (spec.kind) {
    case "random":
      return renderRandom(spec, ctx);
    case "template":
      return renderTemplate(spec, ctx);
    case "json":
      return renderJson(spec, ctx);
  }
}
