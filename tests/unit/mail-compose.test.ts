import { describe, expect, it } from "vitest";
import { renderMail } from "../../src/mail/compose.js";
import { verificationMail } from "../../src/mail/messages.js";

describe("mail rendering", () => {
  it("renders the same content as text and HTML, escaping the HTML", () => {
    const mail = renderMail(verificationMail("<Jean>", "https://portail.test/inscription/confirmer?token=abc&x=1"));
    expect(mail.subject).toBe("Créez votre mot de passe sur le portail Améthyste");
    expect(mail.text).toContain("Bonjour <Jean>,");
    expect(mail.text).toContain("https://portail.test/inscription/confirmer?token=abc&x=1");
    expect(mail.html).toContain("Bonjour &lt;Jean&gt;,");
    expect(mail.html).toContain('href="https://portail.test/inscription/confirmer?token=abc&amp;x=1"');
    expect(mail.text).toContain("Le Département de la Seine-Saint-Denis");
  });
});
