/**
 * The `template` generator, the public face of both engines: handlebars (handlebars/) and Go's
 * text/template (go/, `engine = "go"`). Each engine is loaded on first use, so that a run with
 * no Go template never loads the Go engine and one with no template loads neither: rendering
 * awaits `loadTemplateEngine` first (render/dispatch.ts), and a check of an engine not loaded
 * yet throws CheckLoading, on which validation waits and starts again (declarations/load.ts).
 */
import { CheckLoading, type TemplateEngine, type TemplateSpec } from "../../declarations/index.js";
import type { RenderContext, RenderResult } from "../context.js";

type Handlebars = typeof import("./handlebars/index.js");
type Go = typeof import("./go/index.js");

let handlebars: Handlebars | undefined;
let go: Go | undefined;
const loading = new Map<TemplateEngine, Promise<void>>();

/** Loads an engine (once; later calls return the same promise). */
export function loadTemplateEngine(engine: TemplateEngine = "handlebars"): Promise<void> {
  let p = loading.get(engine);
  if (p === undefined) {
    p =
      engine === "go"
        ? import("./go/index.js").then((m) => {
            go = m;
          })
        : import("./handlebars/index.js").then((m) => {
            handlebars = m;
          });
    loading.set(engine, p);
  }
  return p;
}

/**
 * Parses `source` and checks it without rendering it (syntax, unknown functions, literal
 * arguments); throws a usage error (exit 2, field `template`) for the first problem, or
 * CheckLoading when the engine is not loaded yet.
 */
export function checkTemplate(source: string, secret: string, engine?: TemplateEngine): void {
  if (engine === "go") {
    if (go === undefined) throw new CheckLoading(loadTemplateEngine("go"));
    go.checkGoTemplate(source, secret);
  } else {
    if (handlebars === undefined) throw new CheckLoading(loadTemplateEngine("handlebars"));
    handlebars.checkHandlebars(source, secret);
  }
}

/** Renders a template whose engine is loaded. */
export function renderTemplate(spec: TemplateSpec, ctx: RenderContext): RenderResult {
  const engine = spec.engine === "go" ? go?.renderGo : handlebars?.renderHandlebars;
  if (engine === undefined)
    throw new Error(`the ${spec.engine ?? "handlebars"} engine is not loaded`);
  return engine(spec, ctx);
}
