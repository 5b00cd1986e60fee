/**
 * An SMTP server on loopback that accepts every mail and keeps none: the
 * portal in production refuses to start without SMTP_URL, and the pages
 * measured send no mail.
 */
import { SMTPServer } from "smtp-server";
import { freePort } from "../../tests/support/free-port.js";

export async function startSmtpSink(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on("end", () => callback());
    },
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  return { url: `smtp://127.0.0.1:${port}`, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
