/**
 * « Statistiques » (administrators) and the processing time stated on the
 * confirmation page. The definitions are in statistics-queries.ts and on the
 * page itself.
 */
import type { AppContext } from "../../context.js";
import { logger } from "../../logger.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { ShortCache } from "../pages/short-cache.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { durationFigures, monthFigures, type DurationFigures, type MonthFigures } from "./statistics-queries.js";

/** Fewer decisions than this and the confirmation page says nothing: a figure from a handful of requests misleads. */
export const MINIMUM_DECISIONS = 20;

/**
 * The confirmation page's figure is kept this long, in each server's memory:
 * a page every applicant sees once must not run two aggregates over the whole
 * history each time, and a figure over 12 months hardly moves in 10 minutes.
 * Servers may differ for those minutes, which is harmless.
 */
export const DELAY_CACHE_MS = 10 * 60 * 1000;

/**
 * The page « Statistiques » is kept this long, in each server's memory, like
 * the confirmation page's figure: its aggregates read the whole history
 * (2 s at 500,000 requests, bench:statistics), and figures over 12 months
 * a few minutes old still tell how the service is doing. The page says when
 * they were computed.
 */
export const OVERVIEW_CACHE_MS = 5 * 60 * 1000;

export interface StatisticsOverview {
  /** When the figures were computed, and the end of their period: the page says « Chiffres calculés le … ». */
  now: Date;
  /** Every status but DRAFT, in the state machine's order. */
  byStatus: { status: RequestStatus; label: string; count: number }[];
  months: MonthFigures[];
  durations: DurationFigures;
}

export class StatisticsService {
  private readonly delay: ShortCache<number | null>;
  private readonly figures: ShortCache<StatisticsOverview>;

  constructor(private readonly context: Pick<AppContext, "db" | "clock">) {
    // Aged by the portal's clock (tests move it forward); a clock set back only keeps the figures longer.
    const clockMs = () => context.clock.now().getTime();
    this.delay = new ShortCache(() => this.loadProcessingDelay(), DELAY_CACHE_MS, clockMs);
    // A failed load is not kept (ShortCache): the administrator gets the error page, and the next view tries again.
    this.figures = new ShortCache(() => this.loadOverview(), OVERVIEW_CACHE_MS, clockMs);
  }

  /** The figures of « Statistiques », computed at most once per OVERVIEW_CACHE_MS on this server. */
  overview(): Promise<StatisticsOverview> {
    return this.figures.get();
  }

  private async loadOverview(): Promise<StatisticsOverview> {
    const { db, clock } = this.context;
    const now = clock.now();
    const [counts, months, durations] = await Promise.all([db.requestStatusCount.findMany(), monthFigures(db, now), durationFigures(db, now)]);
    const countOf = new Map(counts.map((row) => [row.status, row.count]));
    const byStatus = (Object.keys(STATUS_LABELS) as RequestStatus[])
      .filter((status) => status !== "DRAFT")
      .map((status) => ({ status, label: STATUS_LABELS[status], count: countOf.get(status) ?? 0 }));
    return { now, byStatus, months, durations };
  }

  /**
   * The median number of days from deposit to decision over the last 12
   * months, rounded, for « Délai médian de traitement constaté »; null when
   * fewer than MINIMUM_DECISIONS requests were decided.
   */
  async processingDelay(): Promise<number | null> {
    try {
      return await this.delay.get();
    } catch (error) {
      // The sentence is a courtesy: a failed aggregate must not cost the applicant their confirmation page (the next view tries again).
      logger.warn({ err: error }, "processing delay unavailable");
      return null;
    }
  }

  private async loadProcessingDelay(): Promise<number | null> {
    const { decided, medianDays } = await durationFigures(this.context.db, this.context.clock.now());
    return decided >= MINIMUM_DECISIONS && medianDays !== null ? Math.round(medianDays) : null;
  }
}
