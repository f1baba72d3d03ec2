/**
 * Every runtime input must have a `bin/` directory: the script's PATH is made of them, and an
 * entry without one (`"/usr/bin"` instead of `"/usr"`) would leave the script failing later with
 * `command not found` and no word about why.
 */
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { quote, runtimeError } from "../../errors.js";

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Throws (exit 3, naming the entry) for the first runtime input without a `bin/` directory (a
 * package's output without programs, such as a library output of a multi-output package).
 */
export async function checkBinDirs(
  runtimeInputs: readonly string[],
  secret: string,
): Promise<void> {
  for (const [i, input] of runtimeInputs.entries()) {
    const dir = resolve(input);
    if (await isDirectory(join(dir, "bin"))) continue;
    const exists = await isDirectory(dir);
    // A store path is there once realised; one still missing is left to nix-store's report.
    if (!exists && dir.startsWith("/nix/store/")) continue;
    const parent = dir.endsWith("/bin") ? dir.slice(0, -4) || "/" : undefined;
    throw runtimeError(
      `${quote(input)} ${exists ? "has no bin/ directory" : "does not exist"}; the script's PATH is each runtime input's bin/`,
      {
        reason: "script",
        secret,
        field: `script.runtimeInputs[${i}]`,
        hint: parent === undefined ? undefined : `give ${quote(parent)}: its bin/ goes on PATH`,
      },
    );
  }
}
