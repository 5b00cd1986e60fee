/** How « Statistiques » and the confirmation page write their figures. */

const oneDecimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1, minimumFractionDigits: 0 });
const wholePercent = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

/** « 12,5 jours », « 1 jour », « 0,4 jour » (French keeps the singular under 2). */
export function formatDays(days: number): string {
  const rounded = Math.round(days * 10) / 10;
  return `${oneDecimal.format(rounded)} ${rounded < 2 ? "jour" : "jours"}`;
}

/** « 30 % » of a share; never NaN (an empty period has no share: the page says so instead). */
export function formatPercent(part: number, whole: number): string {
  return `${wholePercent.format(whole === 0 ? 0 : (100 * part) / whole)} %`;
}
