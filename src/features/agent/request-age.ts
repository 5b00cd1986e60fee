/**
 * The age of a request in the queue: whole days since its deposit, counted
 * in Paris calendar days (a request sent at 00:30 in Paris is « aujourd'hui »
 * all that day, although it is still the day before in UTC).
 */
import { parisDay } from "../../lib/paris-day.js";

/** The Paris calendar day of an instant, as a count of days since 1970-01-01. */
function parisDayNumber(instant: Date): number {
  return Date.parse(parisDay(instant)) / 86_400_000;
}

/** Paris days from `submittedAt` to `now`; never negative (a clock a little behind the database's). */
export function ageInDays(submittedAt: Date, now: Date): number {
  return Math.max(0, parisDayNumber(now) - parisDayNumber(submittedAt));
}

/** « aujourd'hui », « 1 jour », « 12 jours ». */
export function ageText(days: number): string {
  if (days === 0) return "aujourd'hui";
  return days === 1 ? "1 jour" : `${days.toLocaleString("fr-FR")} jours`;
}
