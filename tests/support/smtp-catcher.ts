/**
 * A real SMTP server on loopback (the smtp-server package) that keeps every
 * message it receives (decoded by mailparser), so tests read the mails a
 * person would get.
 */
import type { AddressInfo } from "node:net";
import { simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
}

export class SmtpCatcher {
  readonly mails: CaughtMail[] = [];
  private server: SMTPServer | undefined;
  private waiting: (() => void)[] = [];
  port = 0;
  /** How long the server waits before answering DATA for a mail with this subject (a slow mail server). */
  dataDelayMs: (subject: string) => number = () => 0;

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          simpleParser(Buffer.concat(chunks)).then(async (parsed) => {
            const delay = this.dataDelayMs(parsed.subject ?? "");
            if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
            this.mails.push({
              to: session.envelope.rcptTo.map((address) => address.address),
              subject: parsed.subject ?? "",
              text: parsed.text ?? "",
              html: typeof parsed.html === "string" ? parsed.html : "",
            });
            for (const wake of this.waiting.splice(0)) wake();
            callback();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = undefined;
  }

  /** The mails to this address so far. */
  to(address: string): CaughtMail[] {
    return this.mails.filter((mail) => mail.to.includes(address));
  }

  /** Waits (up to 5 s, or `withinMs`) for a mail to `address` whose subject contains `subject`. */
  async waitFor(address: string, subject: string, withinMs = 5_000): Promise<CaughtMail> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      const found = this.to(address)
        .filter((mail) => mail.subject.includes(subject))
        .at(-1);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`Aucun e-mail « ${subject} » reçu par ${address}`);
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }
}
