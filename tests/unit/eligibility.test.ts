import { describe, expect, it } from "vitest";
import { ageOn, ineligibilityReasons, type EligibilityAnswers } from "../../src/domain/eligibility.js";

const PA = { code: "PA", label: "Personne âgée", minimumAge: 60, mustBeNonTaxable: true };
const AH = { code: "AH", label: "Personne handicapée", minimumAge: null, mustBeNonTaxable: true };
const AC = { code: "AC", label: "Ancien combattant", minimumAge: 65, mustBeNonTaxable: false };
const VG = { code: "VG", label: "Veuve de guerre", minimumAge: 65, mustBeNonTaxable: false };
const today = new Date(Date.UTC(2026, 10, 27));
const born = (year: number, month = 1, day = 1) => new Date(Date.UTC(year, month - 1, day));
const base: EligibilityAnswers = { statutCode: "PA", residentOneYear: true, taxable: false, retired: true, otherTransportAid: false };

describe("eligibility", () => {
  it("accepts a retired, non-taxable person of 60 living in the département for a year", () => {
    expect(ineligibilityReasons(base, PA, born(1966, 11, 27), today)).toEqual([]);
  });

  it("counts age to the day", () => {
    expect(ageOn(born(1966, 11, 28), today)).toBe(59);
    expect(ageOn(born(1966, 11, 27), today)).toBe(60);
  });

  it("refuses under the minimum age, and explains it with the figure", () => {
    expect(ineligibilityReasons(base, PA, born(1966, 11, 28), today)).toEqual(["Pour la situation « Personne âgée », il faut avoir au moins 60 ans."]);
  });

  it("does not refuse for an unknown birth date (the agent checks the documents)", () => {
    expect(ineligibilityReasons(base, PA, null, today)).toEqual([]);
  });

  it("needs one year of domicile, and no Chèque Taxi or carte Solidarité Transport, whatever the situation", () => {
    const reasons = ineligibilityReasons({ ...base, residentOneYear: false, otherTransportAid: true }, PA, null, today);
    expect(reasons).toHaveLength(2);
  });

  it("applies the income condition to PA and AH only", () => {
    expect(ineligibilityReasons({ ...base, taxable: true }, PA, null, today)).toHaveLength(1);
    expect(ineligibilityReasons({ ...base, statutCode: "AH", retired: undefined, disabilityBenefit: true, taxable: true }, AH, null, today)).toHaveLength(1);
    expect(ineligibilityReasons({ ...base, statutCode: "AC", retired: undefined, holdsTitle: true, taxable: true }, AC, born(1950), today)).toEqual([]);
    expect(ineligibilityReasons({ ...base, statutCode: "VG", retired: undefined, holdsTitle: true, taxable: true }, VG, born(1950), today)).toEqual([]);
  });

  it("checks each situation's own condition", () => {
    expect(ineligibilityReasons({ ...base, retired: false }, PA, null, today)[0]).toContain("retraité");
    expect(ineligibilityReasons({ ...base, statutCode: "AH", disabilityBenefit: false }, AH, null, today)[0]).toContain("AAH");
    expect(ineligibilityReasons({ ...base, statutCode: "AC", holdsTitle: false }, AC, born(1950), today)[0]).toContain("carte du combattant");
    expect(ineligibilityReasons({ ...base, statutCode: "VG", holdsTitle: false }, VG, born(1950), today)[0]).toContain("veuve de guerre");
    expect(ineligibilityReasons({ ...base, statutCode: "AC", holdsTitle: true }, AC, born(1962), today)[0]).toContain("65 ans");
  });
});
