import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../../src/middleware/auth.js";

describe("the page to return to after login", () => {
  it("is a path of this site", () => {
    for (const path of ["/agent", "/agent/demandes/DEM-0000000001", "/agent/export.csv?statut=SUBMITTED&page=2", "/mes-demandes"]) {
      expect(safeReturnPath(path)).toBe(path);
    }
  });

  it("is never another site, nor something a browser could read as one", () => {
    for (const value of [
      "//evil.example",
      "/\\evil.example",
      "https://evil.example/agent",
      "evil.example",
      "",
      "/\t/evil.example",
      "/\n/evil.example",
      "/ /evil.example",
      " /agent",
      undefined,
      ["/agent"],
      42,
    ]) {
      expect(safeReturnPath(value), JSON.stringify(value)).toBeUndefined();
    }
  });

  it("keeps the query string and the characters a path may carry", () => {
    for (const path of [
      "/",
      "/demande/etape/revenus",
      "/mes-demandes/DEM-0000000001/pieces",
      "/agent?q=Dupont%20Marie&statut=SUBMITTED",
      "/faq#inscription",
      "/agent/demandes/DEM-1?x=%2F%2Fevil",
    ]) {
      expect(safeReturnPath(path)).toBe(path);
    }
  });

  it("refuses what browsers or proxies rewrite into another site or a script", () => {
    for (const value of [
      "javascript:alert(1)",
      "\\evil.example",
      "/\r/evil.example",
      "/agent\u0000",
      "/agent\u007f",
      "/\u00a0/evil.example",
      "/agent\u2028",
      "mailto:x@example.fr",
      "data:text/html,x",
      { toString: () => "/agent" },
      null,
    ]) {
      expect(safeReturnPath(value), JSON.stringify(value)).toBeUndefined();
    }
  });
});
