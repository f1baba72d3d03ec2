/**
 * Command-line parsing (commander). Options are accepted before or after the command; with no
 * command, `generate` runs. Each command lives in its own file under commands/ and is loaded
 * only when it runs.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { ExitCode, SecretgenError } from "../errors.js";
import { commands } from "./commands/index.js";
import { errorJson, usageJson } from "./json-error.js";
import { createOutput } from "./output.js";
import { Session, type GlobalOptions } from "./session.js";

/** A command module: its default export runs the command and returns the exit status. */
type Action = (session: Session, ...args: never[]) => Promise<number>;

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("must be a whole number ≥ 1");
  return n;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError("must be a number of seconds ≥ 0");
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function buildProgram(version: string, setExit: (code: number) => void): Command {
  const program = new Command("secretgen");
  program
    .description("Deterministic, replayable generator of agenix secrets")
    .version(version, "-V, --version")
    .option(
      "--config <file>",
      "JSON declarations file, or - for stdin (default: secrets/secrets.json)",
    )
    .option("--nix <ref>", "declarations from Nix: FLAKEREF#ATTR or FILE.nix")
    .option("--nix-attr <path>", "attribute path inside FILE.nix (with --nix FILE.nix)")
    .option("-i, --identity <file>", "admin identity file (repeatable)", collect)
    .option("--root <dir>", "repository root (default: nearest directory with secrets/)")
    .option("--jobs <n>", "parallel workers", positiveInt)
    .option("--json", "machine-readable output on stdout")
    .option("-q, --quiet", "print only the summary and errors")
    .option("-v, --verbose", "print more detail")
    .option("--wait <seconds>", "wait this long for another run's lock", seconds)
    .showHelpAfterError("(run `secretgen --help` for usage)")
    .exitOverride()
    .configureOutput({
      outputError: (str, write) => {
        write(`secretgen: ${str}`);
      },
    });

  const session = (cmd: Command) => {
    const opts = cmd.optsWithGlobals<GlobalOptions>();
    const hints = { wait: opts.wait };
    return new Session(opts, createOutput({ quiet: opts.quiet, verbose: opts.verbose, hints }));
  };
  const action =
    (load: () => Promise<{ default: Action }>) =>
    async (...args: unknown[]) => {
      const cmd = args[args.length - 1] as Command;
      const s = session(cmd);
      try {
        const mod = await load();
        const run = mod.default as (session: Session, ...rest: unknown[]) => Promise<number>;
        setExit(await run(s, ...args.slice(0, -1)));
      } catch (err) {
        s.output.fail(err);
        const code = err instanceof SecretgenError ? err.exitCode : ExitCode.runtime;
        if (s.opts.json) s.output.out(errorJson(cmd.name(), err, code, { wait: s.opts.wait }));
        setExit(code);
      }
    };

  program
    .command("generate")
    .description(
      "bring secrets up to date (NAMEs: only those, what reads them, and what they need made)",
    )
    .argument("[names...]", "secrets to generate")
    .option("--dry-run", "print the plan, write nothing")
    .action(action(commands.generate));
  program
    .command("check")
    .description("write nothing; exit 1 listing every stale, missing, drifted or orphaned secret")
    .argument("[names...]", "secrets to check")
    .option("--offline", "use only manifest.json and public files (no identity needed)")
    .action(action(commands.check));
  program
    .command("status")
    .alias("ls")
    .description("table of secrets: generator, hosts, state, reason (never values)")
    .argument("[names...]", "only these secrets (the same set as check NAME…)")
    .action(action(commands.status));
  program
    .command("set")
    .description("store the value of a manual secret (hidden prompt, stdin, or --value-file)")
    .argument("<name>", "manual secret")
    // A value given here is refused with its own message (set.ts), so the help leaves it out.
    .argument("[value]")
    .usage("[options] <name>")
    .configureHelp({
      visibleArguments: (cmd) => cmd.registeredArguments.filter((a) => a.name() !== "value"),
    })
    .option("--value-file <path>", "read the value from this file")
    .option("--keep-newline", "keep a trailing newline")
    .action(action(commands.set));
  program
    .command("rotate")
    .description("regenerate secrets with new randomness (and what reads them)")
    .argument("<names...>", "secrets to rotate")
    .action(action(commands.rotate));
  program
    .command("reveal")
    .description("print one decrypted value on stdout")
    .argument("<name>", "secret")
    .action(action(commands.reveal));
  program
    .command("adopt")
    .description("take existing agenix files DIR/NAME.age into the tree, keeping their values")
    .argument("<names...>", "secrets to adopt")
    .addOption(new Option("--from <dir>", "directory holding NAME.age files").makeOptionMandatory())
    .action(action(commands.adopt));
  program
    .command("prune")
    .description("delete files and manifest entries of secrets no longer declared")
    .option("--dry-run", "list what would be deleted")
    .action(action(commands.prune));
  program
    .command("init")
    .description("create an admin identity and print its recipient")
    .option("--out <file>", "where to write it (default: $XDG_CONFIG_HOME/secretgen/admin.key)")
    .action(action(commands.init));
  program
    .command("export")
    .description("write secrets/secrets.nix rules so the agenix CLI keeps working")
    .addOption(
      new Option("--format <format>", "output format").choices(["agenix"]).makeOptionMandatory(),
    )
    .option("--force", "replace a secrets/secrets.nix that secretgen did not write")
    .action(action(commands.export));
  program.helpCommand("help [command]", "show help for a command");
  return program;
}

/** Global options that take a value (so that value is not mistaken for the command). */
const VALUE_OPTIONS = new Set([
  "--config",
  "--nix",
  "--nix-attr",
  "-i",
  "--identity",
  "--root",
  "--jobs",
  "--wait",
]);

/** argv with `generate` inserted when it names no command at all. */
export function withDefaultCommand(argv: string[]): string[] {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (a === "--") break;
    if (!a.startsWith("-")) return argv;
    if (["-h", "--help", "-V", "--version"].includes(a)) return argv;
    if (VALUE_OPTIONS.has(a)) i++;
  }
  return ["generate", ...argv];
}

/** `--json` among the options (before a `--`). */
function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end === -1 ? argv : argv.slice(0, end)).includes("--json");
}

export async function main(argv: string[], version: string): Promise<number> {
  argv = withDefaultCommand(argv);
  let exit: number = ExitCode.ok;
  const program = buildProgram(version, (c) => (exit = c));
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; every parsing problem is a usage error.
      if (err.exitCode === 0) return ExitCode.ok;
      if (wantsJson(argv)) {
        const names = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
        const command = argv.find((a) => names.has(a)) ?? null;
        process.stdout.write(usageJson(command, err.message, ExitCode.usage) + "\n");
      }
      return ExitCode.usage;
    }
    throw err;
  }
  return exit;
}
