/**
 * The shipped CLI: tsc's output in dist/ bundled into dist/bundle/ (`npx just build` runs both).
 *
 * Loading ~80 small ES modules (and handlebars' CommonJS parser) cost about a tenth of a no-op
 * `check`; one entry file plus a few shared chunks, loaded on demand, start faster. Everything
 * lands in one flat directory so that the two paths resolved at run time hold in both layouts:
 * `../../package.json` (the version) and `./worker.js` (the worker threads' entry).
 */
import { defineConfig } from "rolldown";

export default defineConfig({
  input: { main: "dist/cli/main.js", worker: "dist/engine/worker.js" },
  platform: "node",
  logLevel: "warn",
  output: {
    dir: "dist/bundle",
    cleanDir: true,
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunk-[hash].js",
  },
});
