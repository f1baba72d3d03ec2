/**
 * The renderers are pure: no clock, no global randomness, no locale, no environment. A static
 * scan of their sources keeps it that way (the known-answer tests pin the behaviour).
 *
 * The files are found, not listed: every file in a renderer folder of src/engine/ (at any depth),
 * and every engine file those import for their values (random.ts's mappings, wherever it lives),
 * so that a new renderer, template or function file is checked without editing this test.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const SRC = join(import.meta.dirname, "../../src");
const ENGINE = join(SRC, "engine");

/**
 * Folders (any depth under src/engine/) that hold renderers and what they are made of: render/
 * (the dispatcher and the generators), functions/, and template/ (the handlebars and Go engines:
 * parser, walker, lexer, …).
 */
const RENDER_FOLDERS = new Set(["functions", "render", "template"]);

/** Files outside src/engine/ that decide rendered output. */
const ALSO = [join(SRC, "store/renderer-version.ts")];

/**
 * Engine files a renderer file imports that are not renderers, by file name, each with why; they
 * are neither checked nor followed. None today: the renderers import only types from entropy.ts
 * (which holds the crypto random source) and nothing from exec/.
 */
const EXCLUDED: Record<string, string> = {};

const FORBIDDEN = [
  /Math\.random/,
  /\bDate\b/,
  /performance\.now/,
  /localeCompare/,
  /toLocale\w*/,
  /\bIntl\b/,
  /process\.env/,
  /\b(randomBytes|randomUUID|getRandomValues|cryptoSource)\b/,
  /from "node:fs"|from "node:child_process"/,
];

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return walk(p);
    return e.name.endsWith(".ts") ? [p] : [];
  });
}

/** Relative imports that load code (`import type` and `export type` load nothing). */
const VALUE_IMPORT = /^\s*(?:import|export)\s+(?!type\s)[^;]*?\bfrom\s*["'](\.{1,2}\/[^"']+)["']/gm;
const BARE_IMPORT =
  /^\s*import\s*["'](\.{1,2}\/[^"']+)["']|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/gm;

/** The files that `source` (the file at `file`) imports code from. */
function imports(file: string, source = readFileSync(file, "utf8")): string[] {
  const specs = [
    ...[...source.matchAll(VALUE_IMPORT)].map((m) => m[1]),
    ...[...source.matchAll(BARE_IMPORT)].map((m) => m[1] ?? m[2]),
  ];
  return specs
    .filter((s): s is string => s !== undefined)
    .map((s) => resolve(dirname(file), s.replace(/\.js$/, ".ts")));
}

/** The renderer folders' files and the engine files they import, transitively, minus EXCLUDED. */
function rendererFiles(): string[] {
  const inFolder = walk(ENGINE).filter((f) =>
    relative(ENGINE, dirname(f))
      .split("/")
      .some((part) => RENDER_FOLDERS.has(part)),
  );
  const found = new Set<string>();
  const queue = [...inFolder, ...ALSO];
  for (let file = queue.pop(); file !== undefined; file = queue.pop()) {
    if (found.has(file) || basename(file) in EXCLUDED) continue;
    found.add(file);
    for (const target of imports(file)) {
      if (target.startsWith(ENGINE + "/") && existsSync(target)) queue.push(target);
    }
  }
  return [...found].map((f) => relative(SRC, f)).sort();
}

const files = rendererFiles();

describe("renderer sources are pure", () => {
  it("finds the renderers: the folders, the mappings they import, each exclusion a real file", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    const mappings = files.filter((f) =>
      readFileSync(join(SRC, f), "utf8").includes("export function randomString("),
    );
    expect(mappings).toHaveLength(1);
    const names = new Set(walk(ENGINE).map((f) => basename(f)));
    for (const name of Object.keys(EXCLUDED)) expect(names, name).toContain(name);
  });

  it("follows imports that load code, not type-only ones", () => {
    const at = join(ENGINE, "render/x.ts");
    const source = [
      'import type { A } from "./a.js";',
      'export type { T } from "./t.js";',
      'import { type B, c } from "./b.js";',
      'import {\n  d,\n  e,\n} from "../d.js";',
      'export { f } from "./f.js";',
      'import "./side.js";',
      'const g = await import("./g.js");',
    ].join("\n");
    expect(
      imports(at, source)
        .map((f) => relative(ENGINE, f))
        .sort(),
    ).toEqual(["render/b.ts", "d.ts", "render/f.ts", "render/g.ts", "render/side.ts"].sort());
  });

  it.for(files)("%s", (file) => {
    const source = readFileSync(join(SRC, file), "utf8");
    for (const pattern of FORBIDDEN)
      expect(source, `${file} uses ${pattern.source}`).not.toMatch(pattern);
  });
});
