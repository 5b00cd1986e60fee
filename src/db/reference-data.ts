import { z } from "zod";
import type { Statut, Zonage } from "../generated/prisma/client.js";
import type { Queryable } from "./prisma.js";

const referenceSchema = z.object({
  statuts: z.array(
    z.object({
      code: z.string(),
      label: z.string(),
      minimumAge: z.number().int().nullable(),
      mustBeNonTaxable: z.boolean(),
      situationDocument: z.string(),
      sortOrder: z.number().int(),
    }),
  ),
  zonages: z.array(z.object({ code: z.string(), label: z.string(), yearlyParticipationCents: z.number().int(), sortOrder: z.number().int() })),
});

/**
 * The situations and the zones the administrators edit, in their display order: the wizard and the home page read the same.
 * One round trip for both lists (they are read on many pages).
 */
export async function referenceData(db: Queryable): Promise<{ statuts: Statut[]; zonages: Zonage[] }> {
  const [row] = await db.$queryRaw<unknown[]>`
    SELECT COALESCE((SELECT json_agg(s ORDER BY s."sortOrder") FROM "Statut" s), '[]') AS statuts,
           COALESCE((SELECT json_agg(z ORDER BY z."sortOrder") FROM "Zonage" z), '[]') AS zonages`;
  return referenceSchema.parse(row);
}
