/** What the public pages and /healthz read from the database. */
import type { AppContext } from "../../context.js";
import { homeFacts, type HomeFacts } from "./home-facts.js";

export class PageService {
  constructor(private readonly ctx: Pick<AppContext, "db">) {}

  /** Who can ask and what is left to pay, for Accueil. */
  homeFacts(): Promise<HomeFacts> {
    return homeFacts(this.ctx.db);
  }

  /** Whether the database answers a trivial query (a failure is the answer, not an error). */
  async databaseAnswers(): Promise<boolean> {
    try {
      await this.ctx.db.$queryRaw`SELECT 1`;
      return true;
    } catch {
      return false;
    }
  }
}
