/**
 * The layers of src/ in order: age → declarations → store → engine → cli, each importing only
 * from its own folder, from below, or from the leaves (src/errors.ts, src/types/). Every
 * relative import is checked, static and dynamic (`import("…")`), types included.
 *
 * And each folder's index.ts is its public face: an import from another layer names that
 * layer's index.ts; inside a layer, a static import of a module in a subfolder that has an
 * index.ts names that index.ts. A dynamic `import()` inside a layer may name the module itself:
 * that is how a part loads only when needed (engine/run.ts's worker pool, for one).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
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

/** `import("…")`, not `import … from "…"` or `import "…"`. */
const isDynamic = (m: RegExpMatchArray) => /^import\s*\(/.test(m[0]);

/**
 * Every import of `source` (the file at `path`) that goes around a folder's index.ts.
 * `hasIndex(dir)` says whether a folder has one (the real tree by default).
 */
export function bypasses(
  path: string,
  source: string,
  hasIndex: (dir: string) => boolean = (dir) => existsSync(join(dir, "index.ts")),
): string[] {
  const out: string[] = [];
  const from = layerOf(path);
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? "";
    const target = resolve(dirname(path), spec).replace(/\.js$/, ".ts");
    const to = layerOf(target);
    if (to === "leaf") continue;
    let face: string | undefined;
    if (to !== from) face = join(SRC, to, "index.ts");
    else if (!isDynamic(m)) {
      // The first folder below the one both files share, on the way to the target.
      const common = commonDir(dirname(path), dirname(target));
      const rest = relative(common, dirname(target));
      if (rest !== "") {
        const folder = join(common, rest.split("/")[0] ?? "");
        if (hasIndex(folder)) face = join(folder, "index.ts");
      }
    }
    if (face !== undefined && target !== face)
      out.push(`${relative(SRC, path)} imports ${spec}, not ${relative(SRC, face)}`);
  }
  return out;
}

function commonDir(a: string, b: string): string {
  const x = a.split("/");
  const y = b.split("/");
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return x.slice(0, i).join("/");
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

describe("public faces", () => {
  const at = join(SRC, "engine/plan/decide.ts");
  const indexed = (dir: string) =>
    ["engine/write", "engine/plan", "engine/script"].includes(relative(SRC, dir));

  it("finds an import that goes around a folder's index.ts", () => {
    expect(bypasses(at, 'import { a } from "../../store/layout.js";', indexed)).toEqual([
      "engine/plan/decide.ts imports ../../store/layout.js, not store/index.ts",
    ]);
    // Across layers, dynamic imports and types too.
    expect(bypasses(at, 'const m = await import("../../age/decrypt.js");', indexed)).toHaveLength(
      1,
    );
    expect(bypasses(at, 'import type { T } from "../../age/identity.js";', indexed)).toHaveLength(
      1,
    );
    // Inside the layer, a static import of a subfolder with an index.ts.
    expect(bypasses(at, 'import { w } from "../write/apply.js";', indexed)).toEqual([
      "engine/plan/decide.ts imports ../write/apply.js, not engine/write/index.ts",
    ]);
  });

  it("lets through faces, neighbours, parents, leaves, and lazy loads inside a layer", () => {
    const fine = [
      'import { a } from "../../store/index.js";',
      'import type { T } from "../../age/index.js";',
      'import { w } from "../write/index.js";',
      'import { r } from "./reasons.js";',
      'import { x } from "../random.js";',
      'import { f } from "../functions/sha256.js";', // engine/functions has no index here
      'import { e } from "../../errors.js";',
      'const { run } = await import("../script/run.js");',
    ];
    expect(bypasses(at, fine.join("\n"), indexed)).toEqual([]);
  });

  it("src/ goes through every folder's index.ts", () => {
    const files = sources(SRC);
    expect(files.flatMap((f) => bypasses(f, readFileSync(f, "utf8")))).toEqual([]);
  });
});
