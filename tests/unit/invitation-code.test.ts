import { describe, expect, it } from "vitest";
import { formatInvitationCode, generateInvitationCode, INVITATION_ALPHABET, normalizeInvitationCode } from "../../src/features/invitations/invitation-code.js";

describe("the invitation code", () => {
  it("is 12 characters of an alphabet without 0/O or 1/I/L, in three groups", () => {
    for (let i = 0; i < 50; i += 1) {
      const code = generateInvitationCode();
      expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      expect([...code.replaceAll("-", "")].every((character) => INVITATION_ALPHABET.includes(character))).toBe(true);
      expect(normalizeInvitationCode(code)).toBe(code);
    }
    expect(INVITATION_ALPHABET).not.toMatch(/[01OIL]/);
  });

  it("is formatted in groups of four", () => {
    expect(formatInvitationCode("K7P2X9QM4TZA")).toBe("K7P2-X9QM-4TZA");
  });

  it("is read as typed from paper: any case, spaces or dashes anywhere", () => {
    expect(normalizeInvitationCode("k7p2 x9qm-4tza")).toBe("K7P2-X9QM-4TZA");
    expect(normalizeInvitationCode("  K7P2X9QM4TZA ")).toBe("K7P2-X9QM-4TZA");
    expect(normalizeInvitationCode("k7p2.x9qm.4tza")).toBe("K7P2-X9QM-4TZA");
  });

  it("is not a code when too short, too long, or with a character the alphabet leaves out", () => {
    expect(normalizeInvitationCode("K7P2-X9QM-4TZ")).toBeNull();
    expect(normalizeInvitationCode("K7P2-X9QM-4TZAB")).toBeNull();
    expect(normalizeInvitationCode("K7P2-X9QM-4TZ0")).toBeNull();
    expect(normalizeInvitationCode("O7P2-X9QM-4TZA")).toBeNull();
    expect(normalizeInvitationCode("")).toBeNull();
  });

  it("is nothing when what came is not text (a repeated or crafted field)", () => {
    expect(normalizeInvitationCode(undefined)).toBeNull();
    expect(normalizeInvitationCode(["K7P2-X9QM-4TZA"])).toBeNull();
    expect(normalizeInvitationCode({ code: "K7P2-X9QM-4TZA" })).toBeNull();
  });
});
