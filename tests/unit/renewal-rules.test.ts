/** What a renewal carries over from the previous request: revenue only from this year's notice, and which documents. */
import { describe, expect, it } from "vitest";
import { reusableDocuments, revenueStillValid } from "../../src/features/renewals/renewal-service.js";

const file = (section: string) => ({
  id: section,
  requestId: "r",
  section,
  originalName: `${section}.pdf`,
  storedName: section.toLowerCase(),
  mimeType: "application/pdf",
  sizeBytes: 1,
  uploadedAt: new Date(),
  reused: false,
});
const ALL = ["IDENTITY", "TAX_NOTICE", "NAVIGO", "RIB", "ADDRESS", "SITUATION", "COMPLEMENT"].map(file);

describe("a renewal", () => {
  it("reuses the revenue figures only from a request sent in the same calendar year", () => {
    expect(revenueStillValid(new Date("2026-02-10T10:00:00Z"), new Date("2026-11-29T10:00:00Z"))).toBe(true);
    expect(revenueStillValid(new Date("2025-12-20T10:00:00Z"), new Date("2026-01-05T10:00:00Z"))).toBe(false);
    expect(revenueStillValid(null, new Date("2026-11-29T10:00:00Z"))).toBe(false);
  });

  it("reuses the identity document, the Navigo copy and, paying by direct debit, the RIB; never the tax notice", () => {
    expect(reusableDocuments({ directDebit: true, documents: ALL }).map((document) => document.section)).toEqual(["IDENTITY", "NAVIGO", "RIB"]);
    expect(reusableDocuments({ directDebit: false, documents: ALL }).map((document) => document.section)).toEqual(["IDENTITY", "NAVIGO"]);
  });
});
