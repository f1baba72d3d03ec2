/**
 * Version of the byte → output mappings of the replayable renderers (docs/formats.md). Every
 * entropy record carries the version it was made with. A change to any mapping (an alphabet
 * order, the rejection rule, the salt draw, the JSON walk order, …) adds a new version and keeps
 * the old mapping reachable; it never edits a released one.
 */
export const RENDERER_VERSION = 1;
