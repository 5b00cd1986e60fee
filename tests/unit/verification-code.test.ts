import { describe, expect, it } from "vitest";
import { generateVerificationCode, normalizeVerificationCode } from "../../src/features/proofs/verification-code.js";

describe("The verification code of a proof", () => {
  it("is 12 characters in three groups, without look-alike letters and digits", () => {
    const codes = new Set(Array.from({ length: 500 }, generateVerificationCode));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });

  it.each([
    ["H4RT-9KXW-M2PZ", "H4RT-9KXW-M2PZ"],
    ["h4rt 9kxw m2pz", "H4RT-9KXW-M2PZ"],
    ["  H4RT9KXWM2PZ ", "H4RT-9KXW-M2PZ"],
  ])("reads « %s » as « %s »", (typed, code) => {
    expect(normalizeVerificationCode(typed)).toBe(code);
  });

  it.each(["", "H4RT-9KXW-M2P", "H4RT-9KXW-M2PZZ", "H4RT-9KXW-M2P0", "H4RT-9KXW-M2PI", "H4RT_9KXW_M2PZ", "É4RT-9KXW-M2PZ"])("refuses « %s »", (typed) => {
    expect(normalizeVerificationCode(typed)).toBeNull();
  });
});
