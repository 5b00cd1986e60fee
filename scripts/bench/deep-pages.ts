/**
 * Which deep page of the queue bench:queue opens, and the row its cursor
 * starts after. The bench builds the cursor of page P from the last row of
 * page P - 1 (OFFSET (P - 1) × 50 - 1) instead of clicking « Page suivante »
 * P - 1 times. Page 1 has no such row (its OFFSET would be -1 or less, which
 * PostgreSQL refuses): with fewer rows than two full pages there is no deep
 * page to time, and the bench leaves that case out.
 */
import { PAGE_SIZE } from "../../src/features/agent/queue-filters.js";

/** The page to time among `rows` matching requests: `deepest`, or the last full page when there are fewer; null under two full pages. */
export function deepPage(rows: number, deepest: number): number | null {
  const page = Math.min(deepest, Math.floor(rows / PAGE_SIZE));
  return page >= 2 ? page : null;
}

/** The OFFSET of the row a cursor to `page` starts after: the last row of the page before. */
export function cursorOffset(page: number): number {
  if (!Number.isInteger(page) || page < 2) throw new RangeError(`No cursor leads to page ${page}: it must be 2 or more.`);
  return (page - 1) * PAGE_SIZE - 1;
}
