import { describe, expect, it } from "vitest";
import { mailLinks } from "../../src/mail/messages.js";

describe("mailLinks", () => {
  const links = mailLinks("https://amethyste.seinesaintdenis.fr");

  it("builds the same absolute links the mails always carried", () => {
    expect(links.verify("abc_DEF-123")).toBe("https://amethyste.seinesaintdenis.fr/inscription/confirmer?token=abc_DEF-123");
    expect(links.reset("abc")).toBe("https://amethyste.seinesaintdenis.fr/reinitialiser-mot-de-passe?token=abc");
    expect(links.confirmEmail("abc")).toBe("https://amethyste.seinesaintdenis.fr/mes-informations/confirmer-email?token=abc");
    expect(links.invitation("K7M2-P9QX")).toBe("https://amethyste.seinesaintdenis.fr/invitation?code=K7M2-P9QX");
    expect(links.myRequest("DEM-2026000001")).toBe("https://amethyste.seinesaintdenis.fr/mes-demandes/DEM-2026000001");
    expect(links.login).toBe("https://amethyste.seinesaintdenis.fr/connexion");
    expect(links.forgotten).toBe("https://amethyste.seinesaintdenis.fr/mot-de-passe-oublie");
  });

  it("encodes what it puts in a link", () => {
    expect(links.verify("a+b/c&d")).toBe("https://amethyste.seinesaintdenis.fr/inscription/confirmer?token=a%2Bb%2Fc%26d");
    expect(links.myRequest("DEM/1?x")).toBe("https://amethyste.seinesaintdenis.fr/mes-demandes/DEM%2F1%3Fx");
  });
});
