/** The results as a Markdown table, ready to paste into the README. */
import type { Usage } from "./db-stats.js";
import type { PairResult, SideSummary } from "./load.js";
import type { SequentialResult } from "./sequential.js";

const whole = (value: number) => Math.round(value).toLocaleString("en-US");
const decimals = (value: number, digits: number) => value.toFixed(digits);

function failuresOf(side: SideSummary): string {
  return [...side.failures].map(([code, count]) => `${code}×${count}`).join(", ");
}

export function pairTable(results: PairResult[]): string {
  const lines = [
    "| page | portal req/s | portal p99 | reference | reference req/s | reference p99 | ratio | transactions / request | writes / request |",
    "|---|---:|---:|---|---:|---:|---:|---:|---:|",
  ];
  for (const { pair, portal, reference, perRequest } of results) {
    lines.push(
      `| ${pair.page} | ${whole(portal.requestsPerSecond)} | ${whole(portal.p99)} ms | ${pair.reference.label} | ${whole(reference.requestsPerSecond)} | ${whole(reference.p99)} ms | ` +
        `${decimals(portal.requestsPerSecond / reference.requestsPerSecond, 2)} | ${decimals(perRequest.transactions, 2)} | ${decimals(perRequest.writes, 2)} |`,
    );
  }
  return lines.join("\n");
}

/** Lines naming every answer that was not a 2xx: a page that redirects to the login is not measuring the page. */
export function failureWarnings(results: PairResult[]): string[] {
  const warnings: string[] = [];
  for (const { pair, portal, reference } of results) {
    if (portal.failures.size > 0) warnings.push(`ATTENTION ${pair.page} (portail) : réponses hors 2xx ${failuresOf(portal)}`);
    if (reference.failures.size > 0) warnings.push(`ATTENTION ${pair.page} (${pair.reference.label}) : réponses hors 2xx ${failuresOf(reference)}`);
  }
  return warnings;
}

export function saveLine(result: SequentialResult, slug: string): string {
  return (
    `Saving the wizard step « ${slug} » (POST, ${result.count} in a row, one browser): ${decimals(result.perRequest.transactions, 2)} transactions and ` +
    `${decimals(result.perRequest.writes, 2)} writes per save, ${decimals(result.meanMs, 1)} ms mean, ${decimals(result.p99Ms, 1)} ms p99`
  );
}

/** The database work of each page for one visitor at a time, free of the load's effects (answers cut at the end of a round). */
export function sequentialTable(rows: { page: string; result: SequentialResult }[]): string {
  const lines = ["| page, one visitor, GETs in a row | transactions / request | writes / request | mean |", "|---|---:|---:|---:|"];
  for (const { page, result } of rows) {
    lines.push(`| ${page} | ${decimals(result.perRequest.transactions, 2)} | ${decimals(result.perRequest.writes, 2)} | ${decimals(result.meanMs, 1)} ms |`);
  }
  return lines.join("\n");
}

export function calibrationLine(result: SequentialResult): string {
  return (
    `Check of the database figures: ${result.count} GET /healthz in a row (one SELECT each, no session) read as ` +
    `${decimals(result.perRequest.transactions, 2)} transactions and ${decimals(result.perRequest.writes, 2)} writes per request`
  );
}

export function startupLine(ms: number): string {
  return `npm start on a built checkout → first 200 on /healthz: ${decimals(ms / 1000, 1)} s`;
}

export function backgroundLine(perSecond: Usage): string {
  return `Portal's background work while idle, taken off the figures above: ${decimals(perSecond.transactions, 2)} transactions/s, ${decimals(perSecond.writes, 2)} writes/s`;
}
