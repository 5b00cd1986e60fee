import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GOOD_PASSWORD, logIn, registerAndActivate } from "../support/accounts.js";
import { newBrowser } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

const run = (args: string[], password: string) =>
  promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/create-user.ts", ...args], {
    env: { ...process.env, DATABASE_URL: ctx.databaseUrl, AMETHYSTE_PASSWORD: password },
  });

describe("npm run create-user", () => {
  it("creates an agent who can log in at /connexion", async () => {
    const { stdout } = await run(
      ["--role", "agent", "--email", "Agent.Un@SeineSaintDenis.fr", "--first-name", "Anne", "--last-name", "Martin"],
      "Agent-Du-93-Bobigny",
    );
    expect(stdout).toContain("Compte agent prêt : agent.un@seinesaintdenis.fr");
    const agent = await ctx.db.user.findUniqueOrThrow({ where: { email: "agent.un@seinesaintdenis.fr" } });
    expect(agent.role).toBe("AGENT");
    expect((await logIn(newBrowser(ctx.app), "agent.un@seinesaintdenis.fr", "Agent-Du-93-Bobigny")).status).toBe(303);
  }, 60_000);

  it("refuses a weak password or a bad role, in French, creating nothing", async () => {
    await expect(run(["--role", "agent", "--email", "faible@example.fr", "--first-name", "A", "--last-name", "B"], "faible")).rejects.toMatchObject({
      stderr: expect.stringContaining("au moins 12 caractères") as unknown,
    });
    await expect(run(["--role", "chef", "--email", "x@example.fr", "--first-name", "A", "--last-name", "B"], "Agent-Du-93-Bobigny")).rejects.toMatchObject({
      stderr: expect.stringContaining("--role doit valoir agent ou admin.") as unknown,
    });
    expect(await ctx.db.user.count({ where: { email: { in: ["faible@example.fr", "x@example.fr"] } } })).toBe(0);
  }, 60_000);

  it("refuses an address that already has an account unless --promote is given, changing nothing", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "demandeuse@example.fr", firstName: "Denise", lastName: "Demandeuse" });
    const before = await ctx.db.user.findUniqueOrThrow({ where: { email: "demandeuse@example.fr" } });
    await expect(
      run(["--role", "agent", "--email", "Demandeuse@example.fr", "--first-name", "Intrus", "--last-name", "Intrus"], "Autre-Mot-2-Passe!"),
    ).rejects.toMatchObject({ stderr: expect.stringContaining("Un compte existe déjà avec l'adresse demandeuse@example.fr") as unknown });
    const after = await ctx.db.user.findUniqueOrThrow({ where: { email: "demandeuse@example.fr" } });
    expect(after).toEqual(before);
    expect((await logIn(newBrowser(ctx.app), "demandeuse@example.fr", "Autre-Mot-2-Passe!")).status).toBe(401);
  }, 180_000);

  it("with --promote changes only the role, keeps the password and the name, and says what changed", async () => {
    await registerAndActivate(ctx, newBrowser(ctx.app), { email: "promue@example.fr", firstName: "Paule", lastName: "Promue" });
    const before = await ctx.db.user.findUniqueOrThrow({ where: { email: "promue@example.fr" } });
    const { stdout } = await run(
      ["--promote", "--role", "agent", "--email", "promue@example.fr", "--first-name", "Autre", "--last-name", "Nom"],
      "Autre-Mot-2-Passe!",
    );
    expect(stdout).toContain("promue@example.fr : rôle changé de demandeur à agent");
    const after = await ctx.db.user.findUniqueOrThrow({ where: { email: "promue@example.fr" } });
    expect(after).toMatchObject({ role: "AGENT", firstName: "Paule", lastName: "Promue", passwordHash: before.passwordHash });
    expect((await logIn(newBrowser(ctx.app), "promue@example.fr", GOOD_PASSWORD)).headers.location).toBe("/agent");

    const again = await run(["--promote", "--role", "agent", "--email", "promue@example.fr"], "");
    expect(again.stdout).toContain("promue@example.fr a déjà le rôle agent : rien n'a changé");
    await expect(run(["--promote", "--role", "admin", "--email", "personne@example.fr"], "")).rejects.toMatchObject({
      stderr: expect.stringContaining("Aucun compte avec l'adresse personne@example.fr") as unknown,
    });
  }, 180_000);
});
