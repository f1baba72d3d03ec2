/**
 * Dispatch from a replayable generator spec to its pure renderer.
 */
import type { GeneratorSpec } from "../declarations/types.js";
import type { RenderContext, RenderResult } from "./context.js";
import { renderPure } from "./generators/index.js";
import { render as renderWireguard } from "./generators/wireguard.js";
import { render as renderSshEd25519 } from "./generators/ssh-ed25519.js";
import { render as renderAgeKey } from "./generators/age-key.js";

export function renderSpec(spec: GeneratorSpec, ctx: RenderContext): RenderResult {
  switch (spec.kind) {
    case "random":
    case "template":
    case "json":
      return renderPure(spec, ctx);
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
