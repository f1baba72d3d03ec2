/**
 * runScript end to end with the real bash: values in and out, the environment, public files,
 * failures and their messages, and that the private directory never outlives a run.
 */
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hasTool } from "../helpers/tools.js";
import { runScript, type RunScriptOptions } from "../../src/engine/script/index.js";
import { EMPTY_PATH } from "../../src/engine/script/resolve.js";
import {
  allGone,
  cleanupScratch,
  dec,
  enc,
  leftovers,
  scratch,
  scriptSpec,
  toolsInput,
} from "./helpers.js";
import { rejection } from "../helpers/failures.js";

let parent: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  parent = scratch("sg-xdg-");
  env = { PATH: process.env.PATH, XDG_RUNTIME_DIR: parent, CANARY_FROM_CALLER: "must-not-leak" };
});

afterEach(() => {
  // the private directory is gone after every run, whatever happened
  expect(leftovers(parent)).toEqual([]);
  cleanupScratch();
});

function run(
  script: string,
  more: Partial<RunScriptOptions> & { inputs?: string[]; timeout?: number } = {},
) {
  const { inputs = [], timeout = 30, ...rest } = more;
  return runScript({
    secret: "app/secret",
    spec: scriptSpec(script, { runtimeInputs: inputs, timeout }),
    dependencies: new Map(),
    redact: [],
    env,
    ...rest,
  });
}

describe("success", () => {
  it("reads a dependency from $SECRETS_DIR/NAME and returns stdout", async () => {
    const out = await run('cat "$SECRETS_DIR/some/name"; printf -- "-and-more"', {
      inputs: [toolsInput(["cat"])],
      dependencies: new Map([["some/name", enc("s3cret\n")]]),
    });
    expect(dec(out.value)).toBe("s3cret\n-and-more");
    expect(out.publicFiles.size).toBe(0);
  });

  it("keeps the private directory 0700 and dependency files 0600", async () => {
    const out = await run(
      'stat -c "%a %n" "$TMP_DIR/.." "$TMP_DIR" "$SECRETS_DIR" "$SECRETS_DIR/a" "$SECRETS_DIR/a/b" "$PUBLIC_DIR"',
      { inputs: [toolsInput(["stat"])], dependencies: new Map([["a/b", enc("x")]]) },
    );
    const modes = dec(out.value)
      .trim()
      .split("\n")
      .map((l) => l.split(" ")[0]);
    expect(modes).toEqual(["700", "700", "700", "700", "600", "700"]);
  });

  it("gives the script exactly the documented environment", async () => {
    const input = toolsInput(["env"]);
    const out = await run('env > "$PUBLIC_DIR/env"; printf ok', { inputs: [input] });
    const seen = new Map(
      dec(out.publicFiles.get("env") ?? new Uint8Array())
        .trim()
        .split("\n")
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)] as const),
    );
    // ours, plus what bash itself exports to its children (PWD, SHLVL, _)
    expect([...seen.keys()].sort()).toEqual(
      [
        "HOME",
        "PATH",
        "PUBLIC_DIR",
        "PWD",
        "SECRETS_DIR",
        "SHLVL",
        "TMPDIR",
        "TMP_DIR",
        "_",
      ].sort(),
    );
    const tmp = seen.get("TMP_DIR") ?? "";
    const root = tmp.slice(0, -"/tmp".length);
    expect(tmp).toMatch(new RegExp(`^${parent}/secretgen-${process.pid}-[A-Za-z0-9]+/tmp$`));
    expect(seen.get("PATH")).toBe(join(input, "bin"));
    expect(seen.get("SECRETS_DIR")).toBe(join(root, "secrets"));
    expect(seen.get("PUBLIC_DIR")).toBe(join(root, "public"));
    expect(seen.get("HOME")).toBe(tmp);
    expect(seen.get("TMPDIR")).toBe(tmp);
    expect(seen.get("PWD")).toBe(tmp);
  });

  it("returns the files left in $PUBLIC_DIR, sorted, by relative path", async () => {
    const out = await run(
      'printf key > "$PUBLIC_DIR/z.pub"; mkdir -p "$PUBLIC_DIR/certs/ca"; printf pem > "$PUBLIC_DIR/certs/ca/root.pem"; printf value',
      { inputs: [toolsInput(["mkdir"])] },
    );
    expect(dec(out.value)).toBe("value");
    expect([...out.publicFiles.keys()]).toEqual(["certs/ca/root.pem", "z.pub"]);
    expect(dec(out.publicFiles.get("certs/ca/root.pem") ?? new Uint8Array())).toBe("pem");
  });

  it("preserves binary stdout byte for byte", async () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const out = await run('cat "$SECRETS_DIR/bin"; printf "\\x00\\xff\\n\\r\\n"', {
      inputs: [toolsInput(["cat"])],
      dependencies: new Map([["bin", all]]),
    });
    expect(out.value).toEqual(new Uint8Array([...all, 0x00, 0xff, 0x0a, 0x0d, 0x0a]));
  });

  it("runs with stdin empty and the script text not in argv", async () => {
    const out = await run('cat; tr "\\0" " " < /proc/$$/cmdline; echo', {
      inputs: [toolsInput(["cat", "tr"])],
    });
    const argv = dec(out.value).trim().split(" ");
    expect(argv).toHaveLength(2);
    expect(argv[0]).toMatch(/\/bash$/);
    expect(argv[1]).toMatch(
      new RegExp(`^${parent}/secretgen-${process.pid}-[A-Za-z0-9]+/script\\.sh$`),
    );
  });

  it("returns when bash exits, killing what it left in the background", async () => {
    const started = Date.now();
    const out = await run('sleep 60 &\necho "$!"', {
      inputs: [toolsInput(["sleep"])],
      timeout: 20,
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await allGone([Number(dec(out.value))])).toBe(true);
  });

  it("uses os.tmpdir() when XDG_RUNTIME_DIR is not set", async () => {
    env = { PATH: process.env.PATH };
    const out = await run('printf %s "$TMP_DIR"');
    expect(dec(out.value)).toMatch(
      new RegExp(`^${tmpdir()}/secretgen-${process.pid}-[A-Za-z0-9]+/tmp$`),
    );
    expect(existsSync(dec(out.value))).toBe(false);
  });
});

describe("runtime inputs", () => {
  it("puts INPUT/bin on PATH, and nothing else", async () => {
    const input = scratch("sg-input-");
    mkdirSync(join(input, "bin"));
    writeFileSync(join(input, "bin", "greet"), "#!/bin/sh\necho hello from greet\n", {
      mode: 0o755,
    });
    const out = await run(
      'greet; if command -v ls >/dev/null; then echo "ls found"; else echo "ls missing"; fi; printf "%s\\n" "$PATH"',
      { inputs: [input] },
    );
    expect(dec(out.value)).toBe(`hello from greet\nls missing\n${input}/bin\n`);
  });

  it("gives a PATH that names nothing when there are no runtime inputs", async () => {
    const out = await run(
      'printf %s "$PATH"; command -v cat >/dev/null && echo " cat found" || echo " no cat"',
    );
    expect(dec(out.value)).toBe(`${EMPTY_PATH} no cat\n`);
  });
});

describe("failures", () => {
  it("non-zero exit: status and the redacted tail of stderr", async () => {
    const e = await rejection(
      run(
        'echo "starting" >&2\ncat "$SECRETS_DIR/db/password" >&2\necho "again: $(cat "$SECRETS_DIR/db/password")" >&2\necho "other: hunter2-other" >&2\nexit 7',
        {
          inputs: [toolsInput(["cat"])],
          dependencies: new Map([["db/password", enc("correct horse battery\n")]]),
          redact: [enc("hunter2-other")],
        },
      ),
    );
    expect(e.exitCode).toBe(3);
    expect(e.secret).toBe("app/secret");
    expect(e.message).toContain("exit status 7");
    expect(e.message).toContain("starting");
    expect(e.message).toContain("again: [redacted]");
    expect(e.message).toContain("other: [redacted]");
    expect(e.message).not.toContain("correct horse");
    expect(e.message).not.toContain("hunter2");
    expect(e.toString()).toMatch(
      /^secrets\."app\/secret"\.script: script failed with exit status 7/,
    );
  });

  it("a failing script's own output (what the secret would have been) is redacted too", async () => {
    const e = await rejection(
      run(
        'pw=SuperSecretValue123\necho "pw is $pw" >&2\nprintf %s "$pw" | base64 >&2\nprintf %s "$pw"\nexit 1',
        { inputs: [toolsInput(["base64"])] },
      ),
    );
    expect(e.message).toContain("exit status 1");
    expect(e.message).toContain("pw is [redacted]");
    expect(e.message).not.toContain("SuperSecretValue123");
    expect(e.message).not.toContain(Buffer.from("SuperSecretValue123").toString("base64"));
  });

  it("redacts the forms a script prints in practice, made by the real tools", async () => {
    // A 90-byte multi-line value: `base64` wraps it at 76 columns.
    const pw = "pw-Zq7/+x?&=%é~" + "k".repeat(30) + "\nsecond line of the value, long enough\nend";
    const script = [
      'v=$(cat "$SECRETS_DIR/pw")',
      'echo "exact: $v" >&2',
      'printf "%s" "$v" | base64 >&2',
      'echo "$v" | base64 -w0 >&2; echo >&2',
      'printf "%s" "$v" | basenc --base64url -w0 >&2; echo >&2',
      'printf "%s" "$v" | od -An -tx1 | tr -d " \n" >&2; echo >&2',
      'printf "%s" "$v" | od -An -tx1 | tr -d " \n" | tr a-f A-F >&2; echo >&2',
      'echo "url: $PCT" >&2',
      'echo "line: $(sed -n 2p "$SECRETS_DIR/pw")" >&2',
      'echo "prefix: ${v:0:10}" >&2',
      "exit 1",
    ].join("\n");
    const e = await rejection(
      run(script.replace("$PCT", encodeURIComponent(pw)), {
        inputs: [toolsInput(["cat", "base64", "basenc", "od", "tr", "sed"])],
        dependencies: new Map([["pw", enc(pw)]]),
      }),
    );
    const lines = e.message.split("\n").slice(1);
    expect(lines).toHaveLength(9); // the wrapped base64 is one [redacted] over its two lines
    const b64 = Buffer.from(pw).toString("base64");
    const forms = [
      pw,
      ...pw.split("\n").filter((l) => l.length >= 8),
      b64.slice(0, 76),
      b64.slice(76),
      Buffer.from(pw + "\n").toString("base64"),
      Buffer.from(pw).toString("base64url"),
      Buffer.from(pw).toString("hex"),
      Buffer.from(pw).toString("hex").toUpperCase(),
      encodeURIComponent(pw),
    ];
    for (const f of forms) expect(e.message).not.toContain(f.replace(/=+$/, ""));
    expect(e.message).toContain("  | exact: [redacted]");
    expect(e.message).toContain("  | url: [redacted]");
    expect(e.message).toContain("  | line: [redacted]");
    // What is not redacted, as the README says: a part of a value cut by the script itself.
    expect(e.message).toContain(`  | prefix: ${pw.slice(0, 10)}`);
  });

  it("shows only the last 10 lines of stderr", async () => {
    const e = await rejection(
      run('for i in $(seq 1 30); do echo "line $i" >&2; done; exit 1', {
        inputs: [toolsInput(["seq"])],
      }),
    );
    expect(e.message).toContain("line 21");
    expect(e.message).toContain("line 30");
    expect(e.message).not.toMatch(/line 20\b/);
  });

  it("reports bash's own messages with the declaration's line numbers", async () => {
    const e = await rejection(run("true\nno-such-command-here\n"));
    expect(e.message).toContain("exit status 127");
    expect(e.message).toContain("script: line 2: no-such-command-here: command not found");
    expect(e.message).not.toContain(parent);
  });

  it("set -euo pipefail is in effect", async () => {
    const e = await rejection(run('echo "$UNDEFINED_VARIABLE"; printf never'));
    expect(e.message).toContain("exit status 1");
    expect(e.message).toContain("UNDEFINED_VARIABLE: unbound variable");
  });

  it("timeout kills the whole process group", async () => {
    const started = Date.now();
    const e = await rejection(
      run('sleep 60 &\necho "bg $!" >&2\necho "me $$" >&2\nsleep 60\n', {
        inputs: [toolsInput(["sleep"])],
        timeout: 1,
      }),
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain("script timed out after 1s");
    expect(e.hint).toBe(
      "raise script.timeout (seconds) in the declaration if the script needs longer",
    );
    const pids = [...e.message.matchAll(/(?:bg|me) (\d+)/g)].map((m) => Number(m[1]));
    expect(pids).toHaveLength(2);
    expect(await allGone(pids)).toBe(true);
  });

  it.skipIf(!hasTool("setsid"))(
    "a process that escaped the group cannot hold the run open past the timeout",
    async () => {
      const started = Date.now();
      const e = await rejection(
        run(
          [
            "setsid sh -c ': > \"$TMP_DIR/escaped\"; exec sleep 30' &",
            'echo "escaped $!" >&2',
            'while [ ! -e "$TMP_DIR/escaped" ]; do sleep 0.05; done',
            "printf x",
          ].join("\n"),
          {
            inputs: [toolsInput(["setsid", "sh", "sleep"])],
            timeout: 1,
          },
        ),
      );
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(e.message).toContain("script timed out after 1s");
      const pid = /escaped (\d+)/.exec(e.message)?.[1];
      expect(pid).toBeDefined();
      process.kill(Number(pid), "SIGKILL");
    },
  );

  it("empty output is an error", async () => {
    const e = await rejection(run('echo "only stderr" >&2'));
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain("script produced no output");
    expect(e.message).toContain("only stderr");
    expect(e.hint).toBe(
      "the secret is what the script prints on stdout; send progress messages to stderr (>&2)",
    );
  });

  it("a script killed by a signal", async () => {
    const e = await rejection(run("kill -9 $$"));
    expect(e.message).toContain("script was killed by SIGKILL");
    expect(e.message).toContain("stderr was empty");
  });

  it("a symbolic link in $PUBLIC_DIR is refused", async () => {
    const e = await rejection(
      run('ln -s "$SECRETS_DIR/dep" "$PUBLIC_DIR/leak"; printf v', {
        inputs: [toolsInput(["ln"])],
        dependencies: new Map([["dep", enc("x")]]),
      }),
    );
    expect(e.message).toContain('public file "leak" is not a regular file');
  });

  it("cancellation through the AbortSignal", async () => {
    const ac = new AbortController();
    setTimeout(() => {
      ac.abort();
    }, 300);
    const e = await rejection(
      run("sleep 60", { inputs: [toolsInput(["sleep"])], signal: ac.signal }),
    );
    expect(e.message).toContain("script was cancelled");
  });

  it("bash missing from PATH: exit 3 with a hint", async () => {
    env = { ...env, PATH: scratch() };
    const e = await rejection(run("printf x"));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe("bash not found on PATH: cannot run the script");
    expect([e.secret, e.field]).toEqual(["app/secret", "script"]);
    expect(e.hint).toBe("install bash, or put the directory that holds it on PATH");
  });

  it("a missing XDG_RUNTIME_DIR is an error, not a silent fallback", async () => {
    env = { ...env, XDG_RUNTIME_DIR: join(parent, "missing") };
    const e = await rejection(run("printf x"));
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain("cannot create a private directory");
    expect(statSync(parent).isDirectory()).toBe(true);
  });
});

describe("dependencies", () => {
  it("a dependency that is also a directory of another is refused before the script runs", async () => {
    const e = await rejection(
      run("printf x", {
        dependencies: new Map([
          ["a", enc("1")],
          ["a/b", enc("2")],
        ]),
      }),
    );
    expect(e.exitCode).toBe(2);
    expect(e.field).toBe("script.dependencies");
    expect(e.message).toContain('"a" and "a/b"');
  });

  it.for(["../escape", "/abs", "a//b", "./a"])("refuses the name %s", async (name) => {
    const e = await rejection(run("printf x", { dependencies: new Map([[name, enc("1")]]) }));
    expect(e.message).toContain("is not a relative path");
  });
});
