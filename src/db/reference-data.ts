import type { Queryable } from "./prisma.js";

/** The situations and the zones the administrators edit, in their display order: the wizard and the home page read the same. */
export async function referenceData(db: Queryable) {
  const [statuts, zonages] = await Promise.all([db.statut.findMany({ orderBy: { sortOrder: "asc" } }), db.zonage.findMany({ orderBy: { sortOrder: "asc" } })]);
  return { statuts, zonages };
}
