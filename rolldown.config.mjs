/**
 * The shipped CLI: tsc's output in dist/ bundled into dist/bundle/ (`npx just build` runs both).
 *
 * Loading ~80 small ES modules (and handlebars' CommonJS parser) cost about a tenth of a no-op
 * `check`; one entry file plus a few shared chunks, loaded on demand, start faster. Everything
 * lands in one flat directory so that the two paths resolved at run time hold in both layouts:
 * `../../package.json` (the version) and `./worker.js` (the worker threads' entry).
 *
 * The bundle is CommonJS, marked so by its own dist/bundle/package.json: Node 20 loads CommonJS
 * synchronously, while its ES module loader reads each file asynchronously, links, and loads
 * itself first. That was ~25 ms of a `check --offline` of 1000 secrets.
 */
import { defineConfig } from "rolldown";

/**
 * commander requires node:child_process when it loads, for executable subcommands, which
 * secretgen has none of; that alone loads ~20 of Node's own modules (net, dgram, ...), ~6 ms of
 * every command. Require it on first use instead. Fails the build if commander's line changes.
 */
const lazyChildProcess = {
  name: "lazy-child-process",
  transform(code, id) {
    if (!id.replaceAll("\\", "/").endsWith("node_modules/commander/lib/command.js")) return null;
    const eager = "const childProcess = require('node:child_process');";
    if (!code.includes(eager)) throw new Error(`rolldown.config.mjs: no "${eager}" in ${id}`);
    const lazy =
      "const childProcess = { spawn: (...args) => require('node:child_process').spawn(...args) };";
    return code.replace(eager, lazy);
  },
};

/**
 * template/handlebars/parser.ts loads handlebars' parser on first use with createRequire, which
 * the bundler cannot follow: the installed package (which has no node_modules) would not find
 * it. Turn those calls into require() calls, which the bundler resolves and bundles, still
 * evaluated only when first called. Fails the build if parser.ts's lines change.
 */
const bundledHandlebars = {
  name: "bundled-handlebars",
  transform(code, id) {
    if (!id.replaceAll("\\", "/").endsWith("dist/engine/template/handlebars/parser.js"))
      return null;
    const calls = code.match(/\bload\("handlebars\/[^"]+"\)/g) ?? [];
    if (calls.length !== 2)
      throw new Error(`rolldown.config.mjs: ${calls.length} handlebars loads in ${id}, not 2`);
    return code.replace(/\bload\(("handlebars\/[^"]+")\)/g, "require($1)");
  },
};

/** dist/bundle/package.json: `.js` files there are CommonJS, whatever the package's own type. */
const commonjsScope = {
  name: "commonjs-scope",
  generateBundle() {
    this.emitFile({
      type: "asset",
      fileName: "package.json",
      source: JSON.stringify({ type: "commonjs" }) + "\n",
    });
  },
};

export default defineConfig({
  input: { main: "dist/cli/main.js", worker: "dist/engine/exec/worker.js" },
  platform: "node",
  plugins: [lazyChildProcess, bundledHandlebars, commonjsScope],
  logLevel: "warn",
  // secretgen's own modules only define things when they load (no module of src/ has a side
  // effect at load), so a folder's index.ts that re-exports the folder costs a caller only what
  // it uses, and a module nothing uses is left out of the chunks.
  treeshake: {
    moduleSideEffects: (id) => !/[\\/]dist[\\/](age|declarations|store|engine|cli)[\\/]/.test(id),
  },
  output: {
    dir: "dist/bundle",
    cleanDir: true,
    format: "cjs",
    entryFileNames: "[name].js",
    chunkFileNames: "chunk-[hash].js",
  },
});
