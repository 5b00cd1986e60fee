/**
 * What was typed on a step but not yet valid, kept by step in the draft's
 * JSON column so that « Précédent » loses nothing. Read back through a schema:
 * anything else in the column counts as nothing kept.
 */
import { z } from "zod";

const pendingInputSchema = z.record(z.string(), z.record(z.string(), z.string()));

export type PendingInput = z.infer<typeof pendingInputSchema>;

export function readPendingInput(stored: unknown): PendingInput {
  const parsed = pendingInputSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : {};
}
