/**
 * `secretgen init [--out FILE]`: the admin identity and, in a directory without a secrets tree,
 * the tree's first `secrets/secrets.json`.
 *
 * - The identity: a new age X25519 identity, mode 0600 in a 0700 directory; an existing file is
 *   never overwritten, its recipient is used instead.
 * - The tree: `secrets/secrets.json` with that recipient in `admins` (store/scaffold.ts), only
 *   where no `secrets/` exists in the directory (or `--root DIR`) or above it.
 *
 * Prints the recipient on stdout, what it did and the next steps on stderr.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, relative } from "node:path";
import { generateX25519Identity, identityRecipient, parseIdentities } from "../../age/index.js";
import { runtimeError } from "../../errors.js";
import { scaffoldTree } from "../../store/index.js";
import type { Session } from "../session.js";

async function recipientOf(secret: string, source: string): Promise<string> {
  const [identity] = await parseIdentities(secret, {
    source,
    passphrase: () => Promise.reject(runtimeError(`${source} is passphrase-protected`)),
  });
  if (identity === undefined) throw runtimeError(`${source} holds no identity`);
  return identityRecipient(identity).text;
}

/** Create the identity file, or read the recipient of the one already there. */
async function adminIdentity(path: string): Promise<{ recipient: string; created: boolean }> {
  if (existsSync(path)) {
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw runtimeError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
    }
    return { recipient: await recipientOf(text, path), created: false };
  }
  const secret = await generateX25519Identity();
  const recipient = await recipientOf(secret, path);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    writeFileSync(path, `# secretgen admin identity\n# public key: ${recipient}\n${secret}\n`, {
      flag: "wx",
      mode: 0o600,
    });
  } catch (err) {
    throw runtimeError(`cannot write ${path}: ${(err as Error).message}`, { cause: err });
  }
  return { recipient, created: true };
}

export default async function init(session: Session, opts: { out?: string }) {
  const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
  const path = opts.out ?? join(config, "secretgen", "admin.key");
  const { recipient, created } = await adminIdentity(path);
  const tree = scaffoldTree(session.cwd, recipient, session.opts.root);
  const out = session.output;
  out.out(recipient);
  out.info(
    created
      ? `secretgen: wrote ${path} (your admin identity: keep it private, keep a backup)`
      : `secretgen: ${path} already exists; it was not overwritten, its recipient is used`,
  );
  if (tree.kind === "existing") {
    out.info(`secretgen: ${join(tree.root, "secrets")} already exists; it was not touched`);
    out.hint(`add the recipient to "admins" in your declarations if it is not there yet`);
    return 0;
  }
  const shown = relative(session.cwd, tree.file) || tree.file;
  out.info(`secretgen: wrote ${shown} with this recipient in "admins"`);
  out.info(nextSteps(shown));
  return 0;
}

function nextSteps(file: string): string {
  return [
    "next steps:",
    `  1. add each host's key under "hosts" in ${file}: on the host it is`,
    "     /etc/ssh/ssh_host_ed25519_key.pub; from here, `ssh-keyscan -t ed25519 HOST`",
    '     (drop the leading host name): "hosts": { "web01": ["ssh-ed25519 AAAA…"] }',
    '  2. declare secrets under "secrets", e.g.',
    '     "db/password": { "hosts": ["web01"], "random": { "length": 32 } }',
    "  3. run `secretgen generate`, then commit secrets/ (only ciphertexts and public files)",
    "  4. in CI, run `secretgen check --offline` (needs no key)",
  ].join("\n");
}
