import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logIn } from "../support/accounts.js";
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
    const { stdout } = await run(["--role", "agent", "--email", "Agent.Un@SeineSaintDenis.fr", "--first-name", "Anne", "--last-name", "Martin"], "Agent-Du-93-Bobigny");
    expect(stdout).toContain("Compte agent prêt : agent.un@seinesaintdenis.fr");
    const agent = await ctx.db.user.findUniqueOrThrow({ where: { email: "agent.un@seinesaintdenis.fr" } });
    expect(agent.role).toBe("AGENT");
    expect((await logIn(newBrowser(ctx.app), "agent.un@seinesaintdenis.fr", "Agent-Du-93-Bobigny")).status).toBe(303);
  }, 60_000);

  it("refuses a weak password or a bad role, in French, creating nothing", async () => {
    await expect(run(["--role", "agent", "--email", "faible@example.fr", "--first-name", "A", "--last-name", "B"], "faible")).rejects.toMatchObject({
      stderr: expect.stringContaining("au moins 12 caractères"),
    });
    await expect(run(["--role", "chef", "--email", "x@example.fr", "--first-name", "A", "--last-name", "B"], "Agent-Du-93-Bobigny")).rejects.toMatchObject({
      stderr: expect.stringContaining("--role doit valoir agent ou admin."),
    });
    expect(await ctx.db.user.count({ where: { email: { in: ["faible@example.fr", "x@example.fr"] } } })).toBe(0);
  }, 60_000);
});
