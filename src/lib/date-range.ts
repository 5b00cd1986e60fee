/**
 * A « du … au … » pair of dates typed in a filter (the agents' queue, the
 * audit log): each optional, each a real date, the end not before the start.
 */
import { parseFrenchDate } from "../domain/profile-values.js";

export interface DateRange {
  from: Date | null;
  /** The day after the end date: the end date is included whole. */
  toExclusive: Date | null;
  problems: [field: string, message: string][];
}

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

export function parseDateRange(fields: { du: string; au: string }): DateRange {
  const problems: [string, string][] = [];
  const date = (field: "du" | "au") => {
    if (!fields[field]) return null;
    const parsed = parseFrenchDate(fields[field]);
    if (parsed.ok) return parsed.value;
    problems.push([field, parsed.message]);
    return null;
  };
  const from = date("du");
  const to = date("au");
  if (from && to && from > to) problems.push(["au", "La date de fin doit être après la date de début."]);
  return { from, toExclusive: to ? new Date(to.getTime() + ONE_DAY_MS) : null, problems };
}

/** The range as a Prisma condition on a date column, or nothing when both ends are open. */
export function dateRangeCondition(range: DateRange): { gte?: Date; lt?: Date } | undefined {
  if (!range.from && !range.toExclusive) return undefined;
  return { ...(range.from ? { gte: range.from } : {}), ...(range.toExclusive ? { lt: range.toExclusive } : {}) };
}
