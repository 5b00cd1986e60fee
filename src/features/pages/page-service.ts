/** What the public pages and /healthz read from the database. */
import type { AppContext } from "../../context.js";
import { homeFacts, type HomeFacts } from "./home-facts.js";
import { ShortCache } from "./short-cache.js";

/**
 * How long Accueil may show reference data without reading it again. A change
 * made through this process's « Participations » or « Situations » shows at
 * once (referenceDataChanged); one made by another process of the portal, or
 * straight in the database, within this delay.
 */
export const HOME_FACTS_TTL_MS = 30_000;

export class PageService {
  private readonly facts: ShortCache<HomeFacts>;

  constructor(private readonly ctx: Pick<AppContext, "db">) {
    this.facts = new ShortCache(() => homeFacts(this.ctx.db), HOME_FACTS_TTL_MS);
  }

  /** Who can ask and what is left to pay, for Accueil: read at most once per HOME_FACTS_TTL_MS. */
  homeFacts(): Promise<HomeFacts> {
    return this.facts.get();
  }

  /** The situations or the participations were just changed: the next Accueil reads them again. */
  referenceDataChanged(): void {
    this.facts.forget();
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
