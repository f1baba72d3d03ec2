/**
 * What a plugin may ask of the user in phase 2 of either state machine (`msg`, `confirm`,
 * `request-public`, `request-secret`), the interface the CLI implements (src/cli/plugin-ui.ts),
 * and the shared handling of those commands. A UI that cannot ask (no terminal) throws, and
 * the session ends with that error: one clear message instead of a plugin's guess.
 */
import { decodeBase64NoPad } from "./base64.js";
import { pluginError, pluginText } from "./plugin-errors.js";
import type { PluginConnection } from "./plugin-process.js";
import type { WireStanza } from "./plugin-stanza.js";

export interface PluginUI {
  /** Show a message from plugin `name` (e.g. "touch your YubiKey"). */
  message(name: string, text: string): void;
  /**
   * Ask yes/no; `no` may be absent (then only `yes` is offered). Resolves true for yes. When
   * `gone` aborts (the plugin exited meanwhile), the question is withdrawn and the promise
   * rejects with the signal's reason.
   */
  confirm(
    name: string,
    text: string,
    yes: string,
    no: string | undefined,
    gone?: AbortSignal,
  ): Promise<boolean>;
  /** Ask for a value: hidden when `secret` (a PIN), shown otherwise; `gone` as for confirm. */
  request(name: string, text: string, secret: boolean, gone?: AbortSignal): Promise<string>;
  /** The plugin has been silent for a second (true) and has answered again (false). */
  waiting(name: string, waiting: boolean): void;
}

function cannotAsk(name: string, what: string, text: string): never {
  throw pluginError(
    name,
    `asked for ${what} (${JSON.stringify(text)}), and there is no terminal to ask on`,
    "run secretgen on a terminal to answer the plugin",
  );
}

/** A UI without a terminal: messages are dropped, every question fails the session. */
export const headlessUI: PluginUI = {
  message: () => undefined,
  confirm: (name, text) => cannotAsk(name, "a confirmation", text),
  request: (name, text, secret) =>
    cannotAsk(name, secret ? "a secret (PIN or passphrase)" : "a value", text),
  waiting: () => undefined,
};

let current: PluginUI = headlessUI;

/** The UI sessions use unless given one: set once by the CLI. */
export function setPluginUI(ui: PluginUI): void {
  current = ui;
}

export function pluginUI(): PluginUI {
  return current;
}

function decodeChoice(conn: PluginConnection, arg: string | undefined): string | undefined {
  if (arg === undefined) return undefined;
  const bytes = decodeBase64NoPad(arg);
  if (bytes === null) {
    throw pluginError(conn.name, "broke the plugin protocol: a confirm option is not base64");
  }
  return pluginText(bytes);
}

/** Ask a question that is withdrawn if the plugin exits before it is answered. */
async function whilePluginRuns<T>(
  conn: PluginConnection,
  ask: (gone: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  let answered = false;
  void conn.gone().then((err) => {
    if (!answered) controller.abort(err);
  });
  try {
    return await ask(controller.signal);
  } finally {
    answered = true;
  }
}

/**
 * Answer `msg`, `confirm`, `request-public` and `request-secret`; false for any other command.
 * Values typed by the user go to the plugin's stdin only.
 */
export async function handleUserCommand(
  conn: PluginConnection,
  ui: PluginUI,
  s: WireStanza,
): Promise<boolean> {
  const text = pluginText(s.body);
  switch (s.type) {
    case "msg":
      ui.message(conn.name, text);
      conn.send("ok");
      return true;
    case "confirm": {
      if (s.args.length !== 1 && s.args.length !== 2) {
        throw pluginError(conn.name, "broke the plugin protocol: confirm needs 1 or 2 options");
      }
      const yes = decodeChoice(conn, s.args[0]) ?? "yes";
      const no = decodeChoice(conn, s.args[1]);
      const choice = await whilePluginRuns(conn, (gone) =>
        ui.confirm(conn.name, text, yes, no, gone),
      );
      conn.send("ok", [choice ? "yes" : "no"]);
      return true;
    }
    case "request-public":
    case "request-secret": {
      const secret = s.type === "request-secret";
      const value = await whilePluginRuns(conn, (gone) =>
        ui.request(conn.name, text, secret, gone),
      );
      conn.send("ok", [], Buffer.from(value, "utf8"));
      return true;
    }
    default:
      return false;
  }
}
