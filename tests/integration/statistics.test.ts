/**
 * « Statistiques » and « Délai médian de traitement constaté »: figures on a
 * seeded history with the clock set to 15 November 2026 (period: 1 December
 * 2025 → now, in Paris), as the administrator reads them; who may open the
 * page; the confirmation page's sentence with enough decisions, and not
 * before.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DELAY_CACHE_MS, MINIMUM_DECISIONS } from "../../src/features/statistics/statistics-service.js";
import { GOOD_PASSWORD, logIn } from "../support/accounts.js";
import { createStaff, seedRequest } from "../support/back-office.js";
import { DAY, decided, seedHistory } from "../support/decisions.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

/** The rows of a table of the page, by its caption: each row's cells' text. */
function tableRows(html: string, caption: string): string[][] {
  const table = new RegExp(`<table[^>]*>\\s*<caption[^>]*>${caption}[\\s\\S]*?</table>`).exec(html)?.[0];
  if (!table) throw new Error(`Pas de tableau « ${caption} »`);
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1]!.replace(/<span class="table__label"[^>]*>.*?<\/span>/, ""))),
  );
}

describe("« Statistiques » on a known history", () => {
  let ctx: TestContext;
  let admin: Agent;
  let html: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    // 15 November 2026, 13:00 in Paris: the period starts on 1 December 2025 at midnight in Paris (30 November, 23:00 UTC).
    ctx.clock.advance(Date.parse("2026-11-15T12:00:00Z") - Date.now());
    const { db } = ctx;
    // Ten decisions in the period, 1 to 10 days after deposit: median 5.5, 90th percentile 9.1; two waited for a document.
    for (const days of [1, 2, 3, 4]) await decided(db, "2026-11-10T10:00:00Z", days, days % 2 ? "APPROVED" : "REFUSED");
    for (const days of [5, 6, 7]) await decided(db, "2026-10-20T10:00:00Z", days, days % 2 ? "APPROVED" : "REFUSED", days === 5);
    // 1 December 2025 at 00:30 in Paris: in the period, in December, though still November in UTC; sent before the period.
    await decided(db, "2025-11-30T23:30:00Z", 8, "REFUSED");
    for (const days of [9, 10]) await decided(db, "2026-03-15T10:00:00Z", days, days % 2 ? "APPROVED" : "REFUSED", days === 9);
    // 30 November 2025 at 23:30 in Paris: before the period, left out of every figure of it (its 100 days would move the median).
    await decided(db, "2025-11-30T22:30:00Z", 100, "APPROVED");
    // 1 June 2026 at 00:30 in Paris: received in June, not May.
    await seedHistory(db, { submittedAt: new Date("2026-05-31T22:30:00Z"), status: "SUBMITTED" });
    // Withdrawn: received, never decided.
    await seedHistory(db, { submittedAt: new Date("2026-09-05T10:00:00Z"), endedAt: new Date("2026-09-10T10:00:00Z"), status: "CLOSED" });
    await seedHistory(db, { submittedAt: new Date("2026-11-02T10:00:00Z"), status: "IN_REVIEW" });
    // A draft counts nowhere.
    await seedRequest(db, { status: "DRAFT", extra: { submittedAt: null, number: null } });

    await createStaff(db, "chef.stats@cd93.fr", "ADMIN");
    admin = newBrowser(ctx.app);
    await logIn(admin, "chef.stats@cd93.fr");
    const page = await admin.get("/admin/statistiques");
    expect(page.status).toBe(200);
    html = page.text;
  });
  afterAll(() => ctx?.close());

  it("counts the requests of each status but drafts", () => {
    expect(tableRows(html, "Nombre de demandes par statut actuel").slice(1)).toEqual([
      ["Déposée", "1"],
      ["En cours d'instruction", "1"],
      ["En attente de pièce complémentaire", "0"],
      ["Pièce complémentaire reçue", "0"],
      ["Validée", "6"],
      ["Refusée", "5"],
      ["Classée sans suite", "1"],
    ]);
  });

  it("counts received and decided requests in each Paris month of the last 12, months without any included", () => {
    expect(tableRows(html, "Demandes reçues et décidées par mois").slice(1)).toEqual([
      ["décembre 2025", "0", "1"],
      ["janvier 2026", "0", "0"],
      ["février 2026", "0", "0"],
      ["mars 2026", "2", "2"],
      ["avril 2026", "0", "0"],
      ["mai 2026", "0", "0"],
      ["juin 2026", "1", "0"],
      ["juillet 2026", "0", "0"],
      ["août 2026", "0", "0"],
      ["septembre 2026", "1", "0"],
      ["octobre 2026", "3", "3"],
      ["novembre 2026", "5", "4"],
    ]);
    expect(textOf(html)).toContain("du 1er décembre 2025 au 15 novembre 2026");
  });

  it("gives the median and the 90th percentile from deposit to decision, and the share that waited for a document", () => {
    const text = textOf(html);
    expect(text).toContain("pour les 10 demandes décidées du 1er décembre 2025 au 15 novembre 2026");
    expect(text).toContain("Délai médian 5,5 jours");
    expect(text).toContain("90 e centile 9,1 jours");
    expect(text).toContain("20 % des demandes décidées sur la période ont attendu au moins une pièce complémentaire : 2 sur 10");
    expect(text).not.toContain("NaN");
  });

  it("draws the chart as SVG with its title and description, a pattern for the decided bars, and the same figures as the table", () => {
    const svg = /<svg class="chart__svg"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? "";
    expect(svg).toContain('role="img"');
    // The title names the chart; the description (how to read it, where the table is) describes it.
    expect(svg).toContain('aria-labelledby="chart-title" aria-describedby="chart-desc"');
    expect(svg).toMatch(/<title id="chart-title">Demandes reçues et décidées par mois, du 1er décembre 2025 au 15 novembre 2026<\/title>/);
    expect(svg).toContain('<desc id="chart-desc">');
    // One bar per month with a figure: received (solid) in March, June, September, October, November; decided (hatched) in December, March, October, November.
    expect(svg.match(/<rect [^>]*fill="#0b4f8a"/g)).toHaveLength(5);
    expect(svg.match(/<rect [^>]*fill="url\(#chart-hatch\)"/g)).toHaveLength(4);
    for (const month of ["déc.", "janv.", "nov."]) expect(svg).toContain(`>${month}</text>`);
  });

  it("is in the administrator's menu", () => {
    expect(html).toMatch(
      /<a [^>]*href="\/admin\/statistiques"[^>]*aria-current="page"[^>]*>Statistiques<\/a>|<a [^>]*aria-current="page"[^>]*href="\/admin\/statistiques"[^>]*>Statistiques<\/a>/,
    );
  });
});

describe("Who sees « Statistiques », an empty database, and the confirmation page", () => {
  let ctx: TestContext;
  let admin: Agent;
  let applicant: Agent;
  let confirmation: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await createStaff(ctx.db, "chef.vide@cd93.fr", "ADMIN");
    admin = newBrowser(ctx.app);
    await logIn(admin, "chef.vide@cd93.fr");
    const request = await seedRequest(ctx.db, { email: "delai@example.fr" });
    confirmation = `/mes-demandes/${request.number}/confirmation`;
    applicant = newBrowser(ctx.app);
    await logIn(applicant, "delai@example.fr", GOOD_PASSWORD);
  });
  afterAll(() => ctx?.close());

  it("says that nothing was decided rather than showing figures of nothing", async () => {
    const page = await admin.get("/admin/statistiques");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Délai de traitement Aucune demande décidée sur la période.");
    expect(text).toContain("Demandes en attente d'une pièce complémentaire Aucune demande décidée sur la période.");
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
    expect(page.text).toContain('<title id="chart-title">');
  });

  it("is for administrators: an agent and an applicant get the « page not found », a visitor is sent to log in", async () => {
    await createStaff(ctx.db, "guichet.stats@cd93.fr");
    const agent = newBrowser(ctx.app);
    await logIn(agent, "guichet.stats@cd93.fr");
    const agentPage = await agent.get("/admin/statistiques");
    expect(agentPage.status).toBe(404);
    expect(agentPage.text).not.toContain("Demandes par statut");
    expect((await agent.get("/agent")).text).not.toContain('href="/admin/statistiques"');
    const applicantPage = await applicant.get("/admin/statistiques");
    expect(applicantPage.status).toBe(404);
    expect(applicantPage.text).not.toContain("Demandes par statut");
    const visitor = await newBrowser(ctx.app).get("/admin/statistiques");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.location).toMatch(/^\/connexion/);
  });

  it("states the median processing time on the confirmation page once enough requests were decided, refreshed every 10 minutes", async () => {
    const sentence = "Délai médian de traitement constaté";
    expect(textOf((await applicant.get(confirmation)).text)).not.toContain(sentence);

    // One decision short: still nothing, whatever the figure would be.
    const now = ctx.clock.now().getTime();
    for (let index = 0; index < MINIMUM_DECISIONS - 1; index += 1) {
      await decided(ctx.db, new Date(now - DAY).toISOString(), 10 + index, "APPROVED");
    }
    ctx.clock.advance(DELAY_CACHE_MS + 1000);
    expect(textOf((await applicant.get(confirmation)).text)).not.toContain(sentence);

    // The twentieth: durations of 10 to 29 days, median 19.5, said as 20 days once the kept figure is 10 minutes old.
    await decided(ctx.db, new Date(now - DAY).toISOString(), 10 + MINIMUM_DECISIONS - 1, "REFUSED");
    expect(textOf((await applicant.get(confirmation)).text)).not.toContain(sentence);
    ctx.clock.advance(DELAY_CACHE_MS + 1000);
    const text = textOf((await applicant.get(confirmation)).text);
    expect(text).toContain(
      "Délai médian de traitement constaté : 20 jours . La moitié des demandes décidées au cours des 12 derniers mois l'ont été dans ce délai ou moins",
    );
  });
});
