/**
 * The queue's keyset pagination cursor: where a page starts, carried in the
 * « Page suivante / précédente » links as one opaque query parameter. It
 * holds only the sort key (the submission time), the request's id, the
 * direction, the order of the list it was made for (« Plus anciennes » or
 * « Plus récentes d'abord ») and the page number to show, never personal
 * data. A cursor is
 * built by the portal, not typed: one that does not read back is the first
 * page, not an error.
 */
import { z } from "zod";
import type { Prisma } from "../../generated/prisma/client.js";

export type QueueOrder = "asc" | "desc";

export interface QueueCursor {
  /** "next": the rows after the key; "previous": the rows before it. */
  direction: "next" | "previous";
  /** The list's order: "asc" oldest first (the queue's default), "desc" most recent first. */
  order: QueueOrder;
  submittedAt: Date;
  id: string;
  /** The number of the page this cursor leads to, only for « Page 3 sur 40 ». */
  page: number;
}

/** The largest page number a cursor may carry: 50 × 10 million requests is far beyond the queue. */
const MAX_PAGE = 10_000_000;
// The longest encoded cursor is about 120 characters; anything much longer is not one.
const MAX_ENCODED_LENGTH = 200;

const cursorSchema = z.object({
  d: z.enum(["n", "p"]),
  // Links made before the order could change have none: they were oldest first.
  o: z.enum(["a", "d"]).default("a"),
  t: z.number().int().min(0).max(8_640_000_000_000_000),
  i: z.guid(),
  p: z.number().int().min(1).max(MAX_PAGE),
});

export function encodeCursor(cursor: QueueCursor): string {
  const compact: z.infer<typeof cursorSchema> = {
    d: cursor.direction === "next" ? "n" : "p",
    o: cursor.order === "asc" ? "a" : "d",
    t: cursor.submittedAt.getTime(),
    i: cursor.id,
    p: cursor.page,
  };
  return Buffer.from(JSON.stringify(compact)).toString("base64url");
}

/** The cursor of a query string value, or null (no cursor, or one that is not ours). */
export function decodeCursor(value: string): QueueCursor | null {
  if (!value || value.length > MAX_ENCODED_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) return null;
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    return null;
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) return null;
  const { d, o, t, i, p } = parsed.data;
  return { direction: d === "n" ? "next" : "previous", order: o === "a" ? "asc" : "desc", submittedAt: new Date(t), id: i.toLowerCase(), page: p };
}

/**
 * The rows strictly after (or before) the cursor's key in the list's order
 * (submittedAt, id), ascending or descending. The redundant bound on
 * submittedAt lets PostgreSQL start an index range scan at the key (forwards
 * or backwards), however deep, instead of filtering from the first row.
 */
export function cursorCondition(cursor: QueueCursor): Prisma.RequestWhereInput {
  const { submittedAt, id } = cursor;
  // « Page suivante » of a list most recent first reads the keys below this one.
  const later = (cursor.direction === "next") === (cursor.order === "asc");
  return later
    ? { submittedAt: { gte: submittedAt }, OR: [{ submittedAt: { gt: submittedAt } }, { id: { gt: id } }] }
    : { submittedAt: { lte: submittedAt }, OR: [{ submittedAt: { lt: submittedAt } }, { id: { lt: id } }] };
}
