import { describe, expect, it } from "vitest";
import { FEATURE_DEPENDENCIES, findCycle } from "../../eslint.features.js";

describe("The features' allowed dependencies (eslint.features.js)", () => {
  it("have no cycle", () => {
    expect(findCycle(FEATURE_DEPENDENCIES)).toBeNull();
  });

  it("would be refused with one", () => {
    expect(findCycle({ a: ["b"], b: ["c"], c: ["a"], d: [] })).toEqual(["a", "b", "c", "a"]);
    expect(findCycle({ agent: ["admin"], admin: ["agent"] })).toEqual(["agent", "admin", "agent"]);
  });
});
