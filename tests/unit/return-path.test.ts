import { describe, expect, it } from "vitest";
import { safeReturnPath } from "../../src/middleware/auth.js";

describe("the page to return to after login", () => {
  it("is a path of this site", () => {
    for (const path of ["/agent", "/agent/demandes/DEM-0000000001", "/agent/export.csv?statut=SUBMITTED&page=2", "/mes-demandes"]) {
      expect(safeReturnPath(path)).toBe(path);
    }
  });

  it("is never another site, nor something a browser could read as one", () => {
    for (const value of ["//evil.example", "/\\evil.example", "https://evil.example/agent", "evil.example", "", "/\t/evil.example", "/\n/evil.example", "/ /evil.example", " /agent", undefined, ["/agent"], 42]) {
      expect(safeReturnPath(value), JSON.stringify(value)).toBeUndefined();
    }
  });
});
