import { describe, expect, it } from "vitest";
import { formatComputedAt } from "../../src/features/statistics/statistics-figures.js";

describe("« Chiffres calculés le … »", () => {
  it("says the instant in Paris time, the hour as « 18 h 52 », the first of a month as « 1er »", () => {
    expect(formatComputedAt(new Date("2026-11-29T17:52:00Z"))).toBe("29 novembre 2026 à 18 h 52");
    // Summer time (UTC+2), and the Paris day that begins before the UTC one.
    expect(formatComputedAt(new Date("2026-07-14T22:05:00Z"))).toBe("15 juillet 2026 à 0 h 05");
    expect(formatComputedAt(new Date("2026-11-30T23:30:00Z"))).toBe("1er décembre 2026 à 0 h 30");
    expect(formatComputedAt(new Date("2026-12-01T08:09:00Z"))).toBe("1er décembre 2026 à 9 h 09");
  });
});
