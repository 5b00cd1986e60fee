/** The agents' queue in the database: reference lists for the filters, one page of requests and its capped count, and the export from a cursor. */
import type { AppContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { RequestStatus, RequestType } from "../../generated/prisma/enums.js";
import { audit } from "../audit/audit-log.js";
import { cursorCondition, encodeCursor, type QueueCursor, type QueueOrder } from "./queue-cursor.js";
import { PAGE_SIZE, QUEUE_STATUSES, queueSql, queueWhere, type QueueFilters } from "./queue-filters.js";
import { ageInDays, ageText } from "./request-age.js";

/**
 * A filtered view counts its requests up to this many, then says « Plus de
 * 1 000 demandes »: an exact count of a wide filter (160,000 requests of a
 * zonage, 50,000 « Martin ») costs far more than the page itself (0.5 to
 * 1.5 s at 500,000 requests), and nobody pages through 20 pages when a
 * filter can narrow them. The views by status alone read their exact count,
 * kept by triggers.
 */
export const COUNT_CAP = 1_000;

const queueRowSelect = {
  id: true,
  number: true,
  type: true,
  status: true,
  statutCode: true,
  submittedAt: true,
  zonage: { select: { label: true } },
  applicant: { select: { firstName: true, lastName: true } },
  assignedAgent: { select: { firstName: true, lastName: true } },
} satisfies Prisma.RequestSelect;

/**
 * One line of the CSV export, in the CSV's column order: the request, its
 * applicant as they are now, and the zonage's label. Read as an array
 * (rowMode "array"): no object per row, and no Prisma on the way.
 */
export type CsvRow = [
  number: string | null,
  /** « 29/11/2026 14:05 », Paris time. */
  submittedAt: string | null,
  status: RequestStatus,
  type: RequestType | null,
  statutCode: string | null,
  zonageLabel: string | null,
  lastName: string,
  firstName: string,
  email: string,
  postalCode: string | null,
  city: string | null,
  navigoNumber: string | null,
  participationCents: number | null,
  aidantName: string | null,
  aidantEmail: string | null,
  assignedFirstName: string | null,
  assignedLastName: string | null,
];

/** Rows per round trip of the export's cursor: large enough that round trips cost little, small enough to keep memory flat. */
const EXPORT_FETCH = 2000;
/** A download nobody reads any more (the agent's connection hangs) lets go of its connection and snapshot after this long. */
const EXPORT_IDLE_TIMEOUT = "60s";
/**
 * The bound of one FETCH, instead of the pool's 5 s: the first one sorts
 * everything the export declares (about 2 s for 500,000 requests, several
 * times that on a loaded server); the next ones read the sorted rows.
 */
const EXPORT_FETCH_TIMEOUT_MS = 60_000;

/** ASC or DESC, from the filters' order only (never from the query string as typed). */
const orderSql = (order: QueueOrder) => Prisma.raw(order === "asc" ? "ASC" : "DESC");

/**
 * A name of the agent a request is assigned to, for the export. A subquery
 * by primary key taken only for an assigned request (CASE evaluates the
 * branch it takes): a join would have PostgreSQL hash the whole User table
 * a second time for the few requests that have one.
 */
const assigneeColumn = (column: "firstName" | "lastName") =>
  Prisma.sql`CASE WHEN r."assignedAgentId" IS NULL THEN NULL ELSE (SELECT a.${Prisma.raw(`"${column}"`)} FROM "User" a WHERE a.id = r."assignedAgentId") END`;

export class QueueService {
  constructor(private readonly context: Pick<AppContext, "db" | "pool" | "clock">) {}

  /** The situations and zonages, for the filter lists and for checking what is filtered. */
  async reference() {
    const { db } = this.context;
    const [statuts, zonages] = await Promise.all([
      db.statut.findMany({ orderBy: { sortOrder: "asc" } }),
      db.zonage.findMany({ orderBy: { sortOrder: "asc" } }),
    ]);
    return { statuts, zonages, statutCodes: statuts.map((s) => s.code), zonageCodes: zonages.map((z) => z.code) };
  }

  /**
   * One page of the filtered queue, its total (capped: COUNT_CAP), and, on the landing view
   * (`withCounts`), the count of each status. The counts of each status are
   * kept by triggers (RequestStatusCount), so the landing view and a view
   * filtered by status alone read them instead of counting the requests;
   * other filters count what they select, up to COUNT_CAP, in parallel with
   * the page.
   *
   * Keyset pagination: a page is the PAGE_SIZE rows after (or before) the
   * cursor's key in the order (submittedAt, id), an index range scan that
   * costs the same on page 1 and page 10,000 (OFFSET read and dropped every
   * row before the page). One more row than shown tells whether another
   * page follows.
   */
  async page(filters: QueueFilters, withCounts: boolean) {
    const { db } = this.context;
    const where = queueWhere(filters);
    const byStatusOnly =
      !filters.type &&
      !filters.statutCode &&
      !filters.zonageCode &&
      !filters.search &&
      !filters.submitted.from &&
      !filters.submitted.toExclusive &&
      filters.assignedTo === undefined;
    const [counts, window, counted] = await Promise.all([
      withCounts || byStatusOnly ? db.requestStatusCount.findMany() : Promise.resolve(null),
      this.window(where, filters.order, filters.cursor),
      byStatusOnly ? Promise.resolve(null) : this.countUpTo(filters, COUNT_CAP + 1),
    ]);
    const countOf = (status: RequestStatus) => counts?.find((row) => row.status === status)?.count ?? 0;
    const total = counted ?? (filters.status ? countOf(filters.status) : QUEUE_STATUSES.reduce((sum, status) => sum + countOf(status), 0));
    const totalIsCapped = counted !== null && counted > COUNT_CAP;
    const statusCounts = withCounts && counts ? QUEUE_STATUSES.map((status) => ({ status, count: countOf(status) })) : [];
    // Past the cap the number of pages is not known: « Page 3 », without « sur … ».
    const pages = totalIsCapped ? null : Math.max(1, Math.ceil(total / PAGE_SIZE));
    const { hasPrevious, hasNext } = window;
    // The age in Paris days, by the portal's clock (tests fix it), for the « Ancienneté » column.
    const now = this.context.clock.now();
    const requests = window.requests.map((request) => ({ ...request, age: ageText(ageInDays(request.submittedAt!, now)) }));
    const { order } = filters;
    const page = hasPrevious ? Math.min(Math.max(filters.cursor?.page ?? 1, 2), pages ?? Number.MAX_SAFE_INTEGER) : 1;
    const first = requests[0];
    const last = requests[requests.length - 1];
    return {
      requests,
      total: totalIsCapped ? COUNT_CAP : total,
      totalIsCapped,
      page,
      pages,
      counts: statusCounts,
      previous: hasPrevious && first ? encodeCursor({ direction: "previous", order, submittedAt: first.submittedAt!, id: first.id, page: page - 1 }) : null,
      next: hasNext && last ? encodeCursor({ direction: "next", order, submittedAt: last.submittedAt!, id: last.id, page: page + 1 }) : null,
    };
  }

  /**
   * How many requests the filters select, counting no further than `limit`.
   * The requests are walked in the queue's order, as a page walks them
   * (ORDER BY submittedAt, id): the same index range scan, stopped at the
   * limit, whatever the width of the filter. Without the order PostgreSQL
   * prefers a sequential scan that it expects to stop early, and that reads
   * tens of thousands of rows when the matches are spread over the table.
   */
  private async countUpTo(filters: QueueFilters, limit: number): Promise<number> {
    const [row] = await this.context.db.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM (
        SELECT 1 FROM "Request" r LEFT JOIN "User" u ON u.id = r."applicantId"
        WHERE ${queueSql(filters)}
        ORDER BY r."submittedAt" ${orderSql(filters.order)}, r.id ${orderSql(filters.order)}
        LIMIT ${limit}
      ) AS counted`;
    return row?.count ?? 0;
  }

  /**
   * The rows of one page, and whether pages come before and after it. The
   * rows before a key are read in the reverse of the list's order (the
   * nearest first), then put back in its order.
   */
  private async window(where: Prisma.RequestWhereInput, listOrder: QueueOrder, cursor: QueueCursor | null) {
    const reverse: QueueOrder = listOrder === "asc" ? "desc" : "asc";
    const rows = (condition: Prisma.RequestWhereInput, order: QueueOrder) =>
      this.context.db.request.findMany({
        where: condition,
        orderBy: [{ submittedAt: order }, { id: order }],
        take: PAGE_SIZE + 1,
        select: queueRowSelect,
      });
    if (cursor?.direction === "previous") {
      const before = await rows({ AND: [where, cursorCondition(cursor)] }, reverse);
      // Fewer rows than a page before the key: the start of the queue is reached, shown as the first page.
      if (before.length > PAGE_SIZE) return { requests: before.slice(0, PAGE_SIZE).reverse(), hasPrevious: true, hasNext: true };
    } else if (cursor) {
      const after = await rows({ AND: [where, cursorCondition(cursor)] }, listOrder);
      // Nothing after the key (the rows were processed away, or the cursor was forged): the first page.
      if (after.length > 0) return { requests: after.slice(0, PAGE_SIZE), hasPrevious: true, hasNext: after.length > PAGE_SIZE };
    }
    const first = await rows(where, listOrder);
    return { requests: first.slice(0, PAGE_SIZE), hasPrevious: false, hasNext: first.length > PAGE_SIZE };
  }

  /** The export is audited before a line leaves, with the filters as typed. */
  async recordExport(agentId: string, filters: Record<string, string>): Promise<void> {
    await audit(this.context.db, { actorId: agentId, action: "EXPORTED", details: { filters } });
  }

  /**
   * The filtered requests for the CSV, streamed from a server-side cursor
   * (DECLARE … CURSOR, then FETCH in a loop) on one connection of the pg
   * pool: one query plan and one snapshot for the whole export, rows read as
   * arrays straight from pg, and the next rows fetched only when the
   * consumer asks for them (the download's backpressure reaches the
   * database). A SQL cursor rather than a protocol-level one (pg-cursor):
   * each FETCH is an ordinary query, so the pool's 5-second bounds apply to
   * every round trip; pg-cursor's portal counts as one query for pg's
   * client, and its query_timeout would cut any export longer than 5 s.
   *
   * Stopped early (the download was cancelled) or failed, the connection is
   * closed rather than given back: the server rolls the transaction back.
   */
  async *exportRows(filters: QueueFilters): AsyncGenerator<CsvRow[]> {
    const client = await this.context.pool.connect();
    let finished = false;
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${EXPORT_IDLE_TIMEOUT}'`);
      // Planned for every row it declares, not for the first tenth (cursor_tuple_fraction's default, which picks a nested
      // loop over the applicants' primary key: 31 s for 500,000 rows against 4 s for hashing them once).
      await client.query("SET LOCAL cursor_tuple_fraction = 1");
      await client.query(`SET LOCAL statement_timeout = ${EXPORT_FETCH_TIMEOUT_MS}`);
      // The date as Intl's fr-FR short date and time in Europe/Paris writes it (the same text for every date from 1990 to
      // 2045, summer time changes included): formatted by PostgreSQL in C, neither parsed into a Date nor formatted by Intl.
      const declare = Prisma.sql`
        DECLARE queue_export NO SCROLL CURSOR FOR
        SELECT r.number, to_char(r."submittedAt" AT TIME ZONE 'UTC' AT TIME ZONE 'Europe/Paris', 'DD/MM/YYYY HH24:MI'), r.status, r.type, r."statutCode", z.label, u."lastName", u."firstName",
               u.email, p."postalCode", p.city, r."navigoNumber", r."participationCents", r."aidantName", r."aidantEmail",
               ${assigneeColumn("firstName")}, ${assigneeColumn("lastName")}
        FROM "Request" r
        JOIN "User" u ON u.id = r."applicantId"
        LEFT JOIN "Profile" p ON p."userId" = u.id
        LEFT JOIN "Zonage" z ON z.code = r."zonageCode"
        WHERE ${queueSql(filters)}
        ORDER BY r."submittedAt" ${orderSql(filters.order)}, r.id ${orderSql(filters.order)}`;
      await client.query(declare.text, declare.values);
      // pg reads a query's own query_timeout before its pool's (its types do not declare it).
      const fetch = { text: `FETCH ${EXPORT_FETCH} FROM queue_export`, rowMode: "array" as const, query_timeout: EXPORT_FETCH_TIMEOUT_MS };
      const fetchRows = async () => (await client.query<CsvRow>(fetch)).rows;
      // One FETCH ahead: PostgreSQL reads the next rows while these are formatted and sent (two cores, not one then the other).
      let next: Promise<CsvRow[]> | null = fetchRows();
      while (next) {
        const rows: CsvRow[] = await next;
        next = rows.length < EXPORT_FETCH ? null : fetchRows();
        // Stopped while a FETCH runs: the connection is closed below, which fails that FETCH; nobody waits for it.
        next?.catch(() => undefined);
        if (rows.length > 0) yield rows;
      }
      await client.query("COMMIT");
      finished = true;
    } finally {
      client.release(!finished);
    }
  }
}
