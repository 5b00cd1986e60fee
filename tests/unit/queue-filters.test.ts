import { describe, expect, it } from "vitest";
import { cursorCondition, decodeCursor, encodeCursor } from "../../src/features/agent/queue-cursor.js";
import { parseQueueFilters, queueWhere } from "../../src/features/agent/queue-filters.js";
import { filtersQuery } from "../../src/lib/filters-query.js";

const reference = { statutCodes: ["PA", "AH"], zonageCodes: ["Z1_5"] };

describe("the queue filters read from the query string", () => {
  it("keep every valid filter, and what was typed to show it again", () => {
    const { filters, values, errors } = parseQueueFilters(
      { statut: "IN_REVIEW", type: "RENEWAL", situation: "PA", zonage: "Z1_5", du: "01/03/2026", au: "31/03/2026", q: "  Dupont ", curseur: "x" },
      reference,
    );
    expect(errors.summary).toEqual([]);
    expect(filters).toMatchObject({ status: "IN_REVIEW", type: "RENEWAL", statutCode: "PA", zonageCode: "Z1_5", search: "Dupont", cursor: null });
    expect(filters.submitted.from).toEqual(new Date(2026, 2, 1));
    expect(filters.submitted.toExclusive).toEqual(new Date(2026, 3, 1));
    expect(values).toEqual({
      statut: "IN_REVIEW",
      type: "RENEWAL",
      situation: "PA",
      zonage: "Z1_5",
      du: "01/03/2026",
      au: "31/03/2026",
      q: "Dupont",
      attribution: "",
      tri: "",
    });
  });

  it("are no filter at all when the query string is empty", () => {
    const { filters, errors } = parseQueueFilters({}, reference);
    expect(errors.summary).toEqual([]);
    expect(filters).toMatchObject({ status: null, type: null, statutCode: null, zonageCode: null, search: null, cursor: null });
    expect(queueWhere(filters)).toEqual({ status: { not: "DRAFT" } });
  });

  it("give one French message per wrong field, in the order of the form", () => {
    const { errors } = parseQueueFilters(
      { q: "x".repeat(101), au: "01/01/2026", du: "02/01/2026", zonage: "Z9", situation: "XX", type: "OTHER", statut: "DRAFT" },
      reference,
    );
    expect(errors.summary.map((link) => link.href)).toEqual(["#champ-statut", "#champ-type", "#champ-situation", "#champ-zonage", "#champ-au", "#champ-q"]);
    expect(errors.fields).toMatchObject({
      statut: "Choisissez un statut dans la liste.",
      type: "Choisissez un type dans la liste.",
      situation: "Choisissez une situation dans la liste.",
      zonage: "Choisissez un zonage dans la liste.",
      au: "La date de fin doit être après la date de début.",
      q: "La recherche ne doit pas dépasser 100 caractères.",
    });
  });

  it("refuse a date that does not exist, at its field", () => {
    expect(parseQueueFilters({ du: "31/02/2026" }, reference).errors.fields.du).toBeTruthy();
  });

  it("read a crafted query (repeated fields, objects, prototype names) as nothing, never as a crash", () => {
    const { filters, errors } = parseQueueFilters(
      { statut: ["IN_REVIEW", "APPROVED"], type: { a: "1" }, situation: "toString", curseur: ["2", "3"] },
      reference,
    );
    expect(filters.status).toBeNull();
    expect(filters.type).toBeNull();
    expect(errors.fields).toEqual({ situation: "Choisissez une situation dans la liste." });
    expect(parseQueueFilters(null, reference).errors.summary).toEqual([]);
  });

  it("read a forged or broken cursor as the first page, never as an error", () => {
    const good = encodeCursor({
      direction: "next",
      order: "asc",
      submittedAt: new Date("2026-03-01T10:00:00Z"),
      id: "0f8fad5b-d9cb-469f-a165-70867728950e",
      page: 3,
    });
    expect(parseQueueFilters({ curseur: good }, reference).filters.cursor).toMatchObject({ direction: "next", page: 3 });
    const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const curseur of [
      "abc",
      "%%%",
      "x".repeat(500),
      forged({ d: "n", t: 1, i: "not-an-id", p: 2 }),
      forged({ d: "n", t: 1, i: "0f8fad5b-d9cb-469f-a165-70867728950e", p: 0 }),
      forged({ d: "?", t: 1, i: "0f8fad5b-d9cb-469f-a165-70867728950e", p: 2 }),
      forged({ d: "n", t: 1e20, i: "0f8fad5b-d9cb-469f-a165-70867728950e", p: 2 }),
      forged("__proto__"),
    ]) {
      const { filters, errors } = parseQueueFilters({ curseur }, reference);
      expect(filters.cursor).toBeNull();
      expect(errors.summary).toEqual([]);
    }
  });
});

describe("the queue's cursor", () => {
  const id = "0f8fad5b-d9cb-469f-a165-70867728950e";

  it("reads back what it wrote: the sort key, the id, the direction and the page, nothing else", () => {
    const cursor = { direction: "previous", order: "asc", submittedAt: new Date("2026-03-01T10:00:00.123Z"), id, page: 41 } as const;
    const encoded = encodeCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded)).toEqual(cursor);
  });

  it("selects the rows strictly after (or before) the key, with a bound an index range scan can start from", () => {
    const submittedAt = new Date("2026-03-01T10:00:00Z");
    expect(cursorCondition({ direction: "next", order: "asc", submittedAt, id, page: 2 })).toEqual({
      submittedAt: { gte: submittedAt },
      OR: [{ submittedAt: { gt: submittedAt } }, { id: { gt: id } }],
    });
    expect(cursorCondition({ direction: "previous", order: "asc", submittedAt, id, page: 2 })).toEqual({
      submittedAt: { lte: submittedAt },
      OR: [{ submittedAt: { lt: submittedAt } }, { id: { lt: id } }],
    });
  });
});

describe("the search box", () => {
  const where = (q: string) => queueWhere(parseQueueFilters({ q }, reference).filters);

  it("finds a request by its number, with or without the prefix and zeros", () => {
    expect(where("DEM-42")).toMatchObject({ number: "DEM-0000000042" });
    expect(where("dem 0000000042")).toMatchObject({ number: "DEM-0000000042" });
  });

  it("finds a Navigo number (or a number typed without its prefix)", () => {
    expect(where("1234 5678")).toMatchObject({ OR: [{ navigoNumber: "12345678" }, { number: "DEM-0012345678" }] });
  });

  it("finds an e-mail address, whatever its case, and otherwise a name", () => {
    expect(where("Jeanne@Exemple.fr")).toMatchObject({ applicant: { email: { contains: "jeanne@exemple.fr" } } });
    expect(where("Dupont")).toMatchObject({
      applicant: { OR: [{ lastName: { contains: "Dupont", mode: "insensitive" } }, { firstName: { contains: "Dupont", mode: "insensitive" } }] },
    });
  });
});

describe("the query string of the filters", () => {
  it("leaves out the empty ones and encodes the others", () => {
    expect(filtersQuery({ statut: "IN_REVIEW", q: "", du: "01/03/2026" })).toBe("?statut=IN_REVIEW&du=01%2F03%2F2026");
    expect(filtersQuery({ q: "a&b" }, { curseur: "eyJk" })).toBe("?q=a%26b&curseur=eyJk");
    expect(filtersQuery({ q: "" })).toBe("");
  });
});
