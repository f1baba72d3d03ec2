import { expect, it } from "vitest";
import { FUNCTION_NAMES } from "../../src/engine/functions/index.js";
import { FUNCTION_NAME_LIST } from "../../src/declarations/function-names.js";

it("the light list of function names is the registry's", () => {
  expect([...FUNCTION_NAME_LIST]).toEqual([...FUNCTION_NAMES]);
});
