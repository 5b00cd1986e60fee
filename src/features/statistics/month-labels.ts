/** The names of a month given as « 2026-11 », the French way. */

const longMonth = new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" });
const shortMonth = new Intl.DateTimeFormat("fr-FR", { month: "short", timeZone: "UTC" });

function firstDay(month: string): Date {
  const [year, index] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(year, index - 1, 1));
}

/** « novembre 2026 » (the table). */
export function monthName(month: string): string {
  return longMonth.format(firstDay(month));
}

/** « nov. » (under a bar of the chart, where the year is written once per year). */
export function shortMonthName(month: string): string {
  return shortMonth.format(firstDay(month));
}

/** « 1er décembre 2025 »: the first day of the period. */
export function firstDayOf(month: string): string {
  return `1er ${monthName(month)}`;
}
