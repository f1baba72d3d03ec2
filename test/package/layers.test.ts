/**
 * The layers of src/ in order: age → declarations → store → engine → cli, each importing only
 * from its own folder, from below, or from the leaves (src/errors.ts, src/types/). Every
 * relative import is checked, static and dynamic (`import("…")`), types included.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/repo.js";

const SRC = join(ROOT, "src");
const ORDER = ["age", "declarations", "store", "engine", "cli"];

/** A file's layer: its top folder under src/, or "leaf" for src/errors.ts and src/types/. */
function layerOf(path: string): string {
  const top = relative(SRC, path).split("/")[0] ?? "";
  return ORDER.includes(top) ? top : "leaf";
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["'](\.{1,2}\/[^"']+)["']/gm;

/** Every import of `source` (the file at `path`) that reaches a higher layer. */
export function violations(path: string, source: string): string[] {
  const from = layerOf(path);
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? "";
    const to = layerOf(resolve(dirname(path), spec));
    if (to === "leaf" || to === from) continue;
    if (from === "leaf" || ORDER.indexOf(to) > ORDER.indexOf(from))
      out.push(`${relative(SRC, path)} (${from}) imports ${spec} (${to})`);
  }
  return out;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

describe("layers", () => {
  it("finds an import of a higher layer, static, dynamic or of types only", () => {
    const at = join(SRC, "store/x.ts");
    expect(violations(at, 'import { a } from "../engine/a.js";')).toEqual([
      "store/x.ts (store) imports ../engine/a.js (engine)",
    ]);
    expect(violations(at, 'const m = await import("../cli/b.js");')).toHaveLength(1);
    expect(violations(at, 'import type { T } from "../engine/t.js";')).toHaveLength(1);
    expect(violations(at, 'import "../cli/side-effect.js";')).toHaveLength(1);
    expect(violations(join(SRC, "errors.ts"), 'import { x } from "./age/x.js";')).toHaveLength(1);
    // Below, beside, and the leaves are fine.
    expect(
      violations(
        at,
        [
          'import { a } from "../age/index.js";',
          'import { b } from "../declarations/types.js";',
          'import { c } from "./manifest.js";',
          'import { d } from "../errors.js";',
        ].join("\n"),
      ),
    ).toEqual([]);
  });

  it("src/ imports only from its own layer, from below and from the leaves", () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => violations(f, readFileSync(f, "utf8")))).toEqual([]);
  });
});
