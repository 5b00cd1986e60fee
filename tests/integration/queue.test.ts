import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csvCell } from "../../src/features/agent/csv.js";
import { logIn } from "../support/accounts.js";
import { createStaff, downloadCsv, seedRequest } from "../support/back-office.js";
import { newBrowser, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
const numbers: Record<string, string> = {};

const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

beforeAll(async () => {
  ctx = await createTestContext();
  await createStaff(ctx.db, "agent.file@cd93.fr");
  agent = newBrowser(ctx.app);
  await logIn(agent, "agent.file@cd93.fr");
  const seeds = {
    ancienne: { lastName: "Abadie", submittedAt: day("2026-01-05"), type: "FIRST", statutCode: "PA", zonageCode: "Z1_5", status: "SUBMITTED" },
    handicap: {
      lastName: "Benali",
      submittedAt: day("2026-02-10"),
      type: "RENEWAL",
      statutCode: "AH",
      zonageCode: "Z2_5",
      status: "IN_REVIEW",
      navigoNumber: "55554444",
    },
    combattant: {
      lastName: "Chevalier",
      firstName: "Émile",
      submittedAt: day("2026-03-15"),
      type: "FIRST",
      statutCode: "AC",
      zonageCode: "Z3_5",
      status: "AWAITING_DOCUMENT",
      email: "emile.chevalier@example.fr",
    },
    veuve: {
      lastName: "Durand",
      submittedAt: day("2026-04-20"),
      type: "RENEWAL",
      statutCode: "VG",
      zonageCode: "Z1_5",
      status: "APPROVED",
      city: '=HYPERLINK("http://x")',
    },
    formule: {
      lastName: "Ébrard",
      firstName: "Zoé",
      submittedAt: day("2026-05-25"),
      type: "RENEWAL",
      statutCode: "PA",
      zonageCode: "Z2_5",
      status: "SUBMITTED",
      aidantName: 'Guillemets "et" ; point-virgule',
      aidantEmail: "+aidant@example.fr",
    },
  } as const;
  for (const [key, options] of Object.entries(seeds)) numbers[key] = (await seedRequest(ctx.db, options)).number!;
  // A draft never shows in the queue.
  await ctx.db.request.create({
    data: { applicantId: (await ctx.db.user.findFirstOrThrow({ where: { role: "APPLICANT" } })).id, termsAcceptedAt: new Date(), termsVersion: "2026-11" },
  });
});
afterAll(async () => ctx.close());

async function listed(query: string): Promise<string[]> {
  const page = await agent.get(`/agent${query}`);
  expect(page.status, page.text.slice(0, 500)).toBe(200);
  return [...page.text.matchAll(/href="\/agent\/demandes\/(DEM-\d{10})"/g)].map((match) => match[1]!);
}

describe("The queue", () => {
  it("lists submitted requests, oldest first, never drafts", async () => {
    expect(await listed("")).toEqual([numbers.ancienne, numbers.handicap, numbers.combattant, numbers.veuve, numbers.formule]);
  });

  it.each([
    ["?statut=SUBMITTED", ["ancienne", "formule"]],
    ["?type=FIRST", ["ancienne", "combattant"]],
    ["?situation=PA", ["ancienne", "formule"]],
    ["?zonage=Z1_5", ["ancienne", "veuve"]],
    ["?du=01/02/2026&au=15/03/2026", ["handicap", "combattant"]],
    ["?au=05/01/2026", ["ancienne"]],
    ["?type=RENEWAL&zonage=Z2_5&statut=IN_REVIEW", ["handicap"]],
    ["?q=chevalier", ["combattant"]],
    ["?q=ÉMILE", ["combattant"]],
    ["?q=emile.chevalier@example", ["combattant"]],
    ["?q=55554444", ["handicap"]],
  ])("filters %s exactly", async (query, keys) => {
    expect(await listed(query)).toEqual(keys.map((key) => numbers[key]));
  });

  it("finds a request by its number, with or without the zeros", async () => {
    expect(await listed(`?q=${numbers.veuve}`)).toEqual([numbers.veuve]);
    expect(await listed(`?q=${encodeURIComponent(`dem-${Number(numbers.veuve!.slice(4))}`)}`)).toEqual([numbers.veuve]);
  });

  it("refuses an invalid date range or value with a French message (422)", async () => {
    for (const [query, message] of [
      ["?du=15/03/2026&au=01/02/2026", "La date de fin doit être après la date de début."],
      ["?du=31/02/2026", "Cette date n'existe pas"],
      ["?du=hier", "jour/mois/année"],
      ["?statut=INCONNU", "Choisissez un statut dans la liste."],
    ]) {
      const page = await agent.get(`/agent${query}`);
      expect(page.status).toBe(422);
      expect(textOf(page.text)).toContain(message);
    }
  });

  it("pages through 50 at a time", async () => {
    for (let i = 0; i < 50; i++) await seedRequest(ctx.db, { submittedAt: day("2026-09-01"), lastName: `Pagination${i}` });
    const firstPage = await agent.get("/agent");
    const first = await listed("");
    expect(first).toHaveLength(50);
    expect(textOf(firstPage.text)).toContain("Page 1 sur 2");
    expect(firstPage.text).not.toContain("Page précédente");
    // « Page suivante » carries an opaque cursor (the sort key and an id, no personal data).
    const next = /href="\/agent(\?curseur=[A-Za-z0-9_-]+)" rel="next"/.exec(firstPage.text)![1]!;
    const second = await listed(next);
    expect(second).toHaveLength(5);
    expect(new Set([...first, ...second]).size).toBe(55);
    const secondPage = await agent.get(`/agent${next}`);
    expect(textOf(secondPage.text)).toContain("Page 2 sur 2");
    expect(secondPage.text).not.toContain("Page suivante");
    const previous = /href="\/agent(\?curseur=[A-Za-z0-9_-]+)" rel="prev"/.exec(secondPage.text)![1]!;
    expect(await listed(previous)).toEqual(first);
    // A cursor that is not one of ours is the first page, not an error.
    expect(await listed("?curseur=pas-un-curseur")).toEqual(first);
  });
});

describe("CSV export", () => {
  it("exports what is filtered, UTF-8 with BOM, quoted, formulas neutralised, and audits it", async () => {
    const answer = await downloadCsv(agent, "/agent/export.csv?situation=PA&type=RENEWAL&zonage=Z2_5");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(answer.headers["content-disposition"]).toMatch(/^attachment; filename="demandes-amethyste-\d{4}-\d{2}-\d{2}\.csv"$/);
    const body = answer.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines[0]).toContain('"Numéro de demande";"Déposée le";"Statut"');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`"${numbers.formule}"`);
    expect(lines[1]).toContain('"Ébrard";"Zoé"');
    expect(lines[1]).toContain('"Guillemets ""et"" ; point-virgule"');
    expect(lines[1]).toContain(`"'+aidant@example.fr"`);
    const audit = await ctx.db.auditLog.findFirstOrThrow({ where: { action: "EXPORTED" }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({ filters: { situation: "PA", type: "RENEWAL", zonage: "Z2_5" } });
  });

  it("neutralises every cell a spreadsheet would run as a formula", async () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const start of ["+", "-", "@", "\t", "\r"]) expect(csvCell(`${start}1`)).toBe(`"'${start}1"`);
    expect(csvCell("Bobigny")).toBe('"Bobigny"');
    expect(csvCell(null)).toBe('""');
    const answer = await agent.get("/agent/export.csv?situation=VG");
    expect(answer.text).toContain(`"'=HYPERLINK(""http://x"")"`);
  });
});
