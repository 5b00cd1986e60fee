/**
 * The queue's « Attribution » filter (the agents' « Mes demandes »), the
 * age of each request in Paris days by the portal's clock, and the order by
 * date of deposit both ways, with the keyset pagination and the CSV export.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../../src/features/account/passwords.js";
import { GOOD_PASSWORD, logIn } from "../support/accounts.js";
import { createStaff, downloadCsv, seedRequest } from "../support/back-office.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

/** The portal's clock in these tests: Sunday 29 November 2026, noon in Paris. */
const NOW = new Date("2026-11-29T11:00:00Z");

let ctx: TestContext;
let anne: Agent;
let bruno: Agent;
/** Anne's requests, oldest first. */
const annes: string[] = [];
const brunos: string[] = [];
/** Nobody's requests: their number, deposit and age as the column words it. */
const nobodys: { number: string; submittedAt: Date; age: string }[] = [];
/** Nobody's requests in the queue's order, oldest first. */
const nobodysOldestFirst = () => [...nobodys].sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime()).map((request) => request.number);

beforeAll(async () => {
  ctx = await createTestContext();
  ctx.clock.advance(NOW.getTime() - ctx.clock.now().getTime());
  const anneId = (await createStaff(ctx.db, "anne.file@cd93.fr")).id;
  const brunoId = (
    await ctx.db.user.create({
      data: {
        email: "bruno.file@cd93.fr",
        firstName: "Bruno",
        lastName: "Lemaire",
        role: "AGENT",
        passwordHash: await hashPassword(GOOD_PASSWORD),
        emailVerifiedAt: new Date(),
      },
    })
  ).id;
  anne = newBrowser(ctx.app);
  await logIn(anne, "anne.file@cd93.fr");
  bruno = newBrowser(ctx.app);
  await logIn(bruno, "bruno.file@cd93.fr");
  // 60 requests for Anne, one an hour from 1 October: two pages of « Mes demandes ».
  for (let i = 0; i < 60; i++) {
    const submittedAt = new Date(Date.UTC(2026, 9, 1, 8 + i));
    const request = await seedRequest(ctx.db, {
      submittedAt,
      status: i % 2 === 0 ? "IN_REVIEW" : "SUBMITTED",
      extra: { assignedAgentId: anneId, assignedAt: submittedAt },
    });
    annes.push(request.number!);
  }
  for (let i = 0; i < 3; i++) {
    const request = await seedRequest(ctx.db, { submittedAt: new Date(Date.UTC(2026, 9, 2, 8 + i)), extra: { assignedAgentId: brunoId, assignedAt: NOW } });
    brunos.push(request.number!);
  }
  // Nobody's: one per age the column words differently, the Paris day counted (not the UTC one).
  for (const [submittedAt, age] of [
    ["2026-11-28T23:30:00Z", "aujourd'hui"], // 00:30 on 29 November in Paris
    ["2026-11-28T22:30:00Z", "1 jour"], // 23:30 on 28 November in Paris
    ["2026-11-17T10:00:00Z", "12 jours"],
    ["2026-03-28T23:30:00Z", "245 jours"], // 00:30 on 29 March in Paris, the night summer time began
  ] as const) {
    const request = await seedRequest(ctx.db, { submittedAt: new Date(submittedAt) });
    nobodys.push({ number: request.number!, submittedAt: request.submittedAt!, age });
  }
});
afterAll(async () => ctx.close());

const numbersIn = (html: string) => [...html.matchAll(/href="\/agent\/demandes\/(DEM-\d{10})"/g)].map((match) => match[1]!);
const linkIn = (html: string, rel: "next" | "prev") => new RegExp(`href="([^"]+)" rel="${rel}"`).exec(html)?.[1]?.replaceAll("&amp;", "&") ?? null;

async function listPage(agent: Agent, url: string) {
  const page = await agent.get(url);
  expect(page.status, textOf(page.text).slice(0, 300)).toBe(200);
  return { html: page.text, text: textOf(page.text), numbers: numbersIn(page.text), next: linkIn(page.text, "next"), previous: linkIn(page.text, "prev") };
}

describe("« Mes demandes » of an agent", () => {
  it("is in the agents' menu and is the queue « Attribuées à moi », 50 a page, marked as the page shown", async () => {
    const menu = await anne.get("/agent");
    expect(menu.text).toMatch(/<a href="\/agent\/mes-demandes">Mes demandes<\/a>/);
    const link = await anne.get("/agent/mes-demandes");
    expect(link.status).toBe(303);
    expect(link.headers.location).toBe("/agent?attribution=moi");

    const first = await listPage(anne, "/agent?attribution=moi");
    expect(first.html).toContain("<h1>Mes demandes</h1>");
    expect(first.html).toContain('<a href="/agent/mes-demandes" aria-current="page">Mes demandes</a>');
    expect(first.html).toMatch(/<input type="radio" id="champ-attribution-1" name="attribution" value="moi" checked>/);
    expect(first.text).toContain("60 demandes, les plus anciennes d'abord.");
    expect(first.text).toContain("Page 1 sur 2");
    expect(first.numbers).toEqual(annes.slice(0, 50));
    expect(first.next).toMatch(/^\/agent\?attribution=moi&curseur=[A-Za-z0-9_-]+$/);
    const second = await listPage(anne, first.next!);
    expect(second.numbers).toEqual(annes.slice(50));
    expect(second.text).toContain("Page 2 sur 2");
    expect((await listPage(anne, second.previous!)).numbers).toEqual(annes.slice(0, 50));
    // The assignee's column.
    expect(first.text).toContain("Attribuée à : Anne AGENT");
  });

  it("composes with the other filters, and each agent has their own", async () => {
    const reviewing = await listPage(anne, "/agent?attribution=moi&statut=IN_REVIEW");
    expect(reviewing.numbers).toEqual(annes.filter((_, i) => i % 2 === 0).slice(0, 50));
    expect(reviewing.text).toContain("30 demandes");
    expect((await listPage(bruno, "/agent?attribution=moi")).numbers).toEqual(brunos);
    expect((await listPage(anne, "/agent?attribution=personne")).numbers).toEqual(nobodysOldestFirst());
    expect((await listPage(anne, "/agent")).text).toContain(`${60 + 3 + 4} demandes`);
  });

  it("refuses a value out of the list at its field (422)", async () => {
    for (const [field, value, message] of [
      ["attribution", "tous", "Choisissez une attribution dans la liste."],
      ["tri", "alphabetique", "Choisissez un ordre dans la liste."],
    ]) {
      const page = await anne.get(`/agent?${field}=${value}`);
      expect(page.status).toBe(422);
      expect(textOf(page.text)).toContain(message);
      expect(page.text).toContain(`href="#champ-${field}"`);
    }
  });
});

describe("The age of each request", () => {
  it("counts Paris days since the deposit by the portal's clock: « aujourd'hui », « 1 jour », « 12 jours »", async () => {
    const page = await anne.get("/agent?attribution=personne");
    expect(page.text).toContain('<th scope="col" role="columnheader">Ancienneté</th>');
    const rows = [...page.text.matchAll(/<tr role="row">([\s\S]*?)<\/tr>/g)].map((match) => textOf(match[1]!));
    for (const { number, age } of nobodys) {
      const row = rows.find((text) => text.includes(number));
      expect(row, number).toContain(`Ancienneté : ${age} `);
    }
    // 59 days from 1 October to 29 November in Paris, whatever the hour.
    const oldest = await anne.get("/agent?attribution=moi");
    expect(textOf(oldest.text)).toContain("Ancienneté : 59 jours");
  });
});

describe("The order by date of deposit", () => {
  it("shows the most recent first on request, pages 2 and back in that order, aria-sort saying so", async () => {
    const oldestFirst = await listPage(anne, "/agent?attribution=moi");
    expect(oldestFirst.html).toContain('aria-sort="ascending">Déposée le</th>');
    const first = await listPage(anne, "/agent?attribution=moi&tri=recentes");
    const newestFirst = [...annes].reverse();
    expect(first.numbers).toEqual(newestFirst.slice(0, 50));
    expect(first.text).toContain("60 demandes, les plus récentes d'abord.");
    expect(first.html).toContain('aria-sort="descending">Déposée le</th>');
    expect(first.html).toMatch(/<input type="radio" id="champ-tri-1" name="tri" value="recentes" checked>/);
    expect(first.next).toMatch(/^\/agent\?attribution=moi&tri=recentes&curseur=[A-Za-z0-9_-]+$/);
    const second = await listPage(anne, first.next!);
    expect(second.numbers).toEqual(newestFirst.slice(50));
    expect(second.text).toContain("Page 2 sur 2");
    expect(second.next).toBeNull();
    expect((await listPage(anne, second.previous!)).numbers).toEqual(newestFirst.slice(0, 50));

    // The whole queue, most recent first: the requests of nobody (the latest deposits) come first.
    const whole = await listPage(anne, "/agent?tri=recentes");
    expect(whole.numbers.slice(0, 3)).toEqual(nobodysOldestFirst().reverse().slice(0, 3));
    // A cursor made for the other order (a link kept from before the order changed) starts the list again.
    const ascendingCursor = /curseur=([A-Za-z0-9_-]+)/.exec(oldestFirst.next!)![1]!;
    expect((await listPage(anne, `/agent?attribution=moi&tri=recentes&curseur=${ascendingCursor}`)).numbers).toEqual(newestFirst.slice(0, 50));
  });
});

describe("The CSV export", () => {
  it("has an « Attribuée à » column, and follows the attribution filter and the order", async () => {
    const answer = await downloadCsv(anne, "/agent/export.csv?attribution=moi&tri=recentes");
    expect(answer.status).toBe(200);
    const lines = (answer.body as Buffer).toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/;"Aidant";"Courriel aidant";"Attribuée à"$/);
    expect(lines.slice(1).map((line) => /^"(DEM-\d{10})"/.exec(line)![1])).toEqual([...annes].reverse());
    for (const line of lines.slice(1)) expect(line).toMatch(/;"Anne AGENT"$/);
    const nobody = (await downloadCsv(anne, "/agent/export.csv?attribution=personne")).body as Buffer;
    const nobodyLines = nobody.toString("utf8").trimEnd().split("\r\n").slice(1);
    expect(nobodyLines).toHaveLength(4);
    for (const line of nobodyLines) expect(line).toMatch(/;""$/);
    const audit = await ctx.db.auditLog.findFirstOrThrow({ where: { action: "EXPORTED" }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({ filters: { attribution: "personne" } });
  });
});
