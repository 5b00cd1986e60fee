/**
 * Database transactions and row writes caused by the portal, from
 * PostgreSQL's cumulative statistics: pg_stat_database (xact_commit +
 * xact_rollback) and pg_stat_user_tables (n_tup_ins + n_tup_upd + n_tup_del)
 * of the portal's own database (the peer has its own, so it never counts).
 *
 * The lag: a backend adds its counts to the shared statistics at the end of
 * a transaction, but at most once a second; counts left pending then wait
 * until the connection has been idle for 10 s (PGSTAT_MIN_INTERVAL and
 * PGSTAT_IDLE_INTERVAL in PostgreSQL 15+'s pgstat.c). So a reading is only
 * complete once the portal has left the database alone for more than 10 s:
 * settled() waits for that, and the benchmark runs the reference's round in
 * that time, so the wait costs little.
 *
 * Each reading is one statement, hence one transaction of its own with its
 * own statistics snapshot (stats_fetch_consistency = cache keeps a snapshot
 * only until the end of the transaction). The reading's own transaction is
 * counted in the next reading: one is taken off each interval. The portal's
 * background work (the mail worker polls the outbox every 2 s) is measured
 * while the portal is idle and taken off in proportion to the time elapsed.
 */
import pg from "pg";

const FLUSH_LAG_MS = 11_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Reading {
  transactions: number;
  writes: number;
  /** performance.now() when read. */
  at: number;
}

export interface Usage {
  transactions: number;
  writes: number;
}

export class PortalDatabaseStats {
  private lastActivity = performance.now();
  /** Per millisecond, while the portal serves nobody. */
  private background: Usage = { transactions: 0, writes: 0 };

  private constructor(private readonly client: pg.Client) {}

  static async connect(databaseUrl: string): Promise<PortalDatabaseStats> {
    const client = new pg.Client({ connectionString: databaseUrl });
    // PostgreSQL may go first on Ctrl+C: a lost connection must not end the process before its clean-up.
    client.on("error", () => undefined);
    await client.connect();
    return new PortalDatabaseStats(client);
  }

  close(): Promise<void> {
    return this.client.end();
  }

  /**
   * To call whenever the benchmark makes the portal work: the next reading
   * waits for its counts. `tailMs`: how long the portal may still be busy
   * with requests already sent (the load generator stops without waiting
   * for the answers in flight).
   */
  touched(tailMs = 0): void {
    this.lastActivity = performance.now() + tailMs;
  }

  get backgroundPerSecond(): Usage {
    return { transactions: this.background.transactions * 1000, writes: this.background.writes * 1000 };
  }

  private async read(): Promise<Reading> {
    const { rows } = await this.client.query<{ transactions: string; writes: string }>(
      `SELECT (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()) AS transactions,
              (SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_user_tables) AS writes`,
    );
    return { transactions: Number(rows[0]!.transactions), writes: Number(rows[0]!.writes), at: performance.now() };
  }

  /** A reading that includes everything the portal did until now (waits out the statistics' lag). */
  async settled(): Promise<Reading> {
    const wait = this.lastActivity + FLUSH_LAG_MS - performance.now();
    if (wait > 0) await sleep(wait);
    return this.read();
  }

  /** Measures the portal's own background work over `ms` of idleness. */
  async measureBackground(ms: number): Promise<void> {
    const before = await this.settled();
    await sleep(ms);
    const after = await this.read();
    const elapsed = after.at - before.at;
    this.background = {
      transactions: Math.max(0, after.transactions - before.transactions - 1) / elapsed,
      writes: Math.max(0, after.writes - before.writes) / elapsed,
    };
  }

  /** What the portal did between two readings, without the readings' own transactions nor its background work. */
  usageBetween(before: Reading, after: Reading): Usage {
    const elapsed = after.at - before.at;
    return {
      transactions: Math.max(0, after.transactions - before.transactions - 1 - this.background.transactions * elapsed),
      writes: Math.max(0, after.writes - before.writes - this.background.writes * elapsed),
    };
  }
}
