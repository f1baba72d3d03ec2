/**
 * Before decrypting anything: is one of the identities an admin's? Entropy files are encrypted
 * to the admins only, so with no admin identity every secret would fail on its own (one error
 * each). The recipient of an X25519 or ssh identity is computable, so say it once instead:
 * which identity is not an admin, and who the admins are. A plugin identity's recipient is
 * known only to its plugin: it may be an admin when an admin is a recipient of that plugin.
 */
import {
  identityRecipient,
  isPluginIdentity,
  shortRecipient,
  type Identity,
} from "../age/index.js";
import { runtimeError, type SecretgenError } from "../errors.js";

/** The error when none of `identities` is in `admins`; undefined when one is (or no admins). */
export function nonAdminError(
  identities: readonly Identity[],
  admins: readonly string[],
): SecretgenError | undefined {
  if (identities.length === 0 || admins.length === 0) return undefined;
  const wanted = new Set(admins);
  const mine = identities.map((id) => ({
    id,
    recipient: isPluginIdentity(id)
      ? `an age-plugin-${id.plugin} identity`
      : identityRecipient(id).text,
  }));
  if (mine.some((m) => wanted.has(m.recipient))) return undefined;
  const plugins = identities.filter(isPluginIdentity).map((id) => `age1${id.plugin}1`);
  if (admins.some((a) => plugins.some((prefix) => a.startsWith(prefix)))) return undefined;
  const given = mine.map((m) => `${m.id.source} (${shortRecipient(m.recipient)})`).join(", ");
  const list = admins.map(shortRecipient).join(", ");
  return runtimeError(
    `${mine.length === 1 ? "the identity" : "none of the identities"} ${given} ${
      mine.length === 1 ? "is not an admin" : "is an admin"
    }; the admins are: ${list}`,
    {
      reason: "not-admin",
      hint: 'pass -i FILE with an admin\'s identity, or have an admin add this recipient to "admins" and run `secretgen generate` (it rekeys every file)',
    },
  );
}
