/** How « Statistiques » and the confirmation page write their figures. */

const oneDecimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1, minimumFractionDigits: 0 });
const wholePercent = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });
const parisDateTime = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  hourCycle: "h23",
});

/** « 12,5 jours », « 1 jour », « 0,4 jour » (French keeps the singular under 2). */
export function formatDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  return `${oneDecimal.format(rounded)} ${rounded < 2 ? "jour" : "jours"}`;
}

/** « 30 % » of a share; never NaN (an empty period has no share: the page says so instead). */
export function formatPercent(part: number, whole: number): string {
  return `${wholePercent.format(whole === 0 ? 0 : (100 * part) / whole)} %`;
}

/** An instant in Paris as a sentence says it: « 29 novembre 2026 à 18 h 52 », « 1er décembre 2026 à 9 h 05 ». */
export function formatComputedAt(instant: Date): string {
  const parts = parisDateTime.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? "";
  const day = part("day") === "1" ? "1er" : part("day");
  return `${day} ${part("month")} ${part("year")} à ${part("hour")} h ${part("minute")}`;
}
