import { describe, expect, it } from "vitest";
import { countCharacterKinds, isCommonPassword, passwordProblem } from "../../src/domain/password-policy.js";

describe("password rule", () => {
  it.each([
    ["Améthyste-93-Bobigny", null],
    ["abcdefghijk1A", null], // 13 characters, 3 kinds
    ["tres long mot de passe 2026", null], // lower, digit, special
  ])("accepts %s", (password, expected) => {
    expect(passwordProblem(password)).toBe(expected);
  });

  it.each([
    ["Court-1a", "au moins 12 caractères"],
    ["abcdefghijklmnop", "au moins 3 des 4 types"],
    ["ABCDEFGH12345", "au moins 3 des 4 types"],
    ["Password1234!", "trop courant"],
    ["Qwerty123456", "trop courant"],
    ["Motdepasse2024!", "trop courant"],
    ["Azerty123456", "trop courant"],
    ["A1-" + "x".repeat(130), "au plus 128"],
  ])("refuses %s", (password, message) => {
    expect(passwordProblem(password)).toContain(message);
  });

  it("counts the four kinds, accents included", () => {
    expect(countCharacterKinds("é")).toBe(1);
    expect(countCharacterKinds("Éa1!")).toBe(4);
    expect(countCharacterKinds("aaa bbb")).toBe(2);
  });

  it("finds common passwords whatever the case and the digits around them", () => {
    expect(isCommonPassword("PASSWORD")).toBe(true);
    expect(isCommonPassword("2024Sunshine!!")).toBe(true);
    expect(isCommonPassword("Vélo-Rouge-Bobigny")).toBe(false);
  });
});
