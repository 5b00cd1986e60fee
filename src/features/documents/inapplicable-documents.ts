/**
 * Documents of a section the answers no longer ask for: a RIB uploaded before
 * the applicant chose « Non » to the direct debit, or the proof of address and
 * of situation of a first request turned into a renewal. The wizard stops
 * showing them at once, and the applicant cannot remove them from there, so
 * the submission drops them: they are never sent to the agents.
 */
import type { Transaction } from "../../db/prisma.js";

/**
 * Deletes the rows of the documents outside the applicable sections, in the
 * submission's transaction, and returns their stored names: the caller removes
 * the files once the transaction is committed (a crash in between leaves files
 * without rows, which the orphan sweeper removes).
 */
export async function deleteDocumentsOutside(
  tx: Transaction,
  documents: readonly { id: string; section: string; storedName: string }[],
  applicableSections: ReadonlySet<string>,
): Promise<string[]> {
  const stale = documents.filter((document) => !applicableSections.has(document.section));
  if (stale.length === 0) return [];
  await tx.requestDocument.deleteMany({ where: { id: { in: stale.map((document) => document.id) } } });
  return stale.map((document) => document.storedName);
}
