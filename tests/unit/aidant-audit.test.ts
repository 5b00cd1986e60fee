import { describe, expect, it } from "vitest";
import { auditedUserId, AUDIT_LABELS, describeAudit } from "../../src/features/audit/audit-log.js";

const people = new Map([["u-1", "Marie Dupont"]]);

describe("the audit log's entries about aidants", () => {
  it("name the person helped, the page and the request of an aidant's action", () => {
    const details = { userId: "u-1", method: "POST", page: "/mes-demandes/:number/retirer", number: "DEM-0000000042" };
    expect(AUDIT_LABELS.AIDANT_ACTION).toBe("Action d'un aidant");
    expect(describeAudit("AIDANT_ACTION", details, people)).toBe("pour Marie Dupont : /mes-demandes/:number/retirer (DEM-0000000042)");
    expect(describeAudit("AIDANT_ACTION", { userId: "u-2", page: "/demande" }, people)).toBe("pour compte supprimé : /demande");
    expect(auditedUserId(details)).toBe("u-1");
  });

  it("name the other person of an access granted or ended, and stay empty on odd details", () => {
    expect(describeAudit("AIDANT_ACCESS_GRANTED", { userId: "u-1" }, people)).toBe("avec Marie Dupont");
    expect(describeAudit("AIDANT_ACCESS_ENDED", { userId: "u-1" }, people)).toBe("avec Marie Dupont");
    expect(describeAudit("AIDANT_ACTION", { page: 3 }, people)).toBe("");
  });
});
