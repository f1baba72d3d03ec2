/**
 * The `random` generator: characters from an alphabet or encoded raw bytes, drawn from the
 * secret's stream (docs/formats.md, "random"). The value has no trailing newline.
 */
import type { RandomSpec } from "../../../declarations/index.js";
import type { RenderContext, RenderResult } from "../../context.js";
import { utf8 } from "../../functions/index.js";
import { randomValue } from "../../random.js";

export function render(spec: RandomSpec, ctx: RenderContext): RenderResult {
  return { value: utf8(randomValue(ctx.entropy, spec)) };
}
