import { describe, expect, it } from "vitest";
import { generateToken, hashToken, looksLikeToken } from "../../src/lib/tokens.js";

describe("mail tokens", () => {
  it("are random, URL-safe, 256 bits", () => {
    const tokens = new Set(Array.from({ length: 1000 }, generateToken));
    expect(tokens.size).toBe(1000);
    for (const token of tokens) expect(looksLikeToken(token)).toBe(true);
  });

  it("are stored as a SHA-256 hash that differs from the token", () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(token)).toBe(hashToken(token));
    expect(hashToken(token)).not.toContain(token);
  });

  it("rejects anything that is not one of ours before any query", () => {
    for (const value of [undefined, "", "abc", ["x"], "A".repeat(44), "A".repeat(42) + "/"]) {
      expect(looksLikeToken(value)).toBe(false);
    }
  });
});
