/**
 * `secretgen init [--out FILE]`: a new age X25519 admin identity, mode 0600 in a 0700 directory,
 * never overwriting. Prints the recipient on stdout and a hint on stderr.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { generateX25519Identity, identityRecipient, parseIdentities } from "../../age/index.js";
import { runtimeError } from "../../errors.js";
import type { Session } from "../session.js";

export default async function init(session: Session, opts: { out?: string }) {
  const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
  const path = opts.out ?? join(config, "secretgen", "admin.key");
  const secret = await generateX25519Identity();
  const [identity] = await parseIdentities(secret, {
    source: path,
    passphrase: () => Promise.reject(new Error("unused")),
  });
  if (identity === undefined) throw new Error("generated identity did not parse");
  const recipient = identityRecipient(identity).text;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `# secretgen admin identity\n# public key: ${recipient}\n${secret}\n`, {
      flag: "wx",
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      throw runtimeError(`${path} already exists; it was not overwritten`, {
        hint: "pass --out FILE for a new one",
      });
    }
    throw runtimeError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  session.output.out(recipient);
  session.output.hint(`wrote ${path}; add its recipient to "admins" in your declarations`);
  return 0;
}
