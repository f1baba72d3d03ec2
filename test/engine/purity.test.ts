/**
 * The renderers are pure: no clock, no global randomness, no locale, no environment. A static
 * scan of their sources keeps it that way (the known-answer tests pin the behaviour).
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../../src/engine");
const files = [
  "random.ts",
  "../store/renderer-version.ts",
  ...readdirSync(join(root, "functions")).map((f) => `functions/${f}`),
  "render/dispatch.ts",
  ...["random.ts", "json.ts"].map((f) => `render/generators/${f}`),
  "template/index.ts",
  ...["index.ts", "parser.ts", "policy.ts", "data.ts", "problems.ts"].map(
    (f) => `template/handlebars/${f}`,
  ),
  ...readdirSync(join(root, "template/go")).map((f) => `template/go/${f}`),
];

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

describe("renderer sources are pure", () => {
  it.for(files)("%s", (file) => {
    const source = readFileSync(join(root, file), "utf8");
    for (const pattern of FORBIDDEN)
      expect(source, `${file} uses ${pattern.source}`).not.toMatch(pattern);
  });
});
