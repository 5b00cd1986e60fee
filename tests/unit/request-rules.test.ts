import { describe, expect, it } from "vitest";
import { formatEuros, participationFor } from "../../src/domain/participation.js";
import { parseBirthDate, parseFrenchPhone } from "../../src/domain/profile-values.js";
import { allowedTransitions, assertTransition, canTransition, isFinished, TransitionRefused } from "../../src/features/status/request-status.js";
import { requiredDocumentSections } from "../../src/domain/required-documents.js";
import { FieldCipher } from "../../src/lib/encryption.js";

describe("participation", () => {
  const zonages = [
    { code: "Z1_5", label: "Zones 1 à 5", yearlyParticipationCents: 4200 },
    { code: "Z3_5", label: "Zones 3 à 5", yearlyParticipationCents: 2450 },
  ];
  it("is the yearly amount of the chosen zonage", () => {
    expect(participationFor(zonages, "Z1_5")).toBe(4200);
    expect(participationFor(zonages, "inconnu")).toBeNull();
  });
  it("is shown in euros the French way", () => {
    expect(formatEuros(4200)).toBe("42 €");
    expect(formatEuros(2450)).toBe("24,50 €");
  });
});

describe("required documents", () => {
  const codes = (answers: Parameters<typeof requiredDocumentSections>[0]) => requiredDocumentSections(answers).map((section) => section.code);
  it("asks identity, tax notice and Navigo always", () => {
    expect(codes({ type: "RENEWAL", directDebit: false, situationDocument: null })).toEqual(["IDENTITY", "TAX_NOTICE", "NAVIGO"]);
  });
  it("adds the RIB with direct debit", () => {
    expect(codes({ type: "RENEWAL", directDebit: true, situationDocument: null })).toContain("RIB");
  });
  it("adds the proof of address and of situation for a first request, naming the situation's document", () => {
    const sections = requiredDocumentSections({ type: "FIRST", directDebit: false, situationDocument: "Carte du combattant" });
    expect(sections.map((section) => section.code)).toEqual(["IDENTITY", "TAX_NOTICE", "NAVIGO", "ADDRESS", "SITUATION"]);
    expect(sections.at(-1)!.hint).toBe("Carte du combattant");
  });
});

describe("request state machine", () => {
  it("lets the applicant submit, add a document and withdraw, nothing else", () => {
    expect(canTransition("DRAFT", "SUBMITTED", "applicant")).toBe(true);
    expect(canTransition("AWAITING_DOCUMENT", "DOCUMENT_RECEIVED", "applicant")).toBe(true);
    expect(canTransition("SUBMITTED", "CLOSED", "applicant")).toBe(true);
    expect(canTransition("IN_REVIEW", "APPROVED", "applicant")).toBe(false);
    expect(canTransition("SUBMITTED", "DOCUMENT_RECEIVED", "applicant")).toBe(false);
    expect(allowedTransitions("SUBMITTED", "applicant")).toEqual(["CLOSED"]);
  });
  it("never leaves a finished status", () => {
    for (const status of ["APPROVED", "REFUSED", "CLOSED"] as const) {
      expect(isFinished(status)).toBe(true);
      expect(allowedTransitions(status, "agent")).toEqual([]);
    }
  });
  it("refuses a transition with a clear French error", () => {
    expect(() => assertTransition("APPROVED", "IN_REVIEW", "agent")).toThrow(TransitionRefused);
    expect(() => assertTransition("APPROVED", "IN_REVIEW", "agent")).toThrow("Une demande « Validée » ne peut pas passer à « En cours d'instruction ».");
  });
});

describe("profile values", () => {
  const today = new Date(Date.UTC(2026, 10, 27));
  it.each([
    ["18/06/1950", "1950-06-18"],
    ["1-2-1940", "1940-02-01"],
    ["1950-06-18", "1950-06-18"],
  ])("date %s", (input, iso) => {
    const parsed = parseBirthDate(input, today);
    expect(parsed.ok && parsed.value.toISOString().slice(0, 10)).toBe(iso);
  });
  it.each(["31/02/1950", "18/06/2030", "1850-01-01", "hier"])("refuses date %s", (input) => expect(parseBirthDate(input, today).ok).toBe(false));
  it.each([
    ["06.12.34.56.78", "mobile", "06 12 34 56 78"],
    ["+33 7 12 34 56 78", "mobile", "07 12 34 56 78"],
    ["0143939393", "fixe", "01 43 93 93 93"],
    ["", "fixe", null],
  ] as const)("phone %s", (input, kind, expected) => {
    const parsed = parseFrenchPhone(input, kind);
    expect(parsed.ok && parsed.value).toBe(expected);
  });
  it.each([
    ["0612", "mobile"],
    ["0143939393", "mobile"],
    ["0612345678", "fixe"],
  ] as const)("refuses phone %s as %s", (input, kind) => expect(parseFrenchPhone(input, kind).ok).toBe(false));
});

describe("IBAN encryption", () => {
  const cipher = new FieldCipher(Buffer.alloc(32, 9).toString("base64"));
  it("round-trips, with a fresh IV each time", () => {
    const a = cipher.encrypt("FR7630006000011234567890189");
    const b = cipher.encrypt("FR7630006000011234567890189");
    expect(a).not.toBe(b);
    expect(a).not.toContain("FR76");
    expect(cipher.decrypt(a)).toBe("FR7630006000011234567890189");
  });
  it("detects tampering and a wrong key", () => {
    const stored = cipher.encrypt("FR7630006000011234567890189");
    const tampered = `v1:${Buffer.from(Buffer.from(stored.slice(3), "base64").map((byte, index) => (index === 30 ? byte ^ 1 : byte))).toString("base64")}`;
    expect(() => cipher.decrypt(tampered)).toThrow();
    expect(() => new FieldCipher(Buffer.alloc(32, 1).toString("base64")).decrypt(stored)).toThrow();
    expect(() => new FieldCipher("court")).toThrow();
  });
});
