/**
 * The filters of the agents' queue, read from the query string. Invalid
 * values come back as French messages at their field.
 */
import type { Prisma, RequestStatus, RequestType } from "../../generated/prisma/client.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { dateRangeCondition, parseDateRange, type DateRange } from "../../lib/date-range.js";
import { fieldText } from "../../lib/forms.js";
import type { FormErrors } from "../../lib/form-errors.js";
import { formErrors } from "../../lib/form-errors.js";

export interface QueueFilters {
  status: RequestStatus | null;
  type: RequestType | null;
  statutCode: string | null;
  zonageCode: string | null;
  /** Dates of submission, both ends included. */
  submitted: DateRange;
  search: string | null;
  page: number;
}

export const QUEUE_STATUSES = (Object.keys(STATUS_LABELS) as RequestStatus[]).filter((status) => status !== "DRAFT");
export const PAGE_SIZE = 50;


export function parseQueueFilters(
  query: Record<string, unknown>,
  reference: { statutCodes: string[]; zonageCodes: string[] },
): { filters: QueueFilters; values: Record<string, string>; errors: FormErrors } {
  const values = Object.fromEntries(["statut", "type", "situation", "zonage", "du", "au", "q"].map((name) => [name, fieldText(query[name])]));
  const problems: [string, string][] = [];
  const status = QUEUE_STATUSES.find((candidate) => candidate === values.statut) ?? null;
  if (values.statut && !status) problems.push(["statut", "Choisissez un statut dans la liste."]);
  const type = values.type === "FIRST" || values.type === "RENEWAL" ? values.type : null;
  if (values.type && !type) problems.push(["type", "Choisissez un type dans la liste."]);
  const statutCode = reference.statutCodes.includes(values.situation!) ? values.situation! : null;
  if (values.situation && !statutCode) problems.push(["situation", "Choisissez une situation dans la liste."]);
  const zonageCode = reference.zonageCodes.includes(values.zonage!) ? values.zonage! : null;
  if (values.zonage && !zonageCode) problems.push(["zonage", "Choisissez un zonage dans la liste."]);

  const submitted = parseDateRange({ du: values.du!, au: values.au! });
  problems.push(...submitted.problems);
  if (values.q!.length > 100) problems.push(["q", "La recherche ne doit pas dépasser 100 caractères."]);
  const page = Math.min(Math.max(Number.parseInt(fieldText(query.page), 10) || 1, 1), 100_000);

  return {
    filters: { status, type, statutCode, zonageCode, submitted, search: values.q || null, page },
    values,
    errors: formErrors(problems),
  };
}

/** What the search box matches: a request number, a Navigo number, an e-mail, or a name. */
function searchCondition(search: string): Prisma.RequestWhereInput {
  const compact = search.replace(/\s/g, "");
  const number = /^(?:DEM-?)?(\d{1,10})$/i.exec(compact);
  if (/^DEM/i.test(compact) && number) return { number: `DEM-${number[1]!.padStart(10, "0")}` };
  if (/^\d{8,12}$/.test(compact)) return { OR: [{ navigoNumber: compact }, { number: `DEM-${compact.padStart(10, "0")}` }] };
  if (search.includes("@")) return { applicant: { email: { contains: search.toLowerCase() } } };
  return {
    applicant: {
      OR: [{ lastName: { contains: search, mode: "insensitive" } }, { firstName: { contains: search, mode: "insensitive" } }],
    },
  };
}

/** The filters as a Prisma condition: the database does the filtering (see the indexes of the back_office migration). */
export function queueWhere(filters: QueueFilters): Prisma.RequestWhereInput {
  return {
    status: filters.status ?? { not: "DRAFT" },
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.statutCode ? { statutCode: filters.statutCode } : {}),
    ...(filters.zonageCode ? { zonageCode: filters.zonageCode } : {}),
    ...(dateRangeCondition(filters.submitted) ? { submittedAt: dateRangeCondition(filters.submitted) } : {}),
    ...(filters.search ? searchCondition(filters.search) : {}),
  };
}

/** The query string of the filters, for pagination links and the CSV export. */
export function filtersQuery(values: Record<string, string>, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...values, ...extra })) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `?${text}` : "";
}
