/** The lines of the queue's CSV export: its French header, and one line per request as the export's cursor reads it. */
import { REQUEST_TYPES } from "../../domain/request-types.js";
import { STATUS_LABELS } from "../status/request-status.js";
import { csvLine } from "./csv.js";
import type { CsvRow } from "./queue-service.js";

export const CSV_HEADER = csvLine([
  "Numéro de demande",
  "Déposée le",
  "Statut",
  "Type",
  "Situation",
  "Zonage",
  "Nom",
  "Prénom",
  "Courriel",
  "Code postal",
  "Ville",
  "Numéro de Passe Navigo",
  "Participation (€)",
  "Aidant",
  "Courriel aidant",
]);

function csvRow(row: CsvRow): string {
  const [
    number,
    submittedAt,
    status,
    type,
    statutCode,
    zonageLabel,
    lastName,
    firstName,
    email,
    postalCode,
    city,
    navigoNumber,
    participationCents,
    aidantName,
    aidantEmail,
  ] = row;
  return csvLine([
    number,
    submittedAt,
    STATUS_LABELS[status],
    type ? REQUEST_TYPES[type] : "",
    statutCode,
    zonageLabel,
    lastName,
    firstName,
    email,
    postalCode,
    city,
    navigoNumber,
    participationCents === null ? "" : (participationCents / 100).toFixed(2).replace(".", ","),
    aidantName,
    aidantEmail,
  ]);
}

/** One string per batch of rows: a few large writes to the response rather than one per line. */
export async function* csvChunks(batches: AsyncIterable<CsvRow[]>): AsyncGenerator<string> {
  for await (const batch of batches) {
    let chunk = "";
    for (const row of batch) chunk += csvRow(row);
    yield chunk;
  }
}
