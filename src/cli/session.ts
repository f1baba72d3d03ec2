/**
 * What every command needs, built from the global options: the repository root and layout, the
 * declarations, and (for commands that decrypt) the admin identities.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { Identity } from "../age/index.js";
import type { Declarations } from "../declarations/index.js";
import { usageError, type Warning } from "../errors.js";
import { Layout, findRoot } from "../store/index.js";
import type { Output } from "./output.js";
import { installPluginUI } from "./plugin-ui.js";
import { declarationSource } from "./sources.js";
import { createProgress, type Progress } from "./progress.js";

export interface GlobalOptions {
  config?: string;
  nix?: string;
  nixAttr?: string;
  identity?: string[];
  root?: string;
  jobs?: number;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  wait?: number;
}

export class Session {
  /** The warnings printed before a run's report (declarations, key files, the lock): --json lists them too. */
  readonly warned: Warning[] = [];
  private declsCache: Declarations | undefined;
  private layoutCache: Layout | undefined;

  constructor(
    readonly opts: GlobalOptions,
    readonly output: Output,
    readonly cwd: string = process.cwd(),
  ) {
    installPluginUI();
  }

  /** Progress on a terminal for long runs (not with --quiet or --json). */
  progress(label: string): Progress {
    return createProgress({
      enabled: !this.opts.quiet && !this.opts.json,
      label: `secretgen: ${label}`,
    });
  }

  /** Print a warning now, and keep it for the report's `warnings`. */
  warn(warning: Warning): void {
    this.warned.push(warning);
    this.output.warning(warning);
  }

  /** The repository layout (the root is found once, on first use). */
  get layout(): Layout {
    this.layoutCache ??= new Layout(findRoot(this.cwd, this.opts.root));
    return this.layoutCache;
  }

  async declarations(opts: { checkTemplates?: boolean } = {}): Promise<Declarations> {
    if (this.declsCache === undefined) {
      const { loadDeclarations, declarationWarnings } = await import("../declarations/index.js");
      const checks =
        opts.checkTemplates === false
          ? undefined
          : await (await import("../engine/index.js")).declarationChecks();
      this.declsCache = await loadDeclarations({
        source: declarationSource(this.opts),
        layout: this.layout,
        cwd: this.cwd,
        checks,
      });
      for (const w of declarationWarnings(this.declsCache)) this.warn(w);
    }
    return this.declsCache;
  }

  /** Identity files to try: -i, then $SECRETGEN_IDENTITY, the secretgen admin key, ~/.ssh keys. */
  identityPaths(): { paths: string[]; explicit: boolean } {
    if (this.opts.identity !== undefined && this.opts.identity.length > 0) {
      return { paths: this.opts.identity, explicit: true };
    }
    const env = process.env.SECRETGEN_IDENTITY;
    if (env !== undefined && env !== "") return { paths: [env], explicit: true };
    const config = process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
    const candidates = [
      join(config, "secretgen", "admin.key"),
      join(homedir(), ".ssh", "id_ed25519"),
      join(homedir(), ".ssh", "id_rsa"),
    ];
    return { paths: candidates.filter((p) => existsSync(p)), explicit: false };
  }

  /**
   * Load the admin identities. With `required`, no identity at all is a usage error (exit 2)
   * suggesting `check --offline`. Unless `admin: false`, one of them must be an admin's
   * (admin-identities.ts): otherwise one error, exit 3, before anything is decrypted.
   */
  async identities(purpose: string, opts: { admin?: boolean } = {}): Promise<Identity[]> {
    const { paths, explicit } = this.identityPaths();
    if (paths.length === 0) {
      throw usageError(`${purpose} needs an admin identity, and none was found`, {
        reason: "no-identity",
        hint: "pass -i FILE or set SECRETGEN_IDENTITY; `secretgen check --offline` needs no key",
      });
    }
    const { loadIdentityFile } = await import("../age/index.js");
    const { passphraseFor } = await import("./prompt.js");
    const out: Identity[] = [];
    for (const path of paths) {
      if (explicit && !existsSync(path)) {
        throw usageError(`identity file ${path} does not exist`, { reason: "no-identity" });
      }
      const { identities, warnings } = await loadIdentityFile(path, { passphrase: passphraseFor });
      for (const w of warnings) this.warn(w);
      out.push(...identities);
    }
    if (opts.admin !== false) {
      const { nonAdminError } = await import("./admin-identities.js");
      const err = nonAdminError(out, (await this.declarations()).admins);
      if (err !== undefined) throw err;
    }
    return out;
  }
}
