/**
 * « Journal d'audit », as administrators read it: the entries filtered by
 * action, agent and dates, most recent first, each described in French.
 */
import { z } from "zod";
import type { AppContext } from "../../context.js";
import { AuditAction } from "../../generated/prisma/enums.js";
import { dateRangeCondition, parseDateRange } from "../../lib/date-range.js";
import { formErrors, type FormErrors } from "../../lib/form-errors.js";
import { textField } from "../../lib/forms.js";
import { auditedUserId, describeAudit } from "./audit-log.js";

export const AUDIT_PAGE_SIZE = 50;

// Optional: an absent field is "" like an empty one (zod 4 requires a key whose schema is not optional).
const text = textField;

/** The journal's filters as they come in the query string: every value a trimmed string, "" when absent. */
const journalQuery = z.object({ action: text, du: text, au: text, agent: text, page: text });

export interface JournalFilters {
  action: AuditAction | null;
  /** Part of the agent's e-mail address. */
  agent: string | null;
  range: ReturnType<typeof parseDateRange>;
  page: number;
}

/** The query string of the journal as filters, the values to show again, and the French messages. */
export function parseJournalFilters(query: unknown): { filters: JournalFilters; values: Record<string, string>; errors: FormErrors } {
  const raw = journalQuery.parse(query ?? {});
  const values = { action: raw.action, du: raw.du, au: raw.au, agent: raw.agent };
  const problems: [string, string][] = [];
  const action = z.enum(AuditAction).safeParse(raw.action);
  if (raw.action && !action.success) problems.push(["action", "Choisissez une action dans la liste."]);
  const range = parseDateRange(values);
  problems.push(...range.problems);
  const page = Math.max(Number.parseInt(raw.page, 10) || 1, 1);
  return {
    filters: { action: action.success ? action.data : null, agent: raw.agent || null, range, page },
    values,
    errors: formErrors(problems),
  };
}

export class AuditJournal {
  constructor(private readonly context: Pick<AppContext, "db">) {}

  async page(filters: JournalFilters) {
    const { db } = this.context;
    const dates = dateRangeCondition(filters.range);
    const where = {
      ...(filters.action ? { action: filters.action } : {}),
      ...(filters.agent ? { actor: { email: { contains: filters.agent.toLowerCase() } } } : {}),
      ...(dates ? { createdAt: dates } : {}),
    };
    const [total, entries] = await Promise.all([
      db.auditLog.count({ where }),
      db.auditLog.findMany({
        where,
        orderBy: { id: "desc" },
        skip: (filters.page - 1) * AUDIT_PAGE_SIZE,
        take: AUDIT_PAGE_SIZE,
        include: { actor: { select: { firstName: true, lastName: true, email: true } }, request: { select: { number: true } } },
      }),
    ]);
    // The accounts the entries name (an agent created, disabled…), by their name rather than an id.
    const userIds = entries.map((entry) => auditedUserId(entry.details)).filter((id) => id !== null);
    const people = new Map(
      (await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, firstName: true, lastName: true } })).map((user) => [
        user.id,
        `${user.firstName} ${user.lastName}`,
      ]),
    );
    return {
      entries: entries.map((entry) => ({ ...entry, description: describeAudit(entry.action, entry.details, people) })),
      pages: Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE)),
    };
  }
}
