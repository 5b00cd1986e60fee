import { describe, expect, it } from "vitest";
import { formatShares, maskIban, parseBic, parseIban, parseNavigoNumber, parseTaxIncome, parseTaxShares } from "../../src/domain/identifiers.js";

const value = <T>(result: { ok: boolean; value?: T; message?: string }) => (result.ok ? result.value : result.message);

describe("Navigo number", () => {
  it.each([
    ["A 1234 5678", "12345678"],
    ["12 34 56 78 90", "1234567890"],
    ["1234567890B", "1234567890"],
    [" 0012345678 ", "0012345678"],
  ])("%s → %s", (input, expected) => expect(value(parseNavigoNumber(input))).toBe(expected));

  it.each(["", "12AB34", "1234", "1234567890123", "A"])("refuses %s", (input) => expect(parseNavigoNumber(input).ok).toBe(false));
});

describe("IBAN", () => {
  it("accepts a French IBAN typed with spaces and lower case", () => {
    expect(value(parseIban("fr76 3000 6000 0112 3456 7890 189"))).toBe("FR7630006000011234567890189");
  });
  it("accepts other SEPA countries with their own length", () => {
    expect(value(parseIban("DE89 3704 0044 0532 0130 00"))).toBe("DE89370400440532013000");
  });
  it.each([
    ["FR76 3000 6000 0112 3456 7890 180", "n'est pas valide"], // mod-97
    ["FR76 3000 6000 0112 3456 7890 18", "n'est pas valide"], // length
    ["XX76 3000 6000 0112 3456 7890 189", "n'est pas valide"], // country
    ["7630006000011234567890189", "commence par 2 lettres"],
    ["", "Indiquez le numéro IBAN."],
  ])("refuses %s", (input, message) => expect(value(parseIban(input))).toContain(message));
  it("masks all but the last 4 characters", () => expect(maskIban("0189")).toBe("•••• •••• •••• •••• •••• 0189"));
});

describe("BIC", () => {
  it.each([
    ["agrifrpp", "AGRIFRPP"],
    ["BNPA FR PP XXX", "BNPAFRPPXXX"],
  ])("%s → %s", (input, expected) => expect(value(parseBic(input))).toBe(expected));
  it.each(["", "AGRI", "AGRIFRPPX", "12345678"])("refuses %s", (input) => expect(parseBic(input).ok).toBe(false));
});

describe("tax figures", () => {
  it.each([
    ["0", 0],
    ["12 500", 12500],
    ["12500 €", 12500],
  ])("revenu fiscal %s → %d", (input, expected) => expect(value(parseTaxIncome(input))).toBe(expected));
  it.each(["", "12,50", "-1", "douze"])("refuses revenu fiscal %s", (input) => expect(parseTaxIncome(input).ok).toBe(false));
  it.each([
    ["1", 1],
    ["1,5", 1.5],
    ["2.25", 2.25],
    ["10", 10],
  ])("parts %s → %d", (input, expected) => expect(value(parseTaxShares(input))).toBe(expected));
  it.each(["", "0,75", "10,25", "1,3", "un"])("refuses parts %s", (input) => expect(parseTaxShares(input).ok).toBe(false));
  it("shows parts with a French comma", () => expect(formatShares(2.5)).toBe("2,5"));
});
