/**
 * One visitor's requests in a row, each waiting for the previous answer: the
 * database work per request without concurrency (a wizard save, and the
 * calibration on /healthz, whose one SELECT must read as one transaction).
 */
import type { PortalDatabaseStats, Usage } from "./db-stats.js";

export interface SequentialResult {
  count: number;
  meanMs: number;
  p99Ms: number;
  perRequest: Usage;
}

/** `send` makes one request and returns its status, which must be `expected`. */
export async function measureSequential(stats: PortalDatabaseStats, count: number, expected: number, send: () => Promise<number>): Promise<SequentialResult> {
  const before = await stats.settled();
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const status = await send();
    times.push(performance.now() - started);
    if (status !== expected) throw new Error(`réponse ${status} (attendu : ${expected})`);
  }
  stats.touched();
  const used = stats.usageBetween(before, await stats.settled());
  times.sort((a, b) => a - b);
  return {
    count,
    meanMs: times.reduce((sum, time) => sum + time, 0) / count,
    p99Ms: times[Math.min(count - 1, Math.floor(count * 0.99))]!,
    perRequest: { transactions: used.transactions / count, writes: used.writes / count },
  };
}
