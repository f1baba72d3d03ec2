/**
 * What valid declarations may still get wrong, said as warnings (on every command, `check` and
 * `check --offline` included; none of them fails a run):
 *
 * - a host without keys (a machine not installed yet, `sg.recipientFile` of a file not there
 *   yet): its secrets are encrypted to the admins and their other recipients; when its key is
 *   declared, the next `generate` rekeys them, values unchanged;
 * - a secret with no hosts: only the admins can read it;
 * - a `mode` that gives other users on the host any access.
 */
import type { Warning } from "../errors.js";
import type { Declarations } from "./types.js";

const list = (names: readonly string[]) => names.map((n) => JSON.stringify(n)).join(", ");

export function declarationWarnings(decls: Declarations): Warning[] {
  const out: Warning[] = [];
  const users = new Map<string, string[]>();
  for (const decl of decls.secrets.values()) {
    for (const h of decl.hosts) {
      const list = users.get(h);
      if (list === undefined) users.set(h, [decl.name]);
      else list.push(decl.name);
    }
  }
  for (const [host, keys] of Object.entries(decls.hosts)) {
    if (keys.length > 0) continue;
    const secrets = users.get(host) ?? [];
    out.push({
      field: `hosts.${host}`,
      message:
        secrets.length === 0
          ? "has no keys yet (no secret lists it)"
          : `has no keys yet; ${secrets.length === 1 ? "its secret" : "its secrets"} ${list(secrets)} ${secrets.length === 1 ? "is" : "are"} encrypted without it (to the admins and other recipients) until its key is declared, then \`secretgen generate\` rekeys ${secrets.length === 1 ? "it" : "them"} (values unchanged)`,
    });
  }
  for (const decl of decls.secrets.values()) {
    const secret = decl.name;
    if (decl.hosts.length === 0)
      out.push({ secret, message: "has no hosts: only the admins can read it" });
    if (decl.mode !== undefined && (parseInt(decl.mode, 8) & 0o007) !== 0) {
      const what = (parseInt(decl.mode, 8) & 0o004) !== 0 ? "read" : "use";
      out.push({
        secret,
        field: "mode",
        message: `${JSON.stringify(decl.mode)} lets every user on the host ${what} it`,
      });
    }
  }
  return out;
}
