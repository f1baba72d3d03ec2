/**
 * Declaration validation reports every problem it finds, not just the first: a Problems list
 * collects them, and `throwIfAny` turns them into one DeclarationError (exit 2).
 */
import { ExitCode, SecretgenError, usageError } from "../errors.js";

export class DeclarationError extends SecretgenError {
  constructor(readonly problems: readonly SecretgenError[]) {
    const first = problems[0];
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
    super((first ? first.toString() : "invalid declarations") + more, {
      exitCode: ExitCode.usage,
      reason: "declarations",
    });
    this.name = "DeclarationError";
  }
}

export class Problems {
  readonly list: SecretgenError[] = [];

  /** Record a problem at `secrets."SECRET".FIELD` (or at a top-level FIELD when no secret). */
  add(message: string, where: { secret?: string; field?: string; hint?: string } = {}): void {
    this.list.push(usageError(message, { ...where, reason: "declarations" }));
  }

  /** Record an error thrown by a checker, keeping its own location when it has one. */
  addError(err: unknown, where: { secret?: string; field?: string }): void {
    if (err instanceof DeclarationError) {
      this.list.push(...err.problems);
    } else if (err instanceof SecretgenError) {
      this.list.push(
        usageError(err.message, {
          reason: "declarations",
          secret: err.secret ?? where.secret,
          field: err.field ?? where.field,
          hint: err.hint,
          cause: err,
        }),
      );
    } else {
      throw err;
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  throwIfAny(): void {
    if (!this.empty) throw new DeclarationError(this.list);
  }
}
