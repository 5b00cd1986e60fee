/** The agents' queue in the database: reference lists for the filters, one page of requests, and the export in batches. */
import type { AppContext } from "../../context.js";
import type { Prisma } from "../../generated/prisma/client.js";
import type { RequestStatus } from "../../generated/prisma/enums.js";
import { audit } from "../audit/audit-log.js";
import { PAGE_SIZE, QUEUE_STATUSES, queueWhere, type QueueFilters } from "./queue-filters.js";

const CSV_BATCH = 2000;

export const csvSelect = {
  id: true,
  number: true,
  submittedAt: true,
  status: true,
  type: true,
  statutCode: true,
  navigoNumber: true,
  participationCents: true,
  aidantName: true,
  aidantEmail: true,
  zonage: { select: { label: true } },
  applicant: { select: { firstName: true, lastName: true, email: true, profile: { select: { postalCode: true, city: true } } } },
} satisfies Prisma.RequestSelect;
export type CsvRow = Prisma.RequestGetPayload<{ select: typeof csvSelect }>;

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
   * (`withCounts`), the count of each status: a status count scans every
   * request, so filtered views (where agents search) skip it.
   */
  async page(filters: QueueFilters, withCounts: boolean) {
    const { db } = this.context;
    const where = queueWhere(filters);
    const [counts, requests] = await Promise.all([
      withCounts ? db.request.groupBy({ by: ["status"], where: { status: { not: "DRAFT" } }, _count: { _all: true } }) : Promise.resolve(null),
      db.request.findMany({
        where,
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        skip: (filters.page - 1) * PAGE_SIZE,
        take: PAGE_SIZE,
        select: {
          number: true,
          type: true,
          status: true,
          statutCode: true,
          submittedAt: true,
          zonage: { select: { label: true } },
          applicant: { select: { firstName: true, lastName: true } },
        },
      }),
    ]);
    const total = counts ? counts.reduce((sum, row) => sum + row._count._all, 0) : await db.request.count({ where });
    const statusCounts: { status: RequestStatus; count: number }[] = counts
      ? QUEUE_STATUSES.map((status) => ({ status, count: counts.find((row) => row.status === status)?._count._all ?? 0 }))
      : [];
    return { requests, total, pages: Math.max(1, Math.ceil(total / PAGE_SIZE)), counts: statusCounts };
  }

  /** The export is audited before a line leaves, with the filters as typed. */
  async recordExport(agentId: string, filters: Record<string, string>): Promise<void> {
    await audit(this.context.db, { actorId: agentId, action: "EXPORTED", details: { filters } });
  }

  /**
   * The filtered requests for the CSV, batch by batch: memory stays flat
   * whatever the count. Keyset pagination on (submittedAt, id): each batch
   * is an index range scan, however deep.
   */
  async *exportBatches(filters: QueueFilters): AsyncGenerator<CsvRow[]> {
    const where = queueWhere(filters);
    let after: { submittedAt: Date; id: string } | null = null;
    for (;;) {
      const batch: CsvRow[] = await this.context.db.request.findMany({
        where: after ? { AND: [where, { OR: [{ submittedAt: { gt: after.submittedAt } }, { submittedAt: after.submittedAt, id: { gt: after.id } }] }] } : where,
        orderBy: [{ submittedAt: "asc" }, { id: "asc" }],
        take: CSV_BATCH,
        select: csvSelect,
      });
      yield batch;
      if (batch.length < CSV_BATCH) return;
      const last = batch[batch.length - 1]!;
      after = { submittedAt: last.submittedAt!, id: last.id };
    }
  }
}
