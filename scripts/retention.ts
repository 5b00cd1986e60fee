/**
 * The retention rules from the command line (src/features/retention/):
 *
 *   npm run retention                          what would go today (nothing is changed)
 *   npm run retention -- --as-of 2027-06-01    what would go on that date
 *   npm run retention -- --apply               send the warnings and delete what is due, now
 *
 * Prints counts per category only, never a name or an address. Uses
 * DATABASE_URL, or the embedded PostgreSQL of `npm start` (the running
 * portal's when it is up), and UPLOADS_DIR for the files.
 */
import { parseArgs } from "node:util";
import { parseConfig } from "../src/config.js";
import { storageFromConfig } from "../src/features/documents/storage-from-config.js";
import { periodText } from "../src/features/retention/retention-config.js";
import { RetentionService, type RetentionPlan, type RetentionResult } from "../src/features/retention/retention-service.js";
import { systemClock } from "../src/lib/clock.js";
import { logger } from "../src/logger.js";
import { withPortalDatabase } from "./portal-database.js";

class Refusal extends Error {}

function readArguments(): { apply: boolean; asOf: Date | null } {
  let values;
  try {
    values = parseArgs({ options: { apply: { type: "boolean", default: false }, "as-of": { type: "string" } } }).values;
  } catch {
    throw new Refusal("Options reconnues : --apply, --as-of AAAA-MM-JJ.");
  }
  const asOfText = values["as-of"];
  if (asOfText === undefined) return { apply: values.apply ?? false, asOf: null };
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(asOfText) ? new Date(`${asOfText}T00:00:00.000Z`) : null;
  if (!asOf || Number.isNaN(asOf.getTime()) || asOf.toISOString().slice(0, 10) !== asOfText)
    throw new Refusal("--as-of attend une date AAAA-MM-JJ, par exemple 2027-06-01.");
  // A deletion is for real, today: a future date only shows what would go.
  if (values.apply) throw new Refusal("--as-of montre seulement ce qui partirait à cette date : il ne s'utilise pas avec --apply.");
  return { apply: false, asOf };
}

export function describePlan(plan: RetentionPlan, service: RetentionService): string[] {
  const { settings } = service;
  return [
    `Conservation des données au ${plan.asOf.toISOString().slice(0, 10)} (rien n'est modifié ; --apply pour le faire)`,
    `Brouillons non modifiés depuis ${periodText(settings.draftMonths)} : ${plan.drafts.delete.length} à supprimer, ${plan.drafts.warn.length} à prévenir, ${plan.drafts.waiting.length} prévenu(s) en attente du délai de ${settings.warningDays} jours`,
    `Justificatifs des demandes terminées depuis ${periodText(settings.documentMonths)} : ${plan.documents.files} fichier(s) de ${plan.documents.requests.length} demande(s) à supprimer (les demandes restent)`,
    `Comptes sans activité depuis ${periodText(settings.accountMonths)} : ${plan.accounts.delete.length} à supprimer, ${plan.accounts.warn.length} à prévenir, ${plan.accounts.waiting.length} prévenu(s) en attente du délai de ${settings.warningDays} jours`,
  ];
}

export function describeResult(result: RetentionResult): string[] {
  return [
    "Conservation des données : passage effectué",
    `Brouillons : ${result.draftsDeleted} supprimé(s), ${result.draftWarnings} e-mail(s) d'avertissement`,
    `Justificatifs : ${result.documentsDeleted} fichier(s) supprimé(s) dans ${result.requestsCleared} demande(s) terminée(s)`,
    `Comptes : ${result.accountsDeleted} supprimé(s), ${result.accountWarnings} e-mail(s) d'avertissement`,
  ];
}

async function main(): Promise<void> {
  const { apply, asOf } = readArguments();
  const config = parseConfig(process.env);
  logger.level = process.env.LOG_LEVEL ?? "warn";
  await withPortalDatabase(config, async (db) => {
    // The store the portal uses: the bucket in production, else the uploads folder.
    const storage = storageFromConfig(config);
    const service = new RetentionService({ db, clock: systemClock, publicUrl: config.publicUrl, storage }, config.retention);
    const lines = apply ? describeResult(await service.apply()) : describePlan(await service.plan(asOf ?? systemClock.now()), service);
    console.log(lines.join("\n"));
  });
}

try {
  await main();
} catch (error) {
  if (!(error instanceof Refusal)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
