import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDay, formatEuros, formatNumber, formatShortDateTime, formatSize, formatTimestamp } from "../../src/views/format.js";
import { frenchList } from "../../src/lib/french-list.js";
import { uploadRules } from "../../src/views/upload-rules.js";

const winter = new Date("2026-01-15T23:30:00Z");
const summer = new Date("2026-07-01T09:05:42Z");

describe("dates in the pages", () => {
  it("show an instant in Paris time, summer and winter alike", () => {
    expect(formatShortDateTime(winter)).toBe("16/01/2026 00:30");
    expect(formatShortDateTime(summer)).toBe("01/07/2026 11:05");
    expect(formatTimestamp(summer)).toBe("01/07/2026 11:05:42");
    expect(formatDay(winter)).toBe("16 janvier 2026");
    expect(formatDateTime(summer)).toMatch(/^1 juillet 2026 à 11:05$/);
  });

  it("read the same as the toLocaleString calls they replace", () => {
    for (const instant of [winter, summer]) {
      expect(formatDateTime(instant)).toBe(instant.toLocaleString("fr-FR", { timeZone: "Europe/Paris", dateStyle: "long", timeStyle: "short" }));
      expect(formatShortDateTime(instant)).toBe(instant.toLocaleString("fr-FR", { timeZone: "Europe/Paris", dateStyle: "short", timeStyle: "short" }));
      expect(formatTimestamp(instant)).toBe(instant.toLocaleString("fr-FR", { timeZone: "Europe/Paris" }));
    }
  });

  it("keep a calendar date on its day, whatever Paris's offset", () => {
    expect(formatDate(new Date("1950-06-18T00:00:00Z"))).toBe("18/06/1950");
    expect(formatDate("2026-12-31")).toBe("31/12/2026");
  });

  it("show a dash for a date that cannot be read, instead of failing the page", () => {
    expect(formatDate("pas une date")).toBe("—");
    expect(formatDateTime(new Date(Number.NaN))).toBe("—");
  });
});

describe("amounts and sizes in the pages", () => {
  it("write euros the French way", () => {
    expect(formatEuros(2500)).toBe("25 €");
    expect(formatEuros(4250)).toBe("42,50 €");
    expect(formatNumber(12500).replace(/\s/g, " ")).toBe("12 500");
  });

  it("write a file's size in Ko under a megabyte, never 0, and in Mo above, rounded down", () => {
    expect(formatSize(0)).toBe("1 Ko");
    expect(formatSize(1536)).toBe("2 Ko");
    expect(formatSize(1024 * 1023)).toBe("1023 Ko");
    expect(formatSize(10 * 1024 * 1024)).toBe("10 Mo");
    expect(formatSize(12.59 * 1024 * 1024)).toBe("12,5 Mo");
  });
});

describe("the upload rules as the pages state them", () => {
  it("list the accepted formats and limits from the constants that enforce them", () => {
    expect(uploadRules.formats).toBe("PDF, JPEG, PNG, Word (DOCX) ou OpenDocument (ODT)");
    expect(uploadRules.maxFileSize).toBe("10 Mo");
    expect(uploadRules.maxDraftSize).toBe("50 Mo");
    expect(uploadRules.maxFilesPerUpload).toBe(5);
  });

  it("join a list with « ou »", () => {
    expect(frenchList([])).toBe("");
    expect(frenchList(["PDF"])).toBe("PDF");
    expect(frenchList(["PDF", "PNG"])).toBe("PDF ou PNG");
  });
});
