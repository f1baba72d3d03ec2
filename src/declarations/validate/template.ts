/** `template`: inline `content` or `templates/FILE`, checked by the engine's `checkTemplate`. */
import type { GeneratorSpec, TemplateEngine } from "../types.js";
import type { At } from "./at.js";
import type { Spelling, ValidateOptions } from "./options.js";

const ENGINES: readonly TemplateEngine[] = ["handlebars", "go"];

/** The `template` generator at `template` (under `at`'s prefix), or undefined (reported). */
export function validateTemplate(
  at: At,
  raw: unknown,
  opts: ValidateOptions,
  spelling: Spelling,
): GeneratorSpec | undefined {
  const f = "template";
  const o = at.object(raw, f, ["content", "file", "data", "engine"]);
  if (!o) return undefined;
  const engine = o.engine ?? (spelling === "generation" ? "go" : "handlebars");
  if (typeof engine !== "string" || !(ENGINES as readonly string[]).includes(engine)) {
    at.add(`${f}.engine`, `must be one of ${ENGINES.join(", ")}`);
    return undefined;
  }
  if ((o.content === undefined) === (o.file === undefined)) {
    at.add(f, "needs exactly one of content or file");
    return undefined;
  }
  const data = o.data ?? {};
  let source: string | undefined;
  let file: string | undefined;
  if (o.file !== undefined) {
    file = at.string(o.file, `${f}.file`);
    if (file === undefined) return undefined;
    try {
      source = opts.readTemplate(file);
    } catch (err) {
      at.addError(err, `${f}.file`);
      return undefined;
    }
    if (source === undefined) {
      at.add(`${f}.file`, `templates/${file} does not exist`);
      return undefined;
    }
  } else {
    source = at.string(o.content, `${f}.content`)?.replace(/\r\n/g, "\n");
    if (source === undefined) return undefined;
  }
  try {
    opts.checkTemplate?.(source, at.secret ?? "", engine as TemplateEngine);
  } catch (err) {
    at.addError(err, f);
    return undefined;
  }
  const spec = {
    kind: "template",
    engine: engine as TemplateEngine,
    source,
    data,
    ...(spelling === "generation" ? { spelling } : {}),
  } as const;
  return file === undefined ? spec : { ...spec, file };
}
