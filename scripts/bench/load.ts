/**
 * The load: autocannon, 64 connections, on a page of the portal and on its
 * reference in alternation (A B A B A B), so that both see the same machine
 * (these machines are shared and their speed drifts within a minute). The
 * portal's database work is read around each of its rounds.
 */
import autocannon from "autocannon";
import type { PortalDatabaseStats, Usage } from "./db-stats.js";

export const CONNECTIONS = 64;

export interface Target {
  label: string;
  url: string;
  /** The session cookie of a logged-in page. */
  cookie?: string;
}

export interface Pair {
  page: string;
  portal: Target;
  reference: Target;
}

interface Round {
  /** Answers received. */
  answered: number;
  /** Requests sent, the ones in flight when the round ended included: the portal did their database work too. */
  sent: number;
  seconds: number;
  p99: number;
  /** The slowest answer, in ms: how long the portal may go on with the requests still in flight at the end. */
  max: number;
  /** Answers other than 2xx, errors and timeouts, by status code (or "erreur"). */
  failures: Map<string, number>;
}

export interface SideSummary {
  requestsPerSecond: number;
  /** The median of the rounds' 99th percentiles, in ms. */
  p99: number;
  failures: Map<string, number>;
}

export interface PairResult {
  pair: Pair;
  portal: SideSummary;
  reference: SideSummary;
  /** Per request sent to the portal. */
  perRequest: Usage;
}

async function run(target: Target, seconds: number): Promise<Round> {
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    headers: target.cookie ? { cookie: target.cookie } : {},
  });
  const failures = new Map<string, number>();
  for (const [code, { count = 0 }] of Object.entries(result.statusCodeStats ?? {})) {
    if (!code.startsWith("2") && count > 0) failures.set(code, count);
  }
  if (result.errors > 0) failures.set("erreur", result.errors);
  return { answered: result.requests.total, sent: result.requests.sent, seconds: result.duration, p99: result.latency.p99, max: result.latency.max, failures };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function summarize(rounds: Round[]): SideSummary {
  const failures = new Map<string, number>();
  for (const round of rounds) for (const [code, count] of round.failures) failures.set(code, (failures.get(code) ?? 0) + count);
  const answered = rounds.reduce((sum, round) => sum + round.answered, 0);
  if (answered === 0) failures.set("aucune réponse", rounds.length);
  return {
    requestsPerSecond: answered / rounds.reduce((sum, round) => sum + round.seconds, 0),
    p99: median(rounds.map((round) => round.p99)),
    failures,
  };
}

/**
 * Warms both up (not counted), then `rounds` times the portal's page and the
 * reference in turn. The reference's round also lets the portal's
 * statistics settle before they are read.
 */
export async function measurePair(pair: Pair, options: { seconds: number; rounds: number; stats: PortalDatabaseStats }): Promise<PairResult> {
  const { seconds, rounds, stats } = options;
  const warmUp = Math.max(1, Math.round(seconds / 5));
  stats.touched(Math.min((await run(pair.portal, warmUp)).max, 10_000));
  await run(pair.reference, warmUp);

  const portalRounds: Round[] = [];
  const referenceRounds: Round[] = [];
  const usage: Usage = { transactions: 0, writes: 0 };
  let before = await stats.settled();
  for (let round = 1; round <= rounds; round++) {
    const portalRound = await run(pair.portal, seconds);
    portalRounds.push(portalRound);
    stats.touched(Math.min(portalRound.max, 10_000));
    referenceRounds.push(await run(pair.reference, seconds));
    const after = await stats.settled();
    const used = stats.usageBetween(before, after);
    usage.transactions += used.transactions;
    usage.writes += used.writes;
    before = after;
  }
  const sent = portalRounds.reduce((sum, round) => sum + round.sent, 0);
  return {
    pair,
    portal: summarize(portalRounds),
    reference: summarize(referenceRounds),
    perRequest: { transactions: usage.transactions / sent, writes: usage.writes / sent },
  };
}
