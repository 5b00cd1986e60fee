import { describe, expect, it } from "vitest";
import { cursorOffset, deepPage } from "../../scripts/bench/deep-pages.js";

describe("bench:queue's deep pages", () => {
  it("opens the deepest page asked for on a large queue, as it did", () => {
    // 500,000 requests; IN_REVIEW + Z2_5 (one in 21); « Mes demandes » (one in 10).
    expect(deepPage(500_000, 2000)).toBe(2000);
    expect(deepPage(23_810, 200)).toBe(200);
    expect(deepPage(50_000, 200)).toBe(200);
    expect(cursorOffset(2000)).toBe(99_949);
  });

  it("stays within a small queue: the last full page, and no deep page under two full pages", () => {
    // bench:queue -- 500: 500 requests, 24 with IN_REVIEW + Z2_5, 50 of the bench's agent.
    expect(deepPage(500, 2000)).toBe(10);
    expect(deepPage(24, 200)).toBeNull();
    expect(deepPage(50, 200)).toBeNull();
    expect(deepPage(99, 200)).toBeNull();
    expect(deepPage(100, 200)).toBe(2);
    expect(deepPage(0, 200)).toBeNull();
  });

  it("never gives a negative OFFSET: page 2 starts after row 49, and page 1 has no cursor", () => {
    expect(cursorOffset(2)).toBe(49);
    for (const page of [1, 0, -1, 1.5]) expect(() => cursorOffset(page)).toThrow(RangeError);
  });
});
