/**
 * « Messages non distribués »: a mail the outbox gave up on is shown to the
 * administrators, who can send it again; the retry is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, queueMail, retryDelayMs } from "../../src/mail/outbox.js";
import { logIn } from "../support/accounts.js";
import { loggedInStaff } from "../support/back-office.js";
import { submitForm, textOf, type Agent } from "../support/browserless.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
let agent: Agent;
let admin: Agent;

beforeAll(async () => {
  ctx = await createTestContext();
  ({ agent, admin } = await loggedInStaff(ctx));
});
afterAll(async () => ctx.close());

/** Queues a mail while the SMTP server is down and lets every attempt fail. */
async function mailThatFailedEveryAttempt(to: string, subject: string): Promise<string> {
  const port = ctx.smtp.port;
  await ctx.deliverMails();
  await ctx.smtp.stop();
  await queueMail(ctx.db, to, { subject, blocks: ["Bonjour,", "Votre demande a changé de statut."] });
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await ctx.deliverMails();
    ctx.clock.advance(retryDelayMs(attempt) + 1000);
  }
  await ctx.smtp.start(port);
  // The clock moved hours forward, past the sessions' idle timeout: the administrator logs in again.
  await logIn(admin, "chef@cd93.fr");
  const mail = await ctx.db.outboxMail.findFirstOrThrow({ where: { to } });
  expect(mail.status).toBe("FAILED");
  expect(mail.attempts).toBe(MAX_ATTEMPTS);
  return mail.id;
}

describe("Messages non distribués", () => {
  it("lists the mails that failed every attempt, and sends one again when asked", async () => {
    expect(textOf((await admin.get("/admin/messages")).text)).toContain("Aucun message en échec");
    const id = await mailThatFailedEveryAttempt("injoignable@example.fr", "Votre demande DEM-0000012345 est validée");

    const page = await admin.get("/admin/messages");
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("injoignable@example.fr");
    expect(text).toContain("Votre demande DEM-0000012345 est validée");
    expect(text).toContain(`après ${MAX_ATTEMPTS} tentatives`);
    expect(textOf((await admin.get("/")).text)).toContain("Messages non distribués");

    const retried = await submitForm(admin, "/admin/messages", {}, `/admin/messages/${id}/renvoyer`);
    expect(retried.status).toBe(303);
    const queued = await ctx.db.outboxMail.findUniqueOrThrow({ where: { id } });
    expect(queued.status).toBe("PENDING");
    expect(queued.attempts).toBe(0);
    expect(textOf((await admin.get("/admin/messages")).text)).toContain("Le message est remis dans la file d'envoi");

    expect(await ctx.deliverMails()).toBe(1);
    const mail = await ctx.smtp.waitFor("injoignable@example.fr", "DEM-0000012345");
    expect(mail.text).toContain("Votre demande a changé de statut.");
    expect(textOf((await admin.get("/admin/messages")).text)).toContain("Aucun message en échec");

    const journal = textOf((await admin.get("/admin/journal?action=MAIL_RETRIED")).text);
    expect(journal).toContain("Message renvoyé");
    expect(journal).toContain("Adèle Admin");
    expect(journal).not.toContain("injoignable@example.fr");
  });

  it("refuses to resend a mail that is not in failure, or that does not exist (404, nothing changed)", async () => {
    await queueMail(ctx.db, "parti@example.fr", { subject: "Déjà remis", blocks: ["Bonjour"] });
    await ctx.deliverMails();
    const sent = await ctx.db.outboxMail.findFirstOrThrow({ where: { to: "parti@example.fr" } });
    expect(sent.status).toBe("SENT");
    const auditsBefore = await ctx.db.auditLog.count();

    expect((await submitForm(admin, "/admin/messages", {}, `/admin/messages/${sent.id}/renvoyer`)).status).toBe(404);
    expect((await submitForm(admin, "/admin/messages", {}, "/admin/messages/00000000-0000-0000-0000-000000000000/renvoyer")).status).toBe(404);
    expect((await submitForm(admin, "/admin/messages", {}, "/admin/messages/pas-un-id/renvoyer")).status).toBe(404);

    expect((await ctx.db.outboxMail.findUniqueOrThrow({ where: { id: sent.id } })).status).toBe("SENT");
    expect(await ctx.db.auditLog.count()).toBe(auditsBefore);
    expect(ctx.smtp.to("parti@example.fr")).toHaveLength(1);
  });

  it("is for administrators only: an agent gets the 404 page, and a retry without the form's token is refused", async () => {
    const id = await mailThatFailedEveryAttempt("autre@example.fr", "Un autre message");
    expect((await agent.get("/admin/messages")).status).toBe(404);
    expect((await submitForm(agent, "/agent", {}, `/admin/messages/${id}/renvoyer`)).status).toBe(404);
    expect((await admin.post(`/admin/messages/${id}/renvoyer`).type("form").send({})).status).toBe(403);
    expect((await ctx.db.outboxMail.findUniqueOrThrow({ where: { id } })).status).toBe("FAILED");
  });
});
