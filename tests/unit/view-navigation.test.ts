import { describe, expect, it } from "vitest";
import { currentItemHref, isCurrentItem, navigationFor } from "../../src/views/navigation.js";

const labels = (role: string | null) => navigationFor(role ? { role } : null).map((item) => item.label);

describe("the main menu", () => {
  it("shows each visitor the pages of their role", () => {
    expect(labels(null)).toEqual(["Accueil", "Se connecter"]);
    expect(labels("APPLICANT")).toEqual([
      "Accueil",
      "Mes informations personnelles",
      "Créer ou compléter ma demande",
      "Mes demandes en cours",
      "Demandes terminées",
    ]);
    expect(labels("AGENT")).toEqual(["File des demandes", "Mes demandes", "Nouvelle invitation"]);
    expect(labels("ADMIN")).toEqual([
      "File des demandes",
      "Mes demandes",
      "Nouvelle invitation",
      "Comptes agents",
      "Participations",
      "Situations",
      "Journal d'audit",
      "Messages non distribués",
      "Statistiques",
    ]);
  });

  it("marks the page shown, and the pages under a menu item, but not every page under the home or the queue", () => {
    expect(isCurrentItem("/mes-demandes", "/mes-demandes")).toBe(true);
    expect(isCurrentItem("/mes-demandes", "/mes-demandes/DEM-0000000001")).toBe(true);
    expect(isCurrentItem("/demande", "/demande/etape/type")).toBe(true);
    expect(isCurrentItem("/demande", "/demandes")).toBe(false);
    expect(isCurrentItem("/", "/faq")).toBe(false);
    expect(isCurrentItem("/", "/")).toBe(true);
    expect(isCurrentItem("/agent", "/agent/demandes/DEM-0000000001")).toBe(false);
  });

  it("marks only the most precise item: « Demandes terminées », not also « Mes demandes en cours » above it", () => {
    const menu = navigationFor({ role: "APPLICANT" });
    expect(currentItemHref(menu, "/mes-demandes/terminees")).toBe("/mes-demandes/terminees");
    expect(currentItemHref(menu, "/mes-demandes")).toBe("/mes-demandes");
    expect(currentItemHref(menu, "/mes-demandes/DEM-0000000001")).toBe("/mes-demandes");
    expect(currentItemHref(menu, "/faq")).toBeUndefined();
  });
});
