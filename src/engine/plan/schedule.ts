/**
 * The order decisions are made in: each secret is decided once, when first asked for; a reader
 * waits for the secrets it reads; a wait that would close a cycle is a declaration error; and at
 * most `slots` scripts run at once. What a decision is, is decide.ts's business.
 */
import { usageError } from "../../errors.js";

export class Scheduler {
  private readonly inflight = new Map<string, Promise<void>>();
  /** Reader → the secret it is waiting for: the waits-for graph that finds cycles. */
  private readonly waitsFor = new Map<string, string>();
  private scriptsRunning = 0;
  private readonly scriptQueue: (() => void)[] = [];

  constructor(
    /** How many secrets are declared (no cycle is longer). */
    private readonly size: number,
    /** How many scripts may run at once. */
    private readonly slots: number,
  ) {}

  /**
   * Wait until `name` is decided, starting its decision (`start`, called once per name) when
   * nobody asked for it before. `reader` is the secret waiting for it, if any.
   */
  async wait(name: string, reader: string | undefined, start: () => Promise<void>): Promise<void> {
    if (reader !== undefined) this.checkCycle(reader, name);
    let pending = this.inflight.get(name);
    if (pending === undefined) {
      pending = start();
      this.inflight.set(name, pending);
    }
    if (reader !== undefined) this.waitsFor.set(reader, name);
    try {
      await pending;
    } finally {
      if (reader !== undefined) this.waitsFor.delete(reader);
    }
  }

  /** Fail when `reader` waiting for `name` would close a cycle. */
  private checkCycle(reader: string, name: string): void {
    if (reader === name) throw usageError("reads its own value", { secret: name });
    const path = [reader, name];
    for (let cur: string | undefined = name; cur !== undefined; cur = this.waitsFor.get(cur)) {
      if (cur === reader) {
        // Name the cycle from its first member, so the message does not depend on timing.
        const start = path.indexOf([...path].sort()[0] ?? reader);
        const cycle = [...path.slice(start), ...path.slice(0, start)];
        throw usageError(`dependency cycle: ${[...cycle, cycle[0]].join(" -> ")}`, {
          secret: cycle[0],
        });
      }
      if (cur !== name) path.push(cur);
      if (path.length > this.size + 2) break;
    }
  }

  /** Run a script when one of the slots is free. */
  async withScriptSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.scriptsRunning >= this.slots) {
      await new Promise<void>((resolve) => this.scriptQueue.push(resolve));
    }
    this.scriptsRunning++;
    try {
      return await fn();
    } finally {
      this.scriptsRunning--;
      this.scriptQueue.shift()?.();
    }
  }
}
