import { describe, expect, it } from "vitest";
import { parseJournalFilters } from "../../src/features/audit/audit-journal.js";
import { auditedUserId, describeAudit } from "../../src/features/audit/audit-log.js";

const people = new Map([["u-1", "Anne Martin"]]);

describe("the audit log's descriptions", () => {
  it("name the statuses of a status change in French", () => {
    expect(describeAudit("STATUS_CHANGED", { number: "DEM-0000000001", from: "IN_REVIEW", to: "APPROVED" }, people)).toBe("En cours d'instruction → Validée");
  });

  it("show a participation change in euros", () => {
    expect(describeAudit("PARTICIPATION_CHANGED", { zonage: "Z1_5", from: 4200, to: 4250 }, people)).toBe("Z1_5 : 42 € → 42,50 €");
  });

  it("list the filters of an export, or say it was everything", () => {
    expect(describeAudit("EXPORTED", { filters: { statut: "IN_REVIEW", q: "", du: "01/03/2026" } }, people)).toBe(
      "Filtres : statut = IN_REVIEW, du = 01/03/2026",
    );
    expect(describeAudit("EXPORTED", { filters: { statut: "", q: "" } }, people)).toBe("Toutes les demandes");
  });

  it("list the fields of a situation that changed", () => {
    expect(describeAudit("STATUT_CHANGED", { statut: "PA", from: { minimumAge: 60 }, to: { minimumAge: 62, label: "Retraité" } }, people)).toBe(
      "PA : minimumAge, label",
    );
  });

  it("name the account an agent entry is about, even once deleted", () => {
    expect(describeAudit("AGENT_CREATED", { userId: "u-1", role: "ADMIN" }, people)).toBe("Anne Martin (administrateur)");
    expect(describeAudit("AGENT_CREATED", { userId: "u-1", role: "AGENT" }, people)).toBe("Anne Martin (agent)");
    expect(describeAudit("AGENT_DISABLED", { userId: "u-2" }, people)).toBe("compte supprimé");
    expect(describeAudit("AGENT_ENABLED", { userId: "u-1" }, people)).toBe("Anne Martin");
    expect(auditedUserId({ userId: "u-1" })).toBe("u-1");
    expect(auditedUserId({ noteId: "n-1" })).toBeNull();
  });

  it("say nothing more for actions whose details are ids only", () => {
    expect(describeAudit("NOTE_ADDED", { noteId: "n-1" }, people)).toBe("");
    expect(describeAudit("REQUEST_VIEWED", null, people)).toBe("");
  });

  it("read details that are not what the action writes (an old or damaged row) without failing", () => {
    expect(describeAudit("STATUS_CHANGED", { from: "ANCIEN", to: "toString" }, people)).toBe("ANCIEN → toString");
    expect(describeAudit("STATUS_CHANGED", null, people)).toBe("");
    expect(describeAudit("PARTICIPATION_CHANGED", { zonage: "Z1_5", from: "beaucoup" }, people)).toBe("");
    expect(describeAudit("EXPORTED", "n'importe quoi", people)).toBe("Toutes les demandes");
    expect(describeAudit("AGENT_CREATED", [], people)).toBe("");
    expect(auditedUserId(null)).toBeNull();
  });
});

describe("the audit log's filters", () => {
  it("keep an action, an agent and dates, and what was typed", () => {
    const { filters, values, errors } = parseJournalFilters({ action: "EXPORTED", agent: " Anne.Martin@ ", du: "01/03/2026", au: "02/03/2026", page: "2" });
    expect(errors.summary).toEqual([]);
    expect(filters).toMatchObject({ action: "EXPORTED", agent: "Anne.Martin@", page: 2 });
    expect(filters.range.from).toEqual(new Date(2026, 2, 1));
    expect(values).toEqual({ action: "EXPORTED", agent: "Anne.Martin@", du: "01/03/2026", au: "02/03/2026" });
  });

  it("say in French what is wrong, and read a crafted query as nothing", () => {
    expect(parseJournalFilters({ action: "DROPPED", au: "01/01/2026", du: "02/01/2026" }).errors.fields).toEqual({
      action: "Choisissez une action dans la liste.",
      au: "La date de fin doit être après la date de début.",
    });
    const crafted = parseJournalFilters({ action: ["EXPORTED"], page: { n: "3" } });
    expect(crafted.errors.summary).toEqual([]);
    expect(crafted.filters).toMatchObject({ action: null, agent: null, page: 1 });
  });
});
