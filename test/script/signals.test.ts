/**
 * SIGINT/SIGTERM of the process running a script: its process group is killed, the private
 * directory removed, and the signal's default behaviour follows (the process dies of it).
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterEach, expect, it } from "vitest";
import { describeWithTools } from "../helpers/tools.js";
import { allGone, cleanupScratch, leftovers, scratch, toolsInput } from "./helpers.js";

afterEach(cleanupScratch);

const FIXTURES = resolve(import.meta.dirname, "fixtures");

async function waitFor<T>(probe: () => T | undefined, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeWithTools(["sleep"], "interrupted while a script runs", () => {
  it.for(["SIGINT", "SIGTERM"] as const)("%s leaves nothing behind", async (signal) => {
    const parent = scratch("sg-xdg-");
    const child = spawn(
      process.execPath,
      [
        "--import",
        join(FIXTURES, "register-ts.mjs"),
        join(FIXTURES, "interrupted.ts"),
        toolsInput(["sleep"]),
      ],
      { env: { ...process.env, XDG_RUNTIME_DIR: parent }, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.on("exit", (code, sig) => {
        res({ code, signal: sig });
      }),
    );

    const tmp = await waitFor(() => {
      if (child.exitCode !== null) throw new Error(`child exited early: ${stderr}`);
      const dir = readdirSync(parent).find((e) => e.startsWith(`secretgen-${child.pid ?? 0}-`));
      const t = dir === undefined ? undefined : join(parent, dir, "tmp");
      return t !== undefined && existsSync(join(t, "started")) ? t : undefined;
    });
    const pids = ["pid", "bg"].map((f) => Number(readFileSync(join(tmp, f), "utf8")));
    expect(existsSync(join(tmp, "..", "secrets", "dep"))).toBe(true);

    child.kill(signal);
    const result = await Promise.race([
      exited,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          child.kill("SIGKILL");
          reject(new Error(`child did not exit on ${signal}: ${stderr}`));
        }, 10_000),
      ),
    ]);
    expect(result, stderr).toEqual({ code: null, signal });
    expect(leftovers(parent)).toEqual([]);
    expect(await allGone(pids)).toBe(true);
  });
});
