/**
 * The filters of the agents' queue, read from the query string by a zod
 * schema. Invalid values come back as French messages at their field.
 */
import { z } from "zod";
import { Prisma } from "../../generated/prisma/client.js";
import { RequestType, type RequestStatus } from "../../generated/prisma/enums.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { dateRangeCondition, parseDateRange, type DateRange } from "../../lib/date-range.js";
import { fieldText, textField } from "../../lib/forms.js";
import { formErrors, formErrorsFromZod, type FormErrors } from "../../lib/form-errors.js";
import { decodeCursor, type QueueCursor, type QueueOrder } from "./queue-cursor.js";

export interface QueueFilters {
  status: RequestStatus | null;
  type: RequestType | null;
  statutCode: string | null;
  zonageCode: string | null;
  /** Dates of submission, both ends included. */
  submitted: DateRange;
  search: string | null;
  /** « Attribution » : undefined every request, null nobody's, an id that agent's (« à moi »: the agent viewing). */
  assignedTo: string | null | undefined;
  /** « Plus anciennes d'abord » (asc, the default) or « Plus récentes d'abord » (desc), by submission. */
  order: QueueOrder;
  /** Where the page starts (keyset pagination); null is the first page. */
  cursor: QueueCursor | null;
}

/** The choices of « Attribution », as the query string spells them (« toutes » is the empty value). */
export const ASSIGNMENT_CHOICES = ["moi", "personne"] as const;
/** The choices of « Trier », as the query string spells them (« anciennes » is the default). */
export const ORDER_CHOICES = ["anciennes", "recentes"] as const;

export const QUEUE_STATUSES = (Object.keys(STATUS_LABELS) as RequestStatus[]).filter((status) => status !== "DRAFT");
export const PAGE_SIZE = 50;

/** The fields of the filter form, in the order of the page (the error summary follows it). */
const FIELDS = ["statut", "type", "situation", "zonage", "du", "au", "q", "attribution", "tri"] as const;

// Optional: an absent field is "" like an empty one (zod 4 requires a key whose schema is not optional).
const text = textField;

/** A choice from a list, or nothing: "" is no filter, a value out of the list is an error at the field. */
function choice<T extends string>(options: readonly T[], message: string) {
  return text.pipe(z.union([z.literal("").transform(() => null), z.enum(options as [T, ...T[]])], { error: message }));
}

/** The query string's schema; the situations and zonages are the database's, so it is built from them. */
export function queueQuerySchema(reference: { statutCodes: string[]; zonageCodes: string[] }) {
  return z.object({
    statut: choice(QUEUE_STATUSES, "Choisissez un statut dans la liste."),
    type: choice(Object.values(RequestType), "Choisissez un type dans la liste."),
    situation: choice(reference.statutCodes, "Choisissez une situation dans la liste."),
    zonage: choice(reference.zonageCodes, "Choisissez un zonage dans la liste."),
    du: text,
    au: text,
    q: text.refine((search) => search.length <= 100, "La recherche ne doit pas dépasser 100 caractères."),
    attribution: choice(ASSIGNMENT_CHOICES, "Choisissez une attribution dans la liste."),
    tri: choice(ORDER_CHOICES, "Choisissez un ordre dans la liste."),
    // A cursor that does not read back is the first page, not an error: pagination links are built, not typed.
    curseur: text.transform(decodeCursor),
  });
}

/** `viewerId`: the agent looking at the queue, whom « Attribuées à moi » means. */
export function parseQueueFilters(
  query: unknown,
  reference: { statutCodes: string[]; zonageCodes: string[] },
  viewerId: string | null = null,
): { filters: QueueFilters; values: Record<string, string>; errors: FormErrors } {
  const input = (query ?? {}) as Record<string, unknown>;
  const values = Object.fromEntries(FIELDS.map((name) => [name, fieldText(input[name])]));
  const parsed = queueQuerySchema(reference).safeParse(input);
  const submitted = parseDateRange({ du: values.du ?? "", au: values.au ?? "" });
  const problems = [...(parsed.success ? [] : Object.entries(formErrorsFromZod(parsed.error).fields)), ...submitted.problems];
  const order = (field: string) => FIELDS.indexOf(field as (typeof FIELDS)[number]);
  problems.sort((a, b) => order(a[0]) - order(b[0]));
  const errors = formErrors(problems);
  if (!parsed.success) {
    return {
      filters: { status: null, type: null, statutCode: null, zonageCode: null, submitted, search: null, assignedTo: undefined, order: "asc", cursor: null },
      values,
      errors,
    };
  }
  const data = parsed.data;
  const listOrder: QueueOrder = data.tri === "recentes" ? "desc" : "asc";
  return {
    filters: {
      status: data.statut,
      type: data.type,
      statutCode: data.situation,
      zonageCode: data.zonage,
      submitted,
      search: data.q || null,
      assignedTo: data.attribution === "moi" ? (viewerId ?? undefined) : data.attribution === "personne" ? null : undefined,
      order: listOrder,
      // A cursor of the other order (a link kept from before the order changed) starts the list again.
      cursor: data.curseur?.order === listOrder ? data.curseur : null,
    },
    values,
    errors,
  };
}

/** What the search box matches: a request number, a Navigo number (or a number typed without its prefix), an e-mail, or a name. */
type SearchTarget =
  | { kind: "number"; number: string }
  | { kind: "navigoOrNumber"; navigoNumber: string; number: string }
  | { kind: "email"; text: string }
  | { kind: "name"; text: string };

function searchTarget(search: string): SearchTarget {
  const compact = search.replace(/\s/g, "");
  const number = /^(?:DEM-?)?(\d{1,10})$/i.exec(compact);
  if (/^DEM/i.test(compact) && number) return { kind: "number", number: `DEM-${number[1]!.padStart(10, "0")}` };
  if (/^\d{8,12}$/.test(compact)) return { kind: "navigoOrNumber", navigoNumber: compact, number: `DEM-${compact.padStart(10, "0")}` };
  if (search.includes("@")) return { kind: "email", text: search.toLowerCase() };
  return { kind: "name", text: search };
}

function searchCondition(search: string): Prisma.RequestWhereInput {
  const target = searchTarget(search);
  switch (target.kind) {
    case "number":
      return { number: target.number };
    case "navigoOrNumber":
      return { OR: [{ navigoNumber: target.navigoNumber }, { number: target.number }] };
    case "email":
      return { applicant: { email: { contains: target.text } } };
    case "name":
      return {
        applicant: {
          OR: [{ lastName: { contains: target.text, mode: "insensitive" } }, { firstName: { contains: target.text, mode: "insensitive" } }],
        },
      };
  }
}

/** The filters as a Prisma condition: the database does the filtering (see the indexes of the back_office migration). */
export function queueWhere(filters: QueueFilters): Prisma.RequestWhereInput {
  const submitted = dateRangeCondition(filters.submitted);
  return {
    status: filters.status ?? { not: "DRAFT" },
    ...(filters.type ? { type: filters.type } : {}),
    ...(filters.statutCode ? { statutCode: filters.statutCode } : {}),
    ...(filters.zonageCode ? { zonageCode: filters.zonageCode } : {}),
    ...(submitted ? { submittedAt: submitted } : {}),
    ...(filters.search ? searchCondition(filters.search) : {}),
    ...(filters.assignedTo !== undefined ? { assignedAgentId: filters.assignedTo } : {}),
  };
}

/** A text for LIKE that matches itself only: its wildcards escaped (backslash is LIKE's default escape). */
const likeText = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;

/**
 * The same filters as SQL, for the CSV export's one query (aliases: r the
 * request, u its applicant). Each branch mirrors queueWhere, which the
 * pages use; queue-at-scale.test.ts checks that both select the same rows.
 */
export function queueSql(filters: QueueFilters): Prisma.Sql {
  const conditions = [filters.status ? Prisma.sql`r.status = ${filters.status}::"RequestStatus"` : Prisma.sql`r.status <> 'DRAFT'`];
  if (filters.type) conditions.push(Prisma.sql`r.type = ${filters.type}::"RequestType"`);
  if (filters.statutCode) conditions.push(Prisma.sql`r."statutCode" = ${filters.statutCode}`);
  if (filters.zonageCode) conditions.push(Prisma.sql`r."zonageCode" = ${filters.zonageCode}`);
  if (filters.submitted.from) conditions.push(Prisma.sql`r."submittedAt" >= ${filters.submitted.from}::timestamptz AT TIME ZONE 'UTC'`);
  if (filters.submitted.toExclusive) conditions.push(Prisma.sql`r."submittedAt" < ${filters.submitted.toExclusive}::timestamptz AT TIME ZONE 'UTC'`);
  if (filters.assignedTo === null) conditions.push(Prisma.sql`r."assignedAgentId" IS NULL`);
  if (filters.assignedTo) conditions.push(Prisma.sql`r."assignedAgentId" = ${filters.assignedTo}::uuid`);
  if (filters.search) {
    const target = searchTarget(filters.search);
    if (target.kind === "number") conditions.push(Prisma.sql`r.number = ${target.number}`);
    if (target.kind === "navigoOrNumber") conditions.push(Prisma.sql`(r."navigoNumber" = ${target.navigoNumber} OR r.number = ${target.number})`);
    if (target.kind === "email") conditions.push(Prisma.sql`u.email LIKE ${likeText(target.text)}`);
    if (target.kind === "name") conditions.push(Prisma.sql`(u."lastName" ILIKE ${likeText(target.text)} OR u."firstName" ILIKE ${likeText(target.text)})`);
  }
  return Prisma.join(conditions, " AND ");
}
