import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queueMail, retryDelayMs } from "../../src/mail/outbox.js";
import { createTestContext, type TestContext } from "../support/test-app.js";

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
});
afterAll(async () => ctx.close());

describe("Mail outbox", () => {
  it("keeps a mail through an SMTP outage and delivers it once the server is back", async () => {
    const port = ctx.smtp.port;
    await ctx.smtp.stop();
    await queueMail(ctx.db, "patient@example.fr", { subject: "Message important", blocks: ["Bonjour,", { link: "http://portail.test/x", label: "Lien" }] });

    expect(await ctx.deliverMails()).toBe(0);
    const waiting = await ctx.db.outboxMail.findFirstOrThrow({ where: { to: "patient@example.fr" } });
    expect(waiting.status).toBe("PENDING");
    expect(waiting.attempts).toBe(1);
    expect(waiting.lastError).toBeTruthy();
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(ctx.clock.now().getTime());

    await ctx.smtp.start(port);
    // Not before its retry time…
    expect(await ctx.deliverMails()).toBe(0);
    // …but once it has come.
    ctx.clock.advance(retryDelayMs(1) + 1000);
    expect(await ctx.deliverMails()).toBe(1);
    const mail = await ctx.smtp.waitFor("patient@example.fr", "Message important");
    expect(mail.text).toContain("Lien :\nhttp://portail.test/x");
    expect(mail.html).toContain('<a href="http://portail.test/x">Lien</a>');
    const sent = await ctx.db.outboxMail.findFirstOrThrow({ where: { to: "patient@example.fr" } });
    expect(sent.status).toBe("SENT");
    expect(sent.attempts).toBe(2);
  });

  it("sends each mail once even when two deliveries run at the same time", async () => {
    await queueMail(ctx.db, "unique@example.fr", { subject: "Une seule fois", blocks: ["Bonjour"] });
    const counts = await Promise.all([ctx.deliverMails(), ctx.deliverMails()]);
    expect(counts.reduce((a, b) => a + b, 0) >= 1).toBe(true);
    await ctx.smtp.waitFor("unique@example.fr", "Une seule fois");
    expect(ctx.smtp.to("unique@example.fr").length).toBe(1);
  });
});
