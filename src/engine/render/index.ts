/**
 * Rendering, the public face: one dispatcher from a generator spec to its pure renderer
 * (dispatch.ts; the generators in generators/, templates in ../template/, functions in
 * ../functions/), and the declaration-time check of JSON content.
 */
export { prepareRender, renderSpec } from "./dispatch.js";
export { checkJsonContent } from "./generators/json.js";
export { wireguardPublicKey } from "./generators/wireguard.js";
