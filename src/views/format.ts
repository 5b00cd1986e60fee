/**
 * How the pages write dates, amounts and sizes, the French way. Instants
 * (a submission, a note) are shown in Paris time; calendar dates (a birth
 * date, the validity of a right) are stored at midnight UTC and shown as such,
 * so that no time zone moves them by a day. The formatters are built once:
 * toLocaleString() builds a new one on every call.
 */
import { formatEuros } from "../domain/participation.js";

const PARIS = "Europe/Paris";
const calendarDate = new Intl.DateTimeFormat("fr-FR", { timeZone: "UTC" });
const longDay = new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, dateStyle: "long" });
const longDateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, dateStyle: "long", timeStyle: "short" });
const shortDateTime = new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, dateStyle: "short", timeStyle: "short" });
const timestamp = new Intl.DateTimeFormat("fr-FR", { timeZone: PARIS, dateStyle: "short", timeStyle: "medium" });
const decimal = new Intl.NumberFormat("fr-FR");

/** Shown for a date that cannot be read (Intl throws where toLocaleString said « Invalid Date »). */
const UNREADABLE = "—";

function safely(format: Intl.DateTimeFormat, value: Date | string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? UNREADABLE : format.format(date);
}

/** A calendar date (stored at midnight UTC): « 18/06/1950 ». */
export function formatDate(date: Date | string): string {
  return safely(calendarDate, date);
}

/** The day of an instant, in Paris: « 29 novembre 2026 ». */
export function formatDay(instant: Date): string {
  return safely(longDay, instant);
}

/** An instant, in Paris: « 29 novembre 2026 à 10:47 ». */
export function formatDateTime(instant: Date): string {
  return safely(longDateTime, instant);
}

/** An instant in a table, in Paris: « 29/11/2026 10:47 ». */
export function formatShortDateTime(instant: Date): string {
  return safely(shortDateTime, instant);
}

/** An instant to the second, in Paris (the audit log): « 29/11/2026 10:47:54 ». */
export function formatTimestamp(instant: Date): string {
  return safely(timestamp, instant);
}

/** An amount held in cents: « 25 € », « 42,50 € » (the domain's own formatter). */
export { formatEuros };

/** A postal address on one line, its empty parts left out: « 12 rue de la Paix, Bât. B, 93000 Bobigny ». */
export function formatAddress(address: {
  street?: string | null;
  addressLine2?: string | null;
  addressLine3?: string | null;
  postalCode?: string | null;
  city?: string | null;
}): string {
  const town = [address.postalCode, address.city].filter(Boolean).join(" ");
  return [address.street, address.addressLine2, address.addressLine3, town].filter(Boolean).join(", ");
}

/** A person as the pages name them: « Marie DUPONT » (the banner of an aidant acting for someone, the aidant's pages). */
export function personName(person: { firstName: string; lastName: string }): string {
  return `${person.firstName} ${person.lastName.toUpperCase()}`;
}

/** A whole number with French thousands separators: « 12 500 ». */
export function formatNumber(value: number): string {
  return decimal.format(value);
}

const KILOBYTE = 1024;
const MEGABYTE = 1024 * 1024;

/**
 * A file's size: « 12 Ko » under a megabyte (never « 0 Ko »), « 12,5 Mo »
 * above, rounded down so that a limit is never shown larger than it is.
 */
export function formatSize(bytes: number): string {
  if (bytes < MEGABYTE) return `${Math.max(1, Math.round(bytes / KILOBYTE))} Ko`;
  return formatMegabytes(bytes);
}

/** « 12,5 Mo », « 0 Mo »: a limit or what is left of it, in the upload messages. */
export function formatMegabytes(bytes: number): string {
  return `${decimal.format(Math.floor((bytes / MEGABYTE) * 10) / 10)} Mo`;
}
