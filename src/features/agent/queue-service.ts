/** The agents' queue in the database: reference lists for the filters, one page of requests, and the export in batches. */
import type { AppContext } from "../../context.js";
import { Prisma } from "../../generated/prisma/client.js";
import type { RequestStatus, RequestType } from "../../generated/prisma/enums.js";
import { audit } from "../audit/audit-log.js";
import { cursorCondition, encodeCursor, type QueueCursor } from "./queue-cursor.js";
import { PAGE_SIZE, QUEUE_STATUSES, queueSql, queueWhere, type QueueFilters } from "./queue-filters.js";

const CSV_BATCH = 5000;

const queueRowSelect = {
  id: true,
  number: true,
  type: true,
  status: true,
  statutCode: true,
  submittedAt: true,
  zonage: { select: { label: true } },
  applicant: { select: { firstName: true, lastName: true } },
} satisfies Prisma.RequestSelect;

/** One line of the CSV export: the request, its applicant as they are now, and the zonage's label. */
export interface CsvRow {
  id: string;
  number: string | null;
  submittedAt: Date | null;
  status: RequestStatus;
  type: RequestType | null;
  statutCode: string | null;
  zonageLabel: string | null;
  lastName: string;
  firstName: string;
  email: string;
  postalCode: string | null;
  city: string | null;
  navigoNumber: string | null;
  participationCents: number | null;
  aidantName: string | null;
  aidantEmail: string | null;
}

export class QueueService {
  constructor(private readonly context: Pick<AppContext, "db">) {}

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
   * One page of the filtered queue, its total, and, on the landing view
   * (`withCounts`), the count of each status. The counts of each status are
   * kept by triggers (RequestStatusCount), so the landing view and a view
   * filtered by status alone read them instead of counting the requests;
   * other filters count what they select, through their indexes.
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
      !filters.type && !filters.statutCode && !filters.zonageCode && !filters.search && !filters.submitted.from && !filters.submitted.toExclusive;
    const [counts, window] = await Promise.all([
      withCounts || byStatusOnly ? db.requestStatusCount.findMany() : Promise.resolve(null),
      this.window(where, filters.cursor),
    ]);
    const countOf = (status: RequestStatus) => counts?.find((row) => row.status === status)?.count ?? 0;
    const total = !counts
      ? await db.request.count({ where })
      : filters.status
        ? countOf(filters.status)
        : QUEUE_STATUSES.reduce((sum, status) => sum + countOf(status), 0);
    const statusCounts = withCounts && counts ? QUEUE_STATUSES.map((status) => ({ status, count: countOf(status) })) : [];
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const { requests, hasPrevious, hasNext } = window;
    const page = hasPrevious ? Math.min(Math.max(filters.cursor?.page ?? 1, 2), pages) : 1;
    const first = requests[0];
    const last = requests[requests.length - 1];
    return {
      requests,
      total,
      page,
      pages,
      counts: statusCounts,
      previous: hasPrevious && first ? encodeCursor({ direction: "previous", submittedAt: first.submittedAt!, id: first.id, page: page - 1 }) : null,
      next: hasNext && last ? encodeCursor({ direction: "next", submittedAt: last.submittedAt!, id: last.id, page: page + 1 }) : null,
    };
  }

  /** The rows of one page, and whether pages come before and after it. */
  private async window(where: Prisma.RequestWhereInput, cursor: QueueCursor | null) {
    const rows = (condition: Prisma.RequestWhereInput, order: "asc" | "desc") =>
      this.context.db.request.findMany({
        where: condition,
        orderBy: [{ submittedAt: order }, { id: order }],
        take: PAGE_SIZE + 1,
        select: queueRowSelect,
      });
    if (cursor?.direction === "previous") {
      const before = await rows({ AND: [where, cursorCondition(cursor)] }, "desc");
      // Fewer rows than a page before the key: the start of the queue is reached, shown as the first page.
      if (before.length > PAGE_SIZE) return { requests: before.slice(0, PAGE_SIZE).reverse(), hasPrevious: true, hasNext: true };
    } else if (cursor) {
      const after = await rows({ AND: [where, cursorCondition(cursor)] }, "asc");
      // Nothing after the key (the rows were processed away, or the cursor was forged): the first page.
      if (after.length > 0) return { requests: after.slice(0, PAGE_SIZE), hasPrevious: true, hasNext: after.length > PAGE_SIZE };
    }
    const first = await rows(where, "asc");
    return { requests: first.slice(0, PAGE_SIZE), hasPrevious: false, hasNext: first.length > PAGE_SIZE };
  }

  /** The export is audited before a line leaves, with the filters as typed. */
  async recordExport(agentId: string, filters: Record<string, string>): Promise<void> {
    await audit(this.context.db, { actorId: agentId, action: "EXPORTED", details: { filters } });
  }

  /**
   * The filtered requests for the CSV, batch by batch: memory stays flat
   * whatever the count. Keyset pagination on (submittedAt, id): each batch
   * is one index range scan, however deep, and one SQL join (Prisma's
   * nested selects cost several times more per row at 500,000 rows).
   */
  async *exportBatches(filters: QueueFilters): AsyncGenerator<CsvRow[]> {
    const where = queueSql(filters);
    let after = Prisma.sql`TRUE`;
    for (;;) {
      const batch = await this.context.db.$queryRaw<CsvRow[]>`
        SELECT r.id, r.number, r."submittedAt", r.status, r.type, r."statutCode", z.label AS "zonageLabel", u."lastName", u."firstName",
               u.email, p."postalCode", p.city, r."navigoNumber", r."participationCents", r."aidantName", r."aidantEmail"
        FROM "Request" r
        JOIN "User" u ON u.id = r."applicantId"
        LEFT JOIN "Profile" p ON p."userId" = u.id
        LEFT JOIN "Zonage" z ON z.code = r."zonageCode"
        WHERE ${where} AND ${after}
        ORDER BY r."submittedAt", r.id
        LIMIT ${CSV_BATCH}`;
      if (batch.length > 0) yield batch;
      if (batch.length < CSV_BATCH) return;
      const last = batch[batch.length - 1]!;
      // A row comparison: PostgreSQL starts the index range scan of (submittedAt, id) right after the key.
      after = Prisma.sql`(r."submittedAt", r.id) > (${last.submittedAt}::timestamptz AT TIME ZONE 'UTC', ${last.id}::uuid)`;
    }
  }
}
