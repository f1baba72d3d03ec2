/**
 * All terminal output of secretgen goes through here. Data and reports on stdout; diagnostics on
 * stderr as `secretgen: error: …`, `secretgen: warning: …`, `secretgen: hint: …`. Colour only on
 * a TTY and never with NO_COLOR.
 */
import { SecretgenError, location, type Warning } from "../errors.js";
import { cliHint, type HintContext } from "./hints.js";

export interface Output {
  /** Report or data line on stdout. */
  out(line: string): void;
  /** Raw bytes on stdout (reveal). */
  raw(data: Uint8Array): void;
  error(message: string): void;
  /** A warning: the layers' `Warning`s (printed with their location) or a sentence. */
  warning(warning: Warning | string): void;
  hint(message: string): void;
  /** Progress/info on stderr; suppressed by --quiet. */
  info(message: string): void;
  /** Detail on stderr; shown with --verbose. */
  verbose(message: string): void;
  /** Print an error with its location and hint (cli/hints.ts adds the hints naming options). */
  fail(err: unknown): void;
  readonly color: boolean;
}

const CODES = { red: 31, yellow: 33, cyan: 36, green: 32, dim: 2, bold: 1 } as const;

/** `LOCATION: MESSAGE`, the one way a Warning becomes text (stderr and `--json`). */
export function formatWarning(w: Warning | string): string {
  return typeof w === "string" ? w : location(w) + w.message;
}

export function createOutput(
  opts: { quiet?: boolean; verbose?: boolean; hints?: HintContext } = {},
): Output {
  const color = process.stderr.isTTY && !("NO_COLOR" in process.env && process.env.NO_COLOR !== "");
  const paint = (c: keyof typeof CODES, s: string) => (color ? `\x1b[${CODES[c]}m${s}\x1b[0m` : s);
  const err = (line: string) => process.stderr.write(line + "\n");
  const self: Output = {
    color,
    out: (line) => process.stdout.write(line + "\n"),
    raw: (data) => process.stdout.write(data),
    error: (m) => {
      err(`secretgen: ${paint("red", "error:")} ${m}`);
    },
    warning: (w) => {
      err(`secretgen: ${paint("yellow", "warning:")} ${formatWarning(w)}`);
    },
    hint: (m) => {
      err(`secretgen: ${paint("cyan", "hint:")} ${m}`);
    },
    info: (m) => {
      if (!opts.quiet) err(m);
    },
    verbose: (m) => {
      if (opts.verbose) err(m);
    },
    fail: (e) => {
      if (e instanceof SecretgenError) {
        const problems = (e as { problems?: readonly SecretgenError[] }).problems;
        for (const p of problems ?? [e]) {
          self.error(p.toString());
          const hint = cliHint(p, opts.hints);
          if (hint !== undefined) self.hint(hint);
        }
      } else {
        self.error(`internal error: ${e instanceof Error ? e.message : String(e)}`);
        if (e instanceof Error && e.stack !== undefined) self.verbose(e.stack);
      }
    },
  };
  return self;
}
