/**
 * Thrown by a check whose code is not loaded yet (a template engine is loaded on first use):
 * validation waits for `loaded`, then starts again.
 */
export class CheckLoading extends Error {
  constructor(readonly loaded: Promise<unknown>) {
    super("a declaration check is loading");
    this.name = "CheckLoading";
  }
}
