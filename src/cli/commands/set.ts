/**
 * `secretgen set NAME`: store a manual secret. The value comes from a hidden prompt on a TTY
 * (asked twice), from stdin, or from --value-file; never from the command line. Exactly one
 * trailing newline is stripped unless --keep-newline. One run stores it and its readers follow;
 * the value it already has writes nothing.
 */
import { readFileSync } from "node:fs";
import { buffer } from "node:stream/consumers";
import { quote, usageError } from "../../errors.js";
import { ioReason } from "../../store/index.js";
import { promptHidden } from "../prompt.js";
import type { Session } from "../session.js";
import { runAndReport } from "./run-report.js";
import { withWriteLock } from "./with-lock.js";

function stripNewline(v: Uint8Array): Uint8Array {
  let end = v.length;
  if (v[end - 1] === 0x0a) end -= v[end - 2] === 0x0d ? 2 : 1;
  return v.subarray(0, end);
}

async function readValue(opts: { valueFile?: string; keepNewline?: boolean }) {
  let value: Uint8Array;
  if (opts.valueFile !== undefined) {
    try {
      value = new Uint8Array(readFileSync(opts.valueFile));
    } catch (err) {
      // A file that is not there (or not readable, or a directory) is a usage error.
      throw usageError(`cannot read --value-file ${quote(opts.valueFile)}: ${ioReason(err)}`, {
        cause: err,
      });
    }
  } else if (!process.stdin.isTTY) {
    value = new Uint8Array(await buffer(process.stdin));
  } else {
    const first = await promptHidden("Value: ");
    const again = await promptHidden("Again: ");
    if (first !== again) throw usageError("the two values differ; nothing was stored");
    return new TextEncoder().encode(first);
  }
  return opts.keepNewline ? value : stripNewline(value);
}

export default async function set(
  session: Session,
  name: string,
  argvValue: string | undefined,
  opts: { valueFile?: string; keepNewline?: boolean },
) {
  if (argvValue !== undefined) {
    throw usageError(
      "values are never taken from the command line (they would show in ps and shell history)",
      {
        hint: `use a hidden prompt, stdin (\`secretgen set ${name} < file\`) or --value-file`,
      },
    );
  }
  if (session.opts.config === "-" && opts.valueFile === undefined) {
    throw usageError("stdin cannot carry both the declarations (--config -) and the value", {
      hint: "use --value-file, or a declarations file",
    });
  }
  const decls = await session.declarations();
  const decl = decls.secrets.get(name);
  if (decl === undefined) throw usageError(`no secret named ${JSON.stringify(name)} is declared`);
  if (decl.generator.kind !== "manual") {
    throw usageError(`is a ${decl.generator.kind} secret; only manual secrets are set by hand`, {
      secret: name,
      hint: `\`secretgen rotate ${name}\` makes a new value`,
    });
  }
  const value = await readValue(opts);
  if (value.length === 0)
    throw usageError("the value is empty; nothing was stored", { secret: name });
  const identities = await session.identities("set");
  return withWriteLock(session, (layout) =>
    runAndReport(
      session,
      "set",
      "generating",
      {
        decls,
        layout,
        identities,
        mode: "generate",
        values: new Map([[name, value]]),
      },
      (report) => {
        const state = report.secrets.find((s) => s.name === name)?.state;
        if (state === "unchanged")
          session.output.info(`${name} already has this value; nothing was written`);
      },
    ),
  );
}
