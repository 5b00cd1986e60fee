/**
 * `npm run retention`: counts per category and nothing else (no name, no
 * address), nothing changed without --apply, a future date with --as-of,
 * and --apply doing what is due.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMonths, seedFinished } from "../support/retention.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

const run = (args: string[]) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/retention.ts", ...args], {
    env: { ...process.env, DATABASE_URL: ctx.databaseUrl, UPLOADS_DIR: ctx.uploadsDir, NODE_ENV: "test" },
  });

describe("npm run retention", () => {
  it("prints counts per category, changes nothing without --apply, shows a future date with --as-of, and --apply deletes what is due", async () => {
    // Decided 25 months ago: its documents are due today.
    const { request, document } = await seedFinished(ctx, "APPROVED", addMonths(new Date(), -25), { email: "commande@example.fr", lastName: "Commande" });
    const { document: recent } = await seedFinished(ctx, "REFUSED", new Date(), { email: "recent@example.fr" });

    const today = await run([]);
    expect(today.stdout).toContain("rien n'est modifié");
    expect(today.stdout).toContain("Justificatifs des demandes terminées depuis 2 ans : 1 fichier(s) de 1 demande(s) à supprimer");
    expect(today.stdout).toContain("Brouillons non modifiés depuis 1 an : 0 à supprimer, 0 à prévenir");
    expect(today.stdout).not.toMatch(/commande@|recent@|Commande|Bobigny|DEM-/);
    expect(existsSync(path.join(ctx.uploadsDir, document.storedName))).toBe(true);

    const later = await run(["--as-of", addMonths(new Date(), 25).toISOString().slice(0, 10)]);
    expect(later.stdout).toContain("2 fichier(s) de 2 demande(s) à supprimer");
    expect(existsSync(path.join(ctx.uploadsDir, recent.storedName))).toBe(true);

    await expect(run(["--apply", "--as-of", "2030-01-01"])).rejects.toMatchObject({
      stderr: expect.stringContaining("ne s'utilise pas avec --apply") as unknown,
    });
    await expect(run(["--as-of", "2030-02-30"])).rejects.toMatchObject({ stderr: expect.stringContaining("AAAA-MM-JJ") as unknown });

    const applied = await run(["--apply"]);
    expect(applied.stdout).toContain("Justificatifs : 1 fichier(s) supprimé(s) dans 1 demande(s) terminée(s)");
    expect(existsSync(path.join(ctx.uploadsDir, document.storedName))).toBe(false);
    expect(existsSync(path.join(ctx.uploadsDir, recent.storedName))).toBe(true);
    expect(await ctx.db.request.count({ where: { id: request.id } })).toBe(1);
  }, 120_000);
});
