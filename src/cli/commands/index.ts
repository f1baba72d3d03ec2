/**
 * The commands of the CLI, each in its own module, loaded only when it runs (a fast start loads
 * none of them). The one public face of cli/commands/: program.ts names a command's loader here.
 */
export const commands = {
  generate: () => import("./generate.js"),
  check: () => import("./check.js"),
  status: () => import("./status.js"),
  set: () => import("./set.js"),
  rotate: () => import("./rotate.js"),
  reveal: () => import("./reveal.js"),
  adopt: () => import("./adopt.js"),
  prune: () => import("./prune.js"),
  init: () => import("./init.js"),
  export: () => import("./export.js"),
} as const;
