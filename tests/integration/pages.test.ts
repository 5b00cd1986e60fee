import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { newBrowser, textOf } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

describe("Public pages", () => {
  it.each([
    ["/", "Bienvenue sur votre espace de démarches et services en ligne du Département de la Seine-Saint-Denis"],
    ["/faq", "Est-ce que je peux faire une demande si je n'ai pas d'adresse mail ?"],
    ["/mentions-legales", "Mentions légales"],
    ["/donnees-personnelles", "Politique de traitement des données personnelles"],
    ["/accessibilite", "Déclaration d'accessibilité"],
  ])("%s answers 200 with its content, menu and footer", async (path, content) => {
    const page = await request(ctx.app).get(path);
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain(content);
    expect(text).toContain("Accueil");
    expect(text).toContain("Se connecter");
    expect(text).toContain("Mentions légales");
    expect(page.text).toContain('<html lang="fr">');
    expect(page.text).toContain('<a class="skip-link" href="#contenu">');
  });

  it("the FAQ answers the guide's four questions", async () => {
    const text = textOf((await request(ctx.app).get("/faq")).text);
    expect(text).toContain("Comment je fais pour me connecter si j'ai perdu mon mot de passe ?");
    expect(text).toContain("Comment je fais en tant qu'aidant pour faire une demande pour quelqu'un d'autre ?");
    expect(text).toContain("Comment je fais pour ajouter une pièce manquante ?");
    expect(text).toContain("Est-ce que je peux faire une demande si je n'ai pas d'adresse mail ?");
  });

  it("unknown URLs get the French 404 page", async () => {
    const page = await request(ctx.app).get("/nexiste/pas");
    expect(page.status).toBe(404);
    expect(textOf(page.text)).toContain("Page introuvable");
  });

  it("sends a strict Content-Security-Policy with a fresh nonce on each page, and no inline script or style", async () => {
    const first = await request(ctx.app).get("/");
    const second = await request(ctx.app).get("/");
    const csp = first.headers["content-security-policy"] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("style-src-attr 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(csp)![1];
    expect(nonce).not.toBe(/'nonce-([^']+)'/.exec(second.headers["content-security-policy"] as string)![1]);
    expect(first.text).toContain(`nonce="${nonce}"`);
    expect(first.text).not.toMatch(/ style="/);
    expect(first.text).not.toMatch(/<script(?![^>]*nonce=)/);
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["x-powered-by"]).toBeUndefined();
  });

  it("creates no session (no cookie) for a visitor reading a page without a form", async () => {
    const page = await request(ctx.app).get("/faq");
    expect(page.headers["set-cookie"]).toBeUndefined();
  });

  it("/healthz checks the database", async () => {
    const answer = await request(ctx.app).get("/healthz");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: "ok", database: "ok" });
  });

  it("a malformed or oversized body gets a French 4xx page, never a 500", async () => {
    const browser = newBrowser(ctx.app);
    const huge = await browser
      .post("/connexion")
      .type("form")
      .send(`email=${"a".repeat(200_000)}`);
    expect(huge.status).toBe(413);
    expect(textOf(huge.text)).toContain("Demande invalide");
    const tooMany = await browser
      .post("/connexion")
      .type("form")
      .send(Array.from({ length: 300 }, (_, i) => `f${i}=1`).join("&"));
    expect(tooMany.status).toBeGreaterThanOrEqual(400);
    expect(tooMany.status).toBeLessThan(500);
  });
});

describe("Development mailbox", () => {
  it("is absent when an SMTP server is configured", async () => {
    expect((await request(ctx.app).get("/dev/mails")).status).toBe(404);
  });

  it("lists the mails with clickable links when there is no SMTP server, and never in production", async () => {
    await ctx.db.outboxMail.create({
      data: { to: "boite@example.fr", subject: "Sujet de test", text: "Bonjour\n\nhttp://portail.test/lien", html: "<p>Bonjour</p>" },
    });
    const secret = "un-secret-de-test-suffisamment-long-0123456789";
    const base = { db: ctx.db, pool: ctx.pool, clock: ctx.clock, storage: ctx.storage };
    const keys = { sessionSecret: secret, ibanEncryptionKey: Buffer.alloc(32, 1).toString("base64") };
    const development = createApp({ ...base, config: { ...parseConfig({ NODE_ENV: "development", LOG_REQUESTS: "false" }), ...keys } });
    const page = await request(development).get("/dev/mails");
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("boite@example.fr");
    expect(textOf(page.text)).toContain("Sujet de test");
    expect(page.text).toContain('<a href="http://portail.test/lien">');

    // Behind a reverse proxy on the same machine every request comes from loopback: a forwarded one is someone else.
    for (const header of ["X-Forwarded-For", "Forwarded", "X-Real-IP"]) {
      const relayed = await request(development)
        .get("/dev/mails")
        .set(header, header === "Forwarded" ? "for=203.0.113.9" : "203.0.113.9");
      expect(relayed.status, header).toBe(404);
      expect(textOf(relayed.text)).not.toContain("boite@example.fr");
    }

    const production = createApp({
      ...base,
      config: {
        ...parseConfig({
          NODE_ENV: "production",
          LOG_REQUESTS: "false",
          SESSION_SECRET: secret,
          IBAN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
          DATABASE_URL: "postgresql://u:p@h/d",
          SMTP_URL: "smtp://h",
          PUBLIC_URL: "https://x.fr",
        }),
        smtpUrl: undefined,
        ...keys,
      },
    });
    expect((await request(production).get("/dev/mails")).status).toBe(404);
  });
});

describe("Accessibility statement", () => {
  it("gives the rate, the counts and the date of the grid in docs/rgaa, the contact of the configuration and the Défenseur des droits", async () => {
    const { readFileSync } = await import("node:fs");
    const grid = readFileSync("docs/rgaa/grille-rgaa-4.1.csv", "utf8");
    const statuses = [...grid.matchAll(/^\d+\.\d+;[^;]*;[^;]*;(C|NC|NA);/gm)].map((match) => match[1]);
    expect(statuses).toHaveLength(106);
    const conforming = statuses.filter((status) => status === "C").length;
    const applicable = statuses.filter((status) => status !== "NA").length;
    const rate = Math.round((conforming / applicable) * 10000) / 100;

    const custom = createApp({
      db: ctx.db,
      pool: ctx.pool,
      clock: ctx.clock,
      storage: ctx.storage,
      config: {
        ...parseConfig({
          NODE_ENV: "test",
          LOG_REQUESTS: "false",
          CONTACT_EMAIL: "handicap@cd93.fr",
          CONTACT_POSTAL_ADDRESS: "Hôtel du Département, 93006 Bobigny Cedex",
        }),
        sessionSecret: "un-secret-de-test-suffisamment-long-0123456789",
        ibanEncryptionKey: Buffer.alloc(32, 1).toString("base64"),
      },
    });
    const text = textOf((await request(custom).get("/accessibilite")).text);
    expect(text).toContain(`révèle que ${String(rate).replace(".", ",")} % des critères du RGAA version 4.1 sont respectés`);
    expect(text).toContain(`critères conformes : ${conforming}`);
    expect(text).toContain(`critères non applicables : ${106 - applicable}`);
    expect(text).toContain(conforming === applicable ? "totalement conforme" : "partiellement conforme");
    expect(text).toContain("réalisé le 29 novembre 2026");
    expect(text).toContain("handicap@cd93.fr");
    expect(text).toContain("Hôtel du Département, 93006 Bobigny Cedex");
    expect(text).toContain("Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07");
    expect(text).toContain("Mes informations personnelles");
  });
});
