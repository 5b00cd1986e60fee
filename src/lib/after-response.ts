/**
 * Work done once the answer has left. Forms that must not tell whether an
 * address has an account (« Mot de passe oublié ? », « Je crée mon compte »,
 * the mail to the owner of an account being guessed) answer first, then look
 * the address up and queue the mail: the time of the answer cannot depend on
 * what the lookup finds.
 */
import type { Response } from "express";
import { logger } from "../logger.js";

export class AfterResponse {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly report: (error: unknown) => void = reportError) {}

  /** Runs `work` when the response has been sent (or the connection closed). Errors are logged, never shown. */
  run(res: Response, work: () => Promise<unknown>): void {
    const sent = new Promise<void>((resolve) => {
      if (res.writableFinished || res.destroyed) resolve();
      res.once("finish", () => resolve());
      res.once("close", () => resolve());
    });
    const task: Promise<void> = sent
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => this.report(error),
      )
      .finally(() => this.pending.delete(task));
    this.pending.add(task);
  }

  /** Resolves once every piece of work started so far has ended (tests, and a clean stop). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}

function reportError(error: unknown): void {
  // The kind of error only: its message may quote the work's arguments (an address), which stay out of the logs.
  const code = (error as { code?: unknown } | null)?.code;
  const kind = error instanceof Error ? error.name : typeof error;
  logger.error({ type: kind, ...(typeof code === "string" ? { code } : {}) }, "travail après la réponse : échec");
}
