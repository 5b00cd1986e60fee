import { describe, expect, it } from "vitest";
import { cursorCondition, decodeCursor, encodeCursor } from "../../src/features/agent/queue-cursor.js";
import { parseQueueFilters, queueWhere } from "../../src/features/agent/queue-filters.js";
import { ageInDays, ageText } from "../../src/features/agent/request-age.js";

const reference = { statutCodes: ["PA"], zonageCodes: ["Z1_5"] };
const id = "0f8fad5b-d9cb-469f-a165-70867728950e";
const agentId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

describe("the age of a request", () => {
  it("counts Paris calendar days, across summer time, never below zero", () => {
    const now = new Date("2026-11-29T11:00:00Z");
    expect(ageInDays(new Date("2026-11-28T23:30:00Z"), now)).toBe(0);
    expect(ageInDays(new Date("2026-11-28T22:30:00Z"), now)).toBe(1);
    expect(ageInDays(new Date("2026-03-28T23:30:00Z"), now)).toBe(245);
    expect(ageInDays(new Date("2026-11-29T12:00:00Z"), now)).toBe(0);
    expect([0, 1, 12, 1500].map(ageText)).toEqual(["aujourd'hui", "1 jour", "12 jours", "1\u202f500 jours"]);
  });
});

describe("the order and the attribution of the queue", () => {
  it("read « tri » and « attribution », « à moi » being the agent looking", () => {
    expect(parseQueueFilters({}, reference, agentId).filters).toMatchObject({ order: "asc", assignedTo: undefined });
    const { filters } = parseQueueFilters({ tri: "recentes", attribution: "moi" }, reference, agentId);
    expect(filters).toMatchObject({ order: "desc", assignedTo: agentId });
    expect(queueWhere(filters)).toMatchObject({ assignedAgentId: agentId });
    expect(queueWhere(parseQueueFilters({ attribution: "personne" }, reference, agentId).filters)).toMatchObject({ assignedAgentId: null });
  });

  it("keep a cursor of the same order, and start again from one of the other order", () => {
    const descending = encodeCursor({ direction: "next", order: "desc", submittedAt: new Date("2026-03-01T10:00:00Z"), id, page: 2 });
    expect(decodeCursor(descending)).toMatchObject({ order: "desc" });
    expect(parseQueueFilters({ tri: "recentes", curseur: descending }, reference).filters.cursor).toMatchObject({ order: "desc", page: 2 });
    expect(parseQueueFilters({ curseur: descending }, reference).filters.cursor).toBeNull();
    // A link made before the order existed was oldest first.
    const old = Buffer.from(JSON.stringify({ d: "n", t: 1, i: id, p: 2 })).toString("base64url");
    expect(decodeCursor(old)).toMatchObject({ order: "asc" });
  });

  it("select the keys below the cursor for « Page suivante » of a list most recent first", () => {
    const submittedAt = new Date("2026-03-01T10:00:00Z");
    expect(cursorCondition({ direction: "next", order: "desc", submittedAt, id, page: 2 })).toEqual({
      submittedAt: { lte: submittedAt },
      OR: [{ submittedAt: { lt: submittedAt } }, { id: { lt: id } }],
    });
    expect(cursorCondition({ direction: "previous", order: "desc", submittedAt, id, page: 1 })).toEqual({
      submittedAt: { gte: submittedAt },
      OR: [{ submittedAt: { gt: submittedAt } }, { id: { gt: id } }],
    });
  });
});
