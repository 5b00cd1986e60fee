/**
 * The calendar day of an instant in Paris, where the portal's people live: a
 * request sent at 00:30 in Paris is of that day although it is still the day
 * before in UTC, and a right is in force until the end of its last day there.
 */
const parisDate = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit" });

/** « 2027-01-01 »: sorts and compares as the days do, and as a calendar date stored at midnight UTC writes (toISOString). */
export function parisDay(instant: Date): string {
  return parisDate.format(instant);
}
