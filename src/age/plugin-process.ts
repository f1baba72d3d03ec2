/**
 * One running plugin: `age-plugin-NAME --age-plugin=STATE_MACHINE` found on PATH (absolute
 * entries only, never the current directory), started with execa in the temporary directory,
 * stanzas written to its stdin and read from its stdout with a time limit per reply. Its stderr
 * is not shown or kept (as age does it). Failures are AgeErrors of kind `plugin` naming it.
 */
import { accessSync, constants, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { execa, type Options, type ResultPromise } from "execa";
import { AgeError } from "./errors.js";
import { pluginError } from "./plugin-errors.js";
import { pluginBinary } from "./plugin-names.js";
import { encodeStanza, StanzaParser, WireError, type WireStanza } from "./plugin-stanza.js";

/** The default limit on each reply of a plugin, in seconds (a touch can take a while). */
export const DEFAULT_TIMEOUT_S = 120;

/** Environment variables secretgen reads that a plugin has no business with. */
const PRIVATE_ENV = /^SECRETGEN_/;

const SPAWN = {
  extendEnv: false,
  stdin: "pipe",
  stdout: "pipe",
  stderr: "ignore",
  encoding: "buffer",
  buffer: false,
  reject: false,
} as const satisfies Options;

/**
 * The absolute path of `age-plugin-NAME` on PATH; undefined when there is none, or, as
 * `{ notExecutable }`, the first file of that name found that may not be executed.
 */
export function findPlugin(
  name: string,
  pathVar: string | undefined,
): string | { notExecutable: string } | undefined {
  let notExecutable: string | undefined;
  for (const dir of (pathVar ?? "").split(":")) {
    if (dir === "" || !isAbsolute(dir)) continue;
    const candidate = join(dir, pluginBinary(name));
    try {
      if (!statSync(candidate).isFile()) continue;
    } catch {
      continue; // not here
    }
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      notExecutable ??= candidate;
    }
  }
  return notExecutable === undefined ? undefined : { notExecutable };
}

/**
 * The reply limit: SECRETGEN_PLUGIN_TIMEOUT (seconds, may be fractional), else the default.
 * @throws an AgeError (`plugin`, so that the run fails once) for a value that is not one.
 */
export function replyTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.SECRETGEN_PLUGIN_TIMEOUT ?? "";
  if (text === "") return DEFAULT_TIMEOUT_S * 1000;
  const s = Number(text);
  if (!Number.isFinite(s) || s <= 0 || s > 2147483) {
    throw new AgeError(
      "plugin",
      `SECRETGEN_PLUGIN_TIMEOUT must be a number of seconds above 0 and at most 2147483, not ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
  return s * 1000;
}

export interface ConnectionOptions {
  /** Limit on each reply, in ms (default: replyTimeoutMs()). */
  timeoutMs?: number;
  /** Called when a reply has taken a second (the plugin may wait for a touch), and when it came. */
  onWait?: (waiting: boolean) => void;
}

/** A started plugin speaking one state machine. */
export class PluginConnection {
  private readonly parser = new StanzaParser();
  private readonly queue: WireStanza[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private failure: AgeError | undefined;
  private readonly timeoutMs: number;

  private constructor(
    readonly name: string,
    private readonly child: ResultPromise<typeof SPAWN>,
    private readonly opts: ConnectionOptions,
  ) {
    this.timeoutMs = opts.timeoutMs ?? replyTimeoutMs();
    child.stdout.on("data", (chunk: Buffer) => {
      try {
        this.parser.push(chunk);
        for (let s = this.parser.next(); s !== undefined; s = this.parser.next())
          this.queue.push(s);
      } catch (err) {
        this.failure ??= violation(name, err);
      }
      this.wake?.();
    });
    child.stdout.on("end", () => {
      this.ended = true;
      this.wake?.();
    });
    child.stdin.on("error", () => undefined); // a plugin that exits early: reported on read
    void child.then(() => {
      this.ended = true;
      this.wake?.();
    });
  }

  /**
   * Start `age-plugin-NAME --age-plugin=MACHINE`.
   * @throws an AgeError (`plugin`) when it is not on PATH.
   */
  static start(name: string, machine: string, opts: ConnectionOptions = {}): PluginConnection {
    const timeoutMs = opts.timeoutMs ?? replyTimeoutMs();
    const path = findPlugin(name, process.env.PATH);
    if (path === undefined) {
      throw pluginError(
        name,
        "was not found on PATH (the current directory is never searched)",
        `install the age plugin ${JSON.stringify(name)} and put ${pluginBinary(name)} on PATH`,
      );
    }
    if (typeof path !== "string") {
      throw pluginError(
        name,
        `is on PATH as ${path.notExecutable}, which is not executable`,
        `chmod +x ${path.notExecutable}, or install the age plugin ${JSON.stringify(name)} again`,
      );
    }
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env))
      if (v !== undefined && !PRIVATE_ENV.test(k)) env[k] = v;
    const child = execa(path, [`--age-plugin=${machine}`], { ...SPAWN, env, cwd: tmpdir() });
    return new PluginConnection(name, child, { ...opts, timeoutMs });
  }

  /** Send one stanza. */
  send(type: string, args: readonly string[] = [], body?: Uint8Array): void {
    if (this.child.stdin.writable) this.child.stdin.write(encodeStanza(type, args, body));
  }

  /**
   * The next stanza from the plugin.
   * @throws an AgeError (`plugin`): it exited (crashed), timed out, or broke the wire format.
   */
  async read(): Promise<WireStanza> {
    const started = Date.now();
    const wait = { shown: false };
    const waitTimer = setTimeout(() => {
      wait.shown = true;
      this.opts.onWait?.(true);
    }, 1000);
    try {
      for (;;) {
        if (this.failure !== undefined) throw this.failure;
        const s = this.queue.shift();
        if (s !== undefined) return s;
        if (this.ended) throw await this.exitError();
        const left = this.timeoutMs - (Date.now() - started);
        if (left <= 0) {
          this.kill();
          throw pluginError(
            this.name,
            `did not answer within ${this.timeoutMs / 1000} s (timed out); it was stopped`,
            "SECRETGEN_PLUGIN_TIMEOUT sets the limit in seconds",
          );
        }
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    } finally {
      clearTimeout(waitTimer);
      if (wait.shown) this.opts.onWait?.(false);
    }
  }

  /** Resolves, with what to report, once the plugin has exited (to end a question it asked). */
  gone(): Promise<AgeError> {
    return this.exitError();
  }

  private async exitError(): Promise<AgeError> {
    const r = await this.child;
    if (this.parser.pending)
      return pluginError(this.name, "broke the plugin protocol: its output ended mid-stanza");
    const how =
      r.signal !== undefined
        ? `was killed by ${r.signal}`
        : `exited with status ${String(r.exitCode)}`;
    return pluginError(this.name, `${how} before finishing the protocol (it crashed or failed)`);
  }

  /** End the session: close stdin, give it a moment to exit, then kill it. */
  async close(): Promise<void> {
    this.child.stdin.end();
    const timer = setTimeout(() => {
      this.kill();
    }, 2000);
    try {
      await this.child;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stop it now. */
  kill(): void {
    this.child.kill("SIGKILL");
    this.child.stdout.destroy();
  }
}

function violation(name: string, err: unknown): AgeError {
  const detail = err instanceof WireError ? err.detail : "unreadable output";
  return pluginError(name, `broke the plugin protocol: it sent ${detail}`);
}
