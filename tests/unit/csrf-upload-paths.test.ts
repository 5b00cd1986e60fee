import { describe, expect, it } from "vitest";
import { isUploadPath } from "../../src/middleware/csrf.js";

describe("isUploadPath (multipart bodies whose CSRF token the upload route checks itself)", () => {
  it("lets through only the two upload addresses", () => {
    expect(isUploadPath("/demande/justificatifs/IDENTITY")).toBe(true);
    expect(isUploadPath("/mes-demandes/DEM-2026000001/pieces")).toBe(true);
    expect(isUploadPath("/demande/justificatifs/fichier/abc/supprimer")).toBe(false);
    expect(isUploadPath("/mes-demandes/DEM-2026000001/retirer")).toBe(false);
    expect(isUploadPath("/mes-informations")).toBe(false);
    expect(isUploadPath("/demande/justificatifs")).toBe(false);
  });
});
